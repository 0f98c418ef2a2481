"""The audit's findings, each in the exact situation it described (issue: numbers a ministry can
defend), and one check that every surface gives the same reporting and on-time figures."""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from blkportal.core.errors import DomainError
from blkportal.registry import services as registry
from blkportal.registry.models import Kejuruan, Regency
from monitoring import facts, indicators, services
from monitoring.exporters.compliance import ComplianceExporter
from monitoring.indicators import aggregate, evaluate
from monitoring.models import CentreMonth, CentreMonthKejuruan
from reporting import services as reporting
from tests.monitoring.conftest import report
from tests.reporting.conftest import VALID, make_batch

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MARCH = dt.date(2024, 3, 1)


def figures(month, **filters):
    return evaluate(aggregate(CentreMonth.objects.filter(month=month, **filters))[0])


def register(day, by, code="BLKK-SILENT"):
    data = {
        "reg_code": code,
        "name": f"BLK {code}",
        "host_name": "Yayasan",
        "host_type": "pesantren",
        "regency": Regency.objects.get(code="32.04"),
        "cohort_year": 2019,
        "activated_on": day,
    }
    return registry.centre_create(by=by, data=data)


def test_silent_centre_is_expected_from_registration_without_a_rebuild(
    world, time_machine, django_capture_on_commit_callbacks
):
    # Finding 1: a centre that never reports has its expected rows at once, and the current month's
    # row exists from the day the month opens, without waiting for the nightly rebuild.
    time_machine.move_to(dt.datetime(2024, 6, 20, 10, tzinfo=WIB), tick=False)
    services.facts_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        silent = register(dt.date(2024, 1, 1), world.admin)
    months = list(CentreMonth.objects.filter(centre=silent, expected=True).values_list("month", flat=True))
    assert months == [dt.date(2024, m, 1) for m in range(1, 7)]  # 6 expected months, not 2
    rate = figures(MARCH)["reporting_rate"]
    assert silent.pk in set(CentreMonth.objects.filter(month=MARCH).values_list("centre_id", flat=True))
    assert rate.denominator == 4  # A, B, C and the silent centre
    exporter = ComplianceExporter(user=world.directorate, params={"period_from": "2024-01", "period_to": "2024-06"})
    row = next(r for r in exporter.rows() if r[0] == "BLKK-SILENT")
    assert row[7:9] == (6, 0)  # 6 expected months, 0 reported
    # The month opens: its expected rows exist on the 1st, before anything happens.
    time_machine.move_to(dt.datetime(2024, 7, 1, 0, 5, tzinfo=WIB), tick=False)
    services.facts_open_month()
    july = CentreMonth.objects.get(centre=silent, month=dt.date(2024, 7, 1))
    assert july.expected and not july.reported
    assert CentreMonth.objects.filter(month=dt.date(2024, 7, 1), expected=True).count() == 4


def test_silent_centre_page_says_belum_melapor(world, client_for, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2024, 4, 20, 10, tzinfo=WIB), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        silent = register(dt.date(2024, 1, 1), world.admin)
    page = client_for("directorate").get(f"/monitoring/blk/{silent.pk}/?month=2024-03").content.decode()
    assert "Belum melapor" in page and "belum ada data" not in page


def test_correction_after_approval_stays_reported_and_on_time(world, time_machine, django_capture_on_commit_callbacks):
    # Finding 2: a correction reopens an approved report as a draft; the month stays reported and on
    # time (first submission), only the approved rate drops.
    time_machine.move_to(dt.datetime(2024, 4, 5, 10, tzinfo=WIB), tick=False)
    services.facts_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        make_batch(world.centre_a, MARCH)
        draft = reporting.report_get_or_create_draft(centre=world.centre_a, period=MARCH, by=world.manager_a)
        draft = reporting.report_save_draft(
            report=draft, by=world.manager_a, data=VALID, expected_version=draft.version
        )
        reporting.report_submit(report=draft, by=world.manager_a, explanation="Penjelasan peringatan uji.")
        draft.refresh_from_db()
        reporting.report_verify(report=draft, by=world.reviewer)
        reporting.report_approve(report=draft, by=world.directorate)
    assert figures(MARCH)["approved_rate"].numerator == 1
    with django_capture_on_commit_callbacks(execute=True):
        correction = reporting.correction_request(report=draft, by=world.manager_a, reason="Angka alumni salah ketik.")
        reporting.correction_approve(correction=correction, by=world.reviewer)
    draft.refresh_from_db()
    assert draft.status == "draft"
    f = figures(MARCH)
    assert (f["reporting_rate"].numerator, f["on_time_rate"].numerator) == (1, 1)
    assert (f["verified_rate"].numerator, f["approved_rate"].numerator) == (0, 0)
    exporter = ComplianceExporter(user=world.directorate, params={"period_from": "2024-03", "period_to": "2024-03"})
    row = next(r for r in exporter.rows() if r[0] == world.centre_a.reg_code)
    assert row[8:10] == (1, 1)  # reported, on time: the export and the dashboard agree


