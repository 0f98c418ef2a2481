"""Dashboard, API, compliance export and ranking give the same reporting and on-time figures for
the same scope and month; the API schema carries the methodology text."""

import datetime as dt
import zoneinfo

import pytest

from monitoring import indicators, selectors, services
from monitoring.exporters.compliance import ComplianceExporter
from tests.monitoring.conftest import report

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MARCH = dt.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _monitoring_start(settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"


def test_api_schema_carries_the_definitions(api_for):
    import json

    schema = json.loads(api_for("directorate").get("/api/v1/schema/", {"format": "json"}).content)
    assert indicators.schema_description("on_time_rate")[:60] in json.dumps(schema, ensure_ascii=False)


def test_same_figures_on_dashboard_api_export_and_ranking(world, client_for, api_for):
    # National, March 2024: A on time, B late, C silent; all approved so the ranking counts them.
    report(world.centre_a, MARCH, "approved", dt.datetime(2024, 4, 5, 9, tzinfo=WIB))
    report(world.centre_b, MARCH, "approved", dt.datetime(2024, 4, 12, 9, tzinfo=WIB))
    services.facts_rebuild()
    scope = selectors.facts_for(world.directorate)
    _rows, total = selectors.breakdown(scope, MARCH, "province_id", "province__name")
    dash = total["figures"]
    page = client_for("directorate").get("/monitoring/?month=2024-03").content.decode()
    api = api_for("directorate").get("/api/v1/facts/regions/", {"month": "2024-03"}).json()
    exporter = ComplianceExporter(user=world.directorate, params={"period_from": "2024-03", "period_to": "2024-03"})
    rows = list(exporter.rows())
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Sama",
        data={"window_months": 1, "min_verified_months": 0, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 50, "on_time_rate": 50},
    )
    snapshot = services.ranking_compute(version=version, period=MARCH)
    entries = list(snapshot.entries.all())

    def ranking_sum(code, side):
        return sum(next(p[side] for p in e.components if p["indicator"] == code) for e in entries)

    for code, export_col in (("reporting_rate", 8), ("on_time_rate", 9)):
        expected = (dash[code].numerator, dash[code].denominator)
        assert expected == ((2, 3) if code == "reporting_rate" else (1, 3))
        assert (api["total"]["figures"][code]["numerator"], api["total"]["figures"][code]["denominator"]) == expected
        assert (sum(r[export_col] for r in rows), sum(r[7] for r in rows)) == expected
        assert (ranking_sum(code, "numerator"), ranking_sum(code, "denominator")) == expected
        assert f"{expected[0]}/{expected[1]}" in page
