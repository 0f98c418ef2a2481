"""Dashboard pages: scope, figures with numerator/denominator, drill-down links, filters, bad input,
and a query count that stays constant as data grows."""

import datetime as dt
import re

import pytest

from blkportal.core.months import add_months
from blkportal.registry.models import Regency
from monitoring import selectors, services
from tests.factories import CentreFactory
from tests.monitoring.conftest import batch, report

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 3, 1)
Q = "?month=2024-03"


@pytest.fixture
def data(world):
    report(world.centre_a, MONTH, "approved", alumni_bekerja=3, alumni_belum_bekerja=1)
    report(world.centre_b, MONTH, "submitted")
    batch(world.centre_a, dt.date(2024, 3, 1), dt.date(2024, 3, 20))
    services.facts_rebuild()
    return world


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_national_shows_rates_with_numerator_and_denominator(data, client_for):
    r = client_for("directorate").get("/monitoring/" + Q)
    assert r.status_code == 200
    page = text(r)
    # 2 of 3 expected centres reported: 66,7 %, with 2/3 beside it.
    assert "66,7 %" in page and "2/3" in page, page[page.find("kpi-reporting_rate") :][:700]
    assert "Jawa Barat" in page and "Jawa Timur" in page and "Papua Tengah" in page
    # Every province row links down one level, keeping the month.
    assert 'href="/monitoring/provinsi/32/?month=2024-03"' in page
    assert 'id="chart-trend"' in page and 'id="trend-data"' in page


def test_reviewer_sees_only_their_province(data, client_for):
    page = text(client_for("reviewer").get("/monitoring/" + Q))
    assert "Jawa Barat" in page and "Jawa Timur" not in page
    assert "Dasbor wilayah" in page
    assert client_for("reviewer").get("/monitoring/provinsi/35/").status_code == 404
    assert client_for("fkn_jabar").get("/monitoring/kabupaten/35.07/").status_code == 404


def test_manager_is_sent_to_their_centre_and_sees_only_it(data, client_for):
    c = client_for("manager_a")
    r = c.get("/monitoring/" + Q)
    assert r.status_code == 302 and r.url == f"/monitoring/blk/{data.centre_a.pk}/{Q}"
    page = text(c.get(r.url))
    assert data.centre_a.name in page and "Disetujui" in page
    assert c.get(f"/monitoring/blk/{data.centre_b.pk}/").status_code == 404
    assert c.get("/monitoring/provinsi/32/").status_code == 404


def test_province_and_regency_drill_down(data, client_for):
    c = client_for("directorate")
    page = text(c.get("/monitoring/provinsi/32/" + Q))
    assert 'href="/monitoring/kabupaten/32.04/?month=2024-03"' in page
    assert f'href="/monitoring/blk/{data.centre_a.pk}/?month=2024-03"' in page
    page = text(c.get("/monitoring/kabupaten/32.04/" + Q))
    assert data.centre_a.name in page and "tepat waktu" in page
    page = text(c.get(f"/monitoring/blk/{data.centre_a.pk}/{Q}"))
    assert "Riwayat bulanan" in page and "14/16" in page  # completion 14 of 16 in March
    assert f'href="/laporan/blk/{data.centre_a.pk}/2024/3/"' in page  # the month's report, one level down


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2024-13", "format TTTT-BB"),
        ("month=maret", "format TTTT-BB"),
        ("month=2999-01", "sampai bulan ini"),
        ("month=2010-01", "dari Januari 2017"),
        ("kejuruan=tidak-ada", "Kejuruan tidak dikenal"),
        ("kemandirian=super", "Kelas kemandirian tidak dikenal"),
        ("cohort_year=1999", "tidak tersedia"),
    ],
)
def test_bad_filters_get_a_message_not_a_500(data, client_for, query, message):
    r = client_for("directorate").get(f"/monitoring/?{query}")
    assert r.status_code == 200
    assert message in text(r)
    assert "is-invalid" in text(r)


def test_unknown_or_out_of_scope_areas_are_404(data, client_for):
    c = client_for("directorate")
    for url in [
        "/monitoring/provinsi/99/",
        "/monitoring/provinsi/abc/",
        "/monitoring/kabupaten/99.99/",
        "/monitoring/blk/999999/",
    ]:
        assert c.get(url).status_code == 404


def test_filters_apply(data, client_for):
    c = client_for("directorate")
    page = text(c.get("/monitoring/?month=2024-03&cohort_year=2020"))
    assert "Jawa Timur" in page and "Jawa Barat" not in page
    page = text(c.get("/monitoring/?month=2024-03&incubator=on"))
    assert "Jawa Barat" in page and "Jawa Timur" not in page
    page = text(c.get("/monitoring/?month=2024-03&kejuruan=teknik-informatika"))
    assert "Jawa Timur" in page and "Papua Tengah" in page and "Jawa Barat" not in page