def test_changing_the_deadline_setting_does_not_rewrite_history(world, settings):
    # Finding 3: submitted on 9 April (deadline day 10): on time, and still on time after the
    # setting becomes day 5, also after a full rebuild; a later month follows the new setting.
    report(world.centre_a, MARCH, "approved", dt.datetime(2024, 4, 9, 12, tzinfo=WIB))
    services.facts_rebuild()
    assert figures(MARCH)["on_time_rate"].numerator == 1
    settings.REPORT_DEADLINE_DAY = 5
    services.facts_rebuild()
    assert figures(MARCH)["on_time_rate"].numerator == 1
    april = dt.date(2024, 4, 1)
    later = report(world.centre_a, april, "approved", dt.datetime(2024, 5, 9, 12, tzinfo=WIB))
    assert later.deadline_at.date() == dt.date(2024, 5, 5) and later.on_time is False


def test_early_draft_before_the_monitoring_start_expects_nothing(world, settings):
    # Finding 4: an old draft does not make its month expected; nothing before the start has facts,
    # and a refresh there is refused with a clear message.
    report(world.centre_a, dt.date(2023, 6, 1), "draft")
    services.facts_rebuild()
    assert not CentreMonth.objects.filter(month__lt=dt.date(2024, 1, 1)).exists()
    assert CentreMonth.objects.filter(month=dt.date(2024, 1, 1), expected=True).count() == 3
    with pytest.raises(DomainError, match="sebelum awal pemantauan"):
        services.facts_refresh(centre_id=world.centre_a.pk, month=dt.date(2023, 6, 1))
    with pytest.raises(DomainError, match="tidak dikenal"):
        services.facts_refresh(centre_id=999999, month=MARCH)
    with pytest.raises(CommandError, match="sebelum awal pemantauan"):
        call_command("rebuild_facts", centre=world.centre_a.pk, month="2023-06")
    with pytest.raises(CommandError, match="sebelum awal pemantauan"):
        call_command("rebuild_facts", centre=world.centre_a.pk, month="2001-01")
    with pytest.raises(CommandError, match="gunakan format YYYY-MM"):
        call_command("rebuild_facts", centre=world.centre_a.pk, month="2024-13")


