"""What one autosave costs: no fact refresh for a draft (its values are not counted), no navigation
query for the htmx status fragment."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blkportal.core.models import OutboxTask
from reporting import services
from reporting.models import Report

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_autosaving_a_draft_enqueues_no_fact_refresh_and_skips_the_navigation(client_for, draft):
    client = client_for("manager_a")
    before = list(OutboxTask.objects.values_list("pk", "touched_at"))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("reporting:report_autosave", args=[draft.pk]),
            {"version": draft.version, "alumni_bekerja": "7"},
            **HTMX,
        )
    assert response.status_code == 200 and "Terakhir disimpan" in response.content.decode()
    assert Report.objects.get(pk=draft.pk).alumni_bekerja == 7
    assert list(OutboxTask.objects.values_list("pk", "touched_at")) == before
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sqls if "core_outboxtask" in q]
    # The incubator menu item's query (a filter on is_incubator) belongs to full pages only.
    assert not [q for q in sqls if "WHERE" in q and '"is_incubator"' in q.split("WHERE", 1)[1]]


def test_submitting_enqueues_one_refresh_per_centre_month_however_often(filled, world):
    key = f"facts:{filled.centre_id}:{filled.period.isoformat()}"
    services.report_submit(report=filled, by=world.manager_a)
    report = Report.objects.get(pk=filled.pk)
    services.report_verify(report=report, by=world.reviewer)
    assert OutboxTask.objects.filter(key=key).count() == 1


def test_the_full_page_still_shows_the_navigation(client_for, draft):
    page = client_for("manager_a").get(reverse("reporting:report_edit", args=[draft.pk])).content.decode()
    assert page.count('<li class="nav-item"><a class="nav-link') >= 2  # home and the contributed items