def test_default_month_is_the_latest_closed_month():
    assert selectors.latest_closed_month(dt.date(2024, 4, 10)) == dt.date(2024, 2, 1)
    assert selectors.latest_closed_month(dt.date(2024, 4, 11)) == dt.date(2024, 3, 1)


def _grow(world, centres, months):
    regencies = list(Regency.objects.filter(province_id__in=["11", "32", "35", "94"])[:8])
    for i in range(centres):
        c = CentreFactory(reg_code=f"BLKK-G{i}", regency=regencies[i % len(regencies)], cohort_year=2019)
        for k in range(months):
            report(c, add_months(dt.date(2023, 6, 1), k), "approved" if k % 3 else "submitted")
    services.facts_rebuild()


PAGES = [
    ("directorate", lambda w: "/monitoring/" + Q),
    ("reviewer", lambda w: "/monitoring/" + Q),
    ("directorate", lambda w: "/monitoring/provinsi/32/" + Q),
    ("directorate", lambda w: "/monitoring/kabupaten/32.04/" + Q),
    ("manager_a", lambda w: f"/monitoring/blk/{w.centre_a.pk}/{Q}"),
    ("directorate", lambda w: "/monitoring/peringkat/"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_query_count_is_bounded_and_constant(data, world, client_for, django_assert_max_num_queries, persona, url):
    services.ranking_scheme_create(
        by=world.directorate,
        name="Q",
        data={"window_months": 12, "min_verified_months": 1, "peer_by_cohort": True, "peer_by_kejuruan": False},
        weights={"reporting_rate": 100},
    )
    from monitoring.models import RankingSchemeVersion

    services.ranking_compute(version=RankingSchemeVersion.objects.get(), period=MONTH)
    c = client_for(persona)
    c.get(url(data))  # warm the session
    with django_assert_max_num_queries(12) as small:
        assert c.get(url(data)).status_code == 200
    _grow(data, centres=30, months=12)
    services.ranking_compute(version=RankingSchemeVersion.objects.get(), period=MONTH)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(url(data)).status_code == 200


def test_home_panel_shows_headline_rates(data, client_for, settings):
    page = text(client_for("directorate").get("/"))
    assert "Pemantauan nasional" in page and "Buka dasbor" in page
    assert "Pemantauan" not in text(client_for("manager_a").get("/"))
    assert "Dasbor" in text(client_for("fkn").get("/"))


def test_cached_body_is_reused_until_facts_change(data, client_for, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 600
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for("directorate")

    def main(response):
        page = text(response)
        return page[page.index("<main") : page.index("</main>")]

    first = main(c.get("/monitoring/" + Q))
    assert "66,7 %" in first
    with CaptureQueriesContext(connection) as hit:
        assert main(c.get("/monitoring/" + Q)) == first
    assert not any("monitoring_centremonth" in q["sql"] for q in hit.captured_queries)
    # A new report refreshes its fact, which invalidates the cached page at once.
    report(data.centre_c, MONTH, "approved")
    services.facts_refresh(centre_id=data.centre_c.pk, month=MONTH)
    assert "100,0 %" in text(c.get("/monitoring/" + Q))
    # Another scope never gets the national body.
    assert "Jawa Timur" not in text(client_for("reviewer").get("/monitoring/" + Q))


def test_no_page_cache_with_a_per_process_cache(settings):
    from monitoring.selectors import cache_seconds

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert cache_seconds() == 0  # two gunicorn workers would not see each other's invalidation
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}
    assert cache_seconds() == 600


def test_cached_page_moves_to_the_new_default_month_when_the_deadline_passes(data, client_for, settings):
    """The cached body is keyed by the default month: the day after the deadline the page without a
    month shows the month just closed, not the one before it (the facts did not change)."""
    import time_machine

    from tests.conftest import JAKARTA

    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 600
    # Three minutes apart, well inside the cache's ten: only the key can tell the two pages apart.
    deadline_evening = dt.datetime(2026, 12, settings.REPORT_DEADLINE_DAY, 23, 58, tzinfo=JAKARTA)
    with time_machine.travel(deadline_evening, tick=False):
        # Logged in on that evening: a session opened on the suite's day may have expired by then.
        c = client_for("directorate")
        assert 'value="2026-10"' in text(c.get("/monitoring/"))
    with time_machine.travel(deadline_evening + dt.timedelta(minutes=3), tick=False):
        assert 'value="2026-11"' in text(c.get("/monitoring/"))