def test_refresh_is_one_transaction(world, monkeypatch):
    report(world.centre_a, MARCH, "approved")
    services.facts_rebuild()
    before = list(CentreMonth.objects.filter(centre=world.centre_a).values_list("month", "reported"))

    def broken(rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(facts, "_write", broken)
    with pytest.raises(RuntimeError):
        services.facts_refresh_centre(centre_id=world.centre_a.pk)
    assert list(CentreMonth.objects.filter(centre=world.centre_a).values_list("month", "reported")) == before


def test_deactivation_on_the_first_is_not_expected_that_month(world, django_capture_on_commit_callbacks):
    # Finding 5: deactivated on 1 March: inactive that day and not expected for March in the facts.
    services.facts_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        registry.centre_deactivate(centre=world.centre_b, by=world.admin, on=MARCH)
    assert CentreMonth.objects.get(centre=world.centre_b, month=dt.date(2024, 2, 1)).expected
    assert not CentreMonth.objects.filter(centre=world.centre_b, month=MARCH).exists()
    assert figures(MARCH)["reporting_rate"].denominator == 2


def test_registered_kejuruan_filter_is_named_as_such(world, client_for):
    # Finding 6 (part): the dashboard's kejuruan filter is the centre's registered kejuruan, and says so.
    services.facts_rebuild()
    page = client_for("directorate").get("/monitoring/?month=2024-03").content.decode()
    assert "Kejuruan terdaftar BLK" in page


def _batch(world, centre, code, graduated):
    data = {
        "kejuruan": Kejuruan.objects.get(code=code),
        "program_name": f"Pelatihan {code}",
        "funding_source": "apbn",
        "start_date": dt.date(2024, 3, 4),
        "end_date": dt.date(2024, 3, 22),
        "hours_jp": 240,
        "enrolled_male": 4,
        "enrolled_female": 12,
        "graduated": graduated,
        "failed": 16 - graduated,
        "withdrawn": 0,
        "certified": graduated,
        "santri_count": 10,
        "umum_count": 6,
    }
    return reporting.batch_create(centre=centre, by=world.admin, data=data)


def _tile(page: str, code: str) -> str:
    """The numerator/denominator shown on a dashboard tile."""
    match = re.search(rf'id="kpi-{code}".*?class="fig-frac">([^<]*)<', page, re.S)
    assert match, code
    return match.group(1)


def test_training_figures_follow_the_batch_kejuruan(
    world, client_for, django_capture_on_commit_callbacks, time_machine
):
    # Finding 6: a menjahit batch at A (registered for teknik las only) is counted under menjahit, not
    # teknik las; B (registered for TIK) runs a teknik-las batch, counted under teknik las.
    time_machine.move_to(dt.datetime(2024, 4, 5, 10, tzinfo=WIB), tick=False)  # March still open
    services.facts_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        _batch(world, world.centre_a, "menjahit", graduated=12)  # 12 of 16 completed
    with django_capture_on_commit_callbacks(execute=True):
        _batch(world, world.centre_b, "teknik-las", graduated=8)  # 8 of 16
    assert not world.centre_a.kejuruan.filter(code="menjahit").exists()
    # The facts kept on commit, split by the batch's kejuruan.
    split = {
        (r.centre_id, r.kejuruan.code): (r.batches_active, r.graduated)
        for r in CentreMonthKejuruan.objects.filter(month=MARCH).select_related("kejuruan")
    }
    assert split == {(world.centre_a.pk, "menjahit"): (1, 12), (world.centre_b.pk, "teknik-las"): (1, 8)}

    client = client_for("directorate")

    def page(query):
        return client.get(f"/monitoring/?month=2024-03&{query}").content.decode()

    assert _tile(page(""), "completion_rate") == "20/32"  # both batches
    menjahit = page("kejuruan_angkatan=menjahit")
    assert _tile(menjahit, "completion_rate") == "12/16"
    assert _tile(menjahit, "female_share") == "12/16"
    assert "Pelatihan: angkatan kejuruan Menjahit" in menjahit
    assert _tile(page("kejuruan_angkatan=teknik-las"), "completion_rate") == "8/16"  # B's, not A's menjahit
    # Reporting figures have no kejuruan: the batch kejuruan does not narrow them.
    assert _tile(menjahit, "reporting_rate") == _tile(page(""), "reporting_rate")
    # The registered kejuruan is a separate filter on centres: A and C are registered for teknik las,
    # so A's menjahit batch is in "Kejuruan terdaftar BLK: teknik las", and not in both filters at once.
    assert _tile(page("kejuruan=teknik-las"), "completion_rate") == "12/16"
    assert _tile(page("kejuruan=teknik-las&kejuruan_angkatan=teknik-las"), "completion_rate") == "0/0"
    # The centre table of A's province shows A's menjahit batch under menjahit only.
    province = world.centre_a.province_id
    table = client.get(f"/monitoring/provinsi/{province}/?month=2024-03&kejuruan_angkatan=teknik-las").content.decode()
    assert "Angkatan berjalan (Teknik Las)" in table
    # The API gives the same figures.
    api = client.get("/api/v1/facts/regions/?month=2024-03&kejuruan_angkatan=menjahit").json()
    completion = api["total"]["figures"]["completion_rate"]
    assert (completion["numerator"], completion["denominator"]) == (12, 16)
    # An unknown batch kejuruan is refused beside the field, the page still renders.
    bad = client.get("/monitoring/?month=2024-03&kejuruan_angkatan=sulap")
    assert bad.status_code == 200 and "Kejuruan tidak dikenal." in bad.content.decode()


def test_pending_ranking_component_is_shown_and_not_scored_zero(world, client_for):
    # Finding 7: A's last month is submitted but not yet verified: it is left out (not a 0), the
    # component without data says so, and the score is not cut by 20 points.
    for month in (dt.date(2024, 1, 1), dt.date(2024, 2, 1)):
        report(world.centre_a, month, "approved")
    report(world.centre_a, MARCH, "submitted")
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Uji",
        data={"window_months": 3, "min_verified_months": 1, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 80, "completion_rate": 20},
    )
    snapshot = services.ranking_compute(version=version, period=MARCH)
    entry = snapshot.entries.get(centre=world.centre_a)
    parts = {p["indicator"]: p for p in entry.components}
    assert (parts["reporting_rate"]["numerator"], parts["reporting_rate"]["denominator"]) == (2, 2)
    assert parts["completion_rate"]["value"] is None and parts["completion_rate"]["status"] == "pending"
    assert entry.score == Decimal("100.00") and entry.pending_months == 1
    why = client_for("directorate").get(f"/monitoring/peringkat/{snapshot.pk}/blk/{world.centre_a.pk}/")
    assert "menunggu verifikasi" in why.content.decode()
    listing = client_for("directorate").get(f"/monitoring/peringkat/?snapshot={snapshot.pk}").content.decode()
    assert "menunggu verifikasi" in listing
    from monitoring.exporters.ranking import RankingExporter

    exporter = RankingExporter(user=world.directorate, params={"snapshot": snapshot.pk})
    assert any("menunggu verifikasi" in [str(v) for v in row] for row in exporter.rows())
    # With nothing pending, a component without data says "belum ada data".
    report(world.centre_b, MARCH, "approved")
    services.facts_rebuild()
    snapshot = services.ranking_compute(version=version, period=MARCH)
    b = {p["indicator"]: p for p in snapshot.entries.get(centre=world.centre_b).components}
    assert b["completion_rate"]["status"] == "no_data"


