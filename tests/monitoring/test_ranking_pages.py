"""Ranking pages: the list (filters, pagination, a manager's own row), "why this rank", and scheme
editing with messages beside the fields."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blkportal.core.months import add_months
from blkportal.registry.models import Regency
from monitoring import services
from monitoring.models import RankingScheme, RankingSchemeVersion, RankingSnapshot
from tests.factories import CentreFactory
from tests.monitoring.conftest import report

pytestmark = pytest.mark.django_db

PERIOD = dt.date(2024, 6, 1)
RULES = {"window_months": 6, "min_verified_months": 3, "peer_by_cohort": True, "peer_by_kejuruan": False}


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def snapshot(world):
    regency = Regency.objects.get(code="32.04")
    centres = [world.centre_a, world.centre_b] + [
        CentreFactory(reg_code=f"BLKK-R{i:02d}", name=f"BLK Uji {i:02d}", regency=regency, cohort_year=2019)
        for i in range(30)
    ]
    for n, centre in enumerate(centres):
        for k in range(6):
            if k < 3 + n % 4:
                report(centre, add_months(dt.date(2024, 1, 1), k), "approved")
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate, name="Kinerja", data=RULES, weights={"reporting_rate": 100}
    )
    return services.ranking_compute(version=version, period=PERIOD)


def test_list_is_paginated_and_filterable(snapshot, client_for):
    c = client_for("directorate")
    page = text(c.get("/monitoring/peringkat/"))
    assert page.count(f'href="/monitoring/peringkat/{snapshot.pk}/blk/') >= 25 * 2
    assert "Halaman 1 dari 2" in page
    assert page.count('<td class="text-end fw-semibold">') == 25  # one page of rows, never all 32
    assert "BLK Uji" in page and "versi 1" in page
    page = text(c.get("/monitoring/peringkat/?province=35"))
    assert "Nurul Huda" in page and "BLK Uji" not in page
    page = text(c.get("/monitoring/peringkat/?q=Uji%2007"))
    assert "BLK Uji 07" in page and "BLK Uji 08" not in page


def test_bad_filters_show_messages(snapshot, client_for):
    page = text(client_for("directorate").get("/monitoring/peringkat/?province=99&cohort_year=abc&snapshot=x"))
    assert "Provinsi tidak dikenal atau di luar cakupan Anda." in page
    assert "tidak tersedia" in page
    assert "BLK Uji" in page  # the rest still shows


def test_manager_sees_only_their_own_row(snapshot, client_for):
    c = client_for("manager_a")
    page = text(c.get("/monitoring/peringkat/"))
    assert "Al-Hikmah" in page and "BLK Uji" not in page and "Nurul Huda" not in page
    assert "peringkat BLK Anda sendiri" in page
    assert (
        c.get(
            f"/monitoring/peringkat/{snapshot.pk}/blk/{snapshot.entries.get(centre__reg_code='BLKK-B').centre_id}/"
        ).status_code
        == 404
    )


def test_reviewer_cannot_filter_outside_their_provinces(snapshot, client_for):
    page = text(client_for("reviewer").get("/monitoring/peringkat/?province=35"))
    assert "Provinsi tidak dikenal atau di luar cakupan Anda." in page
    assert "Nurul Huda" not in page


def test_why_page_shows_each_component(snapshot, client_for, world):
    entry = snapshot.entries.get(centre=world.centre_a)
    page = text(client_for("manager_a").get(f"/monitoring/peringkat/{snapshot.pk}/blk/{world.centre_a.pk}/"))
    assert "Mengapa peringkat ini?" in page and "Tingkat pelaporan" in page
    part = entry.components[0]
    assert f"{part['numerator']}" in page and f"{part['denominator']}" in page
    assert "100 %" in page  # weight
    assert "laporan masuk" in page and "BLK wajib lapor" in page  # what numerator and denominator count


def test_scheme_edit_messages_beside_fields_and_nothing_lost(snapshot, client_for):
    scheme = RankingScheme.objects.get()
    c = client_for("fkn")
    data = {
        "window_months": 6,
        "min_verified_months": 3,
        "peer_by_cohort": "on",
        "change_note": "Tambah kelulusan",
        "weight_reporting_rate": "-10",
        "weight_completion_rate": "110",
    }
    r = c.post(f"/monitoring/skema/{scheme.pk}/ubah/", data)
    page = text(r)
    assert r.status_code == 200
    # Each message sits right under its own field, which is marked invalid; what was typed stays.
    assert 'id="id_weight_reporting_rate_error"><li>Bobot tidak boleh negatif.</li>' in page
    assert 'id="id_weight_completion_rate_error"><li>Bobot tidak boleh lebih dari 100 %.</li>' in page
    assert re.search(r'<input[^>]*value="-10"[^>]*is-invalid|<input[^>]*is-invalid[^>]*value="-10"', page)
    assert "Tambah kelulusan" in page
    r = c.post(
        f"/monitoring/skema/{scheme.pk}/ubah/", {**data, "weight_reporting_rate": "50", "weight_completion_rate": "40"}
    )
    page = text(r)
    assert 'id="weights-error"' in page and "Jumlah bobot harus tepat 100 %; sekarang 90 %." in page
    assert scheme.versions.count() == 1
    r = c.post(
        f"/monitoring/skema/{scheme.pk}/ubah/", {**data, "weight_reporting_rate": "60", "weight_completion_rate": "40"}
    )
    assert r.status_code == 302
    v2 = scheme.versions.get(number=2)
    assert {x.indicator: int(x.weight) for x in v2.components.all()} == {"reporting_rate": 60, "completion_rate": 40}
    assert v2.change_note == "Tambah kelulusan" and v2.created_by.username == "fkn"
    # Version 1 and its snapshot are untouched.
    v1 = scheme.versions.get(number=1)
    assert [(x.indicator, int(x.weight)) for x in v1.components.all()] == [("reporting_rate", 100)]
    assert RankingSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_scheme_create_and_default(world, client_for, django_capture_on_commit_callbacks):
    report(world.centre_a, dt.date(2024, 3, 1), "approved")
    services.facts_rebuild()
    c = client_for("directorate")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            "/monitoring/skema/baru/",
            {"name": "Skema A", "window_months": 12, "min_verified_months": 1, "weight_on_time_rate": "100"},
        )
    assert r.status_code == 302
    version = RankingSchemeVersion.objects.get(scheme__name="Skema A")
    assert version.scheme.is_default
    # The live ranking was computed on commit.
    assert RankingSnapshot.objects.filter(version=version, frozen=False).exists()
    r = c.post(
        "/monitoring/skema/baru/",
        {"name": "skema a", "window_months": 12, "min_verified_months": 1, "weight_on_time_rate": "100"},
    )
    assert "Nama skema sudah dipakai." in text(r)
    r = c.post(
        "/monitoring/skema/baru/",
        {"name": "B", "window_months": 3, "min_verified_months": 6, "weight_on_time_rate": "100"},
    )
    assert "tidak boleh lebih dari panjang jendela" in text(r)


def test_provincial_fkn_reads_but_cannot_edit(snapshot, client_for):
    scheme = RankingScheme.objects.get()
    c = client_for("fkn_jabar")
    assert c.get(f"/monitoring/skema/{scheme.pk}/").status_code == 200
    assert c.get(f"/monitoring/skema/{scheme.pk}/ubah/").status_code == 404
    assert c.post(f"/monitoring/skema/{scheme.pk}/hitung-ulang/").status_code == 404


def test_recompute_button_enqueues_on_commit(snapshot, client_for, django_capture_on_commit_callbacks):
    scheme = RankingScheme.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        r = client_for("directorate").post(f"/monitoring/skema/{scheme.pk}/hitung-ulang/")
    assert r.status_code == 302 and len(callbacks) == 1
    assert RankingSnapshot.objects.filter(version__scheme=scheme, period=services.default_period()).exists()


def test_filtered_page_runs_a_fixed_number_of_queries(snapshot, client_for):
    c = client_for("directorate")
    c.get("/monitoring/peringkat/?province=32")  # counts the province's entries once for this snapshot
    with CaptureQueriesContext(connection) as queries:
        page = text(c.get("/monitoring/peringkat/?province=32"))
    # session, user, roles, schemes, snapshots, the province filter, one page of entries with their
    # centre and province, and the two filter lists: nothing per row, no COUNT(*) over the entries.
    assert len(queries) <= 9, [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert page.count('<td class="text-end fw-semibold">') == 25
    assert "Halaman 1 dari 2" in page and "31 data" in page  # centre_a and the 30 test centres
    assert '<option value="32" selected>Jawa Barat</option>' in page
    page = text(c.get("/monitoring/peringkat/?province=32&page=2"))
    assert page.count('<td class="text-end fw-semibold">') == 6 and "Halaman 2 dari 2" in page
    # The whole ranking's count is the one stored on the snapshot: not counted even the first time.
    with CaptureQueriesContext(connection) as queries:
        page = text(c.get("/monitoring/peringkat/"))
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert f"{snapshot.entry_count} data" in page and "Halaman 1 dari 2" in page
    assert f"{snapshot.ranked_count} data" in text(c.get("/monitoring/peringkat/?ranked_only=on"))


def test_kept_count_follows_a_recomputed_snapshot(snapshot, client_for):
    c = client_for("directorate")
    assert "31 data" in text(c.get("/monitoring/peringkat/?province=32"))
    centre = CentreFactory(reg_code="BLKK-R99", name="BLK Baru", regency=Regency.objects.get(code="32.04"))
    for k in range(6):
        report(centre, add_months(dt.date(2024, 1, 1), k), "approved")
    services.facts_rebuild()
    services.ranking_compute(version=snapshot.version, period=PERIOD)  # replaces the live snapshot
    page = text(c.get("/monitoring/peringkat/?province=32"))
    assert "32 data" in page and "BLK Baru" in page
    # A name search reads current names, so it is counted on every request.
    assert "1 data" in text(c.get("/monitoring/peringkat/?province=32&q=Baru"))
