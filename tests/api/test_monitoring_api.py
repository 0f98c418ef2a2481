"""Monitoring through the API: the dashboards' numbers (with numerators and denominators), rankings
with their breakdown, and export jobs (create, status, download) for their owner only."""

import datetime as dt

import pytest

from monitoring import selectors, services
from monitoring.models import ExportJob
from tests.monitoring.conftest import batch, report

pytestmark = pytest.mark.django_db

MONTH = dt.date(2024, 3, 1)
RULES = {"window_months": 3, "min_verified_months": 1, "peer_by_cohort": False, "peer_by_kejuruan": False}


@pytest.fixture(autouse=True)
def _monitoring_start(settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"


@pytest.fixture
def facts(world):
    """January–March 2024: centre A reported (approved) every month, with a batch in March; B and C did not."""
    for month in (dt.date(2024, 1, 1), dt.date(2024, 2, 1), MONTH):
        report(world.centre_a, month, "approved")
    batch(world.centre_a, dt.date(2024, 3, 2), dt.date(2024, 3, 20))
    services.facts_rebuild()
    return MONTH


def test_indicator_definitions(api_for):
    body = api_for("fkn").get("/api/v1/indicators/").json()
    codes = {row["code"] for row in body}
    assert {"reporting_rate", "on_time_rate", "completion_rate"} <= codes
    assert api_for("mentor_a").get("/api/v1/indicators/").status_code == 404  # no dashboard for mentors


def test_regions_match_the_dashboard_selector(api_for, world, facts):
    body = api_for("directorate").get("/api/v1/facts/regions/", {"month": "2024-03"}).json()
    rows = {row["code"]: row for row in body["rows"]}
    assert body["by"] == "province" and set(rows) == {"32", "35", "94"}
    rate = rows["32"]["figures"]["reporting_rate"]
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1, 1, 100.0)
    assert rows["35"]["figures"]["reporting_rate"]["value"] == 0.0
    expected_rows, expected_total = selectors.breakdown(
        selectors.facts_for(world.directorate), MONTH, "province_id", "province__name"
    )
    total = body["total"]["figures"]["reporting_rate"]
    assert (
        (total["numerator"], total["denominator"])
        == (
            expected_total["figures"]["reporting_rate"].numerator,
            expected_total["figures"]["reporting_rate"].denominator,
        )
        == (1, 3)
    )
    regencies = api_for("reviewer").get("/api/v1/facts/regions/", {"month": "2024-03", "province": "32"}).json()
    assert regencies["by"] == "regency" and [r["code"] for r in regencies["rows"]] == ["32.04"]


def test_scope_of_facts(api_for, world, facts):
    reviewer = api_for("reviewer")
    assert [r["code"] for r in reviewer.get("/api/v1/facts/regions/", {"month": "2024-03"}).json()["rows"]] == ["32"]
    assert reviewer.get("/api/v1/facts/regions/", {"province": "35"}).status_code == 404
    centres = api_for("manager_b").get("/api/v1/facts/", {"month": "2024-03"}).json()
    assert [r["centre"] for r in centres["results"]] == [world.centre_b.pk]
    assert api_for("manager_b").get("/api/v1/facts/regions/", {"province": "32"}).status_code == 404


def test_trend_and_bad_filters(api_for, facts):
    client = api_for("directorate")
    trend = client.get("/api/v1/facts/trend/", {"month": "2024-03", "months": 3}).json()
    assert [r["month"] for r in trend["rows"]] == ["2024-01", "2024-02", "2024-03"]
    for params, field in [
        ({"month": "Maret"}, "month"),
        ({"month": "2099-01"}, "month"),
        ({"months": 0}, "months"),
        ({"cohort_year": "1990"}, "cohort_year"),
        ({"kejuruan": "sulap"}, "kejuruan"),
        ({"incubator": "mungkin"}, "incubator"),
    ]:
        response = client.get("/api/v1/facts/trend/", params)
        assert response.status_code == 400 and field in response.json()["errors"], params


def test_rankings_with_breakdown_and_scope(api_for, world, facts):
    version = services.ranking_scheme_create(
        by=world.directorate, name="Uji API", data=RULES, weights={"reporting_rate": 100}, is_default=True
    )
    snapshot = services.ranking_compute(version=version, period=MONTH)
    snapshots = api_for("fkn").get("/api/v1/rankings/").json()
    assert [s["id"] for s in snapshots["results"]] == [snapshot.pk]
    entries = api_for("fkn").get(f"/api/v1/rankings/{snapshot.pk}/entries/").json()
    assert {e["centre"] for e in entries["results"]} == {world.centre_a.pk, world.centre_b.pk, world.centre_c.pk}
    own = api_for("manager_a").get(f"/api/v1/rankings/{snapshot.pk}/entries/").json()
    assert [e["centre"] for e in own["results"]] == [world.centre_a.pk]
    why = api_for("manager_a").get(f"/api/v1/rankings/{snapshot.pk}/entries/{world.centre_a.pk}/").json()
    component = why["components"][0]
    assert component["indicator"] == "reporting_rate" and component["weight"] == 100
    assert (component["numerator"], component["denominator"]) == (3, 3)
    assert api_for("manager_a").get(f"/api/v1/rankings/{snapshot.pk}/entries/{world.centre_b.pk}/").status_code == 404
    assert api_for("fkn").get(f"/api/v1/rankings/{snapshot.pk}/entries/", {"cohort_year": "1900"}).status_code == 400


def test_export_create_status_download_for_the_owner_only(api_for, world, facts, django_capture_on_commit_callbacks):
    client = api_for("manager_a")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/exports/",
            {"kind": "reports", "file_format": "csv", "period_from": "2024-01", "period_to": "2024-03"},
        )
    assert created.status_code == 201, created.content
    job_id = created.json()["id"]
    status = client.get(f"/api/v1/exports/{job_id}/").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["download"].endswith("/download/")
    download = client.get(f"/api/v1/exports/{job_id}/download/", HTTP_ACCEPT="text/csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "BLKK-A" in b"".join(download.streaming_content).decode("utf-8-sig")
    # Another user never sees the job.
    assert api_for("manager_b").get(f"/api/v1/exports/{job_id}/").status_code == 404
    assert api_for("manager_b").get(f"/api/v1/exports/{job_id}/download/").status_code == 404
    assert api_for("manager_b").get("/api/v1/exports/").json()["count"] == 0
    # Expired: 410 with a message.
    ExportJob.objects.filter(pk=job_id).update(expires_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    gone = client.get(f"/api/v1/exports/{job_id}/download/")
    assert gone.status_code == 410 and gone.json()["code"] == "gone"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "reports"}, "period_from"),
        ({"kind": "rahasia"}, "kind"),
        ({"kind": "batches", "province": "35"}, "province"),
        ({"kind": "batches", "centre": "BLKK-B"}, "centre"),
        ({"kind": "compliance", "period_from": "2024-05", "period_to": "2024-01"}, "period_to"),
    ],
)
def test_export_bad_requests_make_no_job(api_for, data, field):
    response = api_for("manager_a").post("/api/v1/exports/", data)
    assert response.status_code == 400 and field in response.json()["errors"], response.content
    assert not ExportJob.objects.exists()