def test_labels_say_what_they_count(world, client_for):
    # Finding 8: the total and the ratio are named differently.
    ratio = str(indicators.get("jobs_created").label)
    assert ratio.startswith("Rata-rata") and "per wirausaha" in ratio
    assert ratio != "Jumlah lapangan kerja tercipta"
    from django.template.loader import render_to_string

    assert "Jumlah lapangan kerja tercipta" in render_to_string("incubator/_indicators.html", {"s": {}})


def test_methodology_page_defines_every_dashboard_indicator(client_for):
    page = client_for("manager_a").get("/monitoring/metodologi/").content.decode()
    for code in indicators.DASHBOARD:
        ind = indicators.get(code)
        assert f'id="ind-{code}"' in page, f"{code} has no definition on the methodology page"
        for text in (ind.description, ind.counts, ind.source, ind.period_rule):
            assert str(text).strip(), f"{code}: a methodology field is empty"
    assert "Tenggat" in page and "Dilaporkan" in page


def test_every_dashboard_tile_links_its_definition(world, client_for):
    services.facts_rebuild()
    page = client_for("directorate").get("/monitoring/?month=2024-03").content.decode()
    for code in indicators.DASHBOARD:
        assert f"/monitoring/metodologi/#ind-{code}" in page, code


def test_docs_methodology_matches_the_definitions():
    from pathlib import Path

    from django.conf import settings

    doc = (Path(settings.BASE_DIR) / "docs" / "methodology.md").read_text()
    assert doc == indicators.methodology_markdown(), "run: python manage.py methodology > docs/methodology.md"


def test_every_export_has_the_methodology_sheet(world):
    exporter = ComplianceExporter(user=world.directorate, params={"period_from": "2024-03", "period_to": "2024-03"})
    sheet = exporter.methodology_sheet()
    items = {row[1] for row in sheet.rows}
    assert {str(indicators.get(c).label) for c in indicators.INDICATORS} <= items
