"""What one autosave costs: no fact refresh for a draft (its values are not counted), no navigation
query for the htmx status fragment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blkportal.core.models import OutboxTask
from reporting import services
from reporting.models import Report
from reporting.services._common import lock_report

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


def _statements(queries):
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(control)]


def test_an_autosave_reads_the_report_once_and_writes_only_what_changed(client_for, draft):
    client = client_for("manager_a")
    url = reverse("reporting:report_autosave", args=[draft.pk])
    alumni = {f"alumni_{k}": "1" for k in ("bekerja", "wirausaha", "studi", "belum_bekerja", "tidak_terlacak")}
    assert client.post(url, {"version": draft.version, **alumni}, **HTMX).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, {"version": draft.version + 1, **alumni, "alumni_bekerja": "8", "notes": ""}, **HTMX
        )
    html = response.content.decode()
    assert response.status_code == 200 and f'data-version="{draft.version + 2}"' in html
    assert "melebihi jumlah lulusan" in html  # the graduates rule ran (no batch recorded: 0 graduates)
    sqls = _statements(queries)
    # Session, user and roles (3); the report under its lock (1); the report's and the session's history
    # row's updates (2); the rules shown after the save: the batches, the window's reports with their
    # revenue, and the graduates to date once every alumni value is filled in (3).
    assert len(sqls) <= 9, "\n".join(sqls)
    reads = [q for q in sqls if q.startswith("SELECT") and 'FROM "reporting_report"' in q]
    assert len([q for q in reads if '"reporting_report"."id" = ' in q and "ORDER BY" not in q]) == 1
    if connection.features.has_select_for_update_of:
        assert [q for q in sqls if "FOR UPDATE" in q] == [q for q in sqls if 'FOR UPDATE OF "reporting_report"' in q]
        assert len([q for q in sqls if "FOR UPDATE" in q]) == 1
    (update,) = [q for q in sqls if q.startswith('UPDATE "reporting_report"')]
    assert '"alumni_bekerja"' in update and '"notes"' not in update and '"permit_number"' not in update
    assert not [q for q in sqls if q.startswith('INSERT INTO "reporting_historicalreport"')]
    assert len([q for q in sqls if q.startswith('UPDATE "reporting_historicalreport"')]) == 1
    # One transaction: the view's (a savepoint here, inside the test's transaction); none of the service's own.
    assert len([q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]) <= 1
    assert not [q for q in sqls if "core_outboxtask" in q]


def test_an_autosave_that_changes_nothing_writes_nothing(client_for, draft):
    client = client_for("manager_a")
    url = reverse("reporting:report_autosave", args=[draft.pk])
    client.post(url, {"version": draft.version, "alumni_bekerja": "7"}, **HTMX)
    history = Report.history.model.objects.filter(id=draft.pk).count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"version": draft.version + 1, "alumni_bekerja": "7"}, **HTMX)
    assert f'data-version="{draft.version + 1}"' in response.content.decode()
    assert not [q for q in _statements(queries) if q.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert Report.history.model.objects.filter(id=draft.pk).count() == history


def test_a_report_saved_more_than_a_thousand_times_keeps_saving(client_for, draft):
    """The version goes back to the page unlocalised: "1.235" (Indonesian grouping) would make the
    next save look stale and be refused."""
    Report.objects.filter(pk=draft.pk).update(version=1234)
    client = client_for("manager_a")
    url = reverse("reporting:report_autosave", args=[draft.pk])
    first = client.post(url, {"version": "1234", "alumni_bekerja": "7"}, **HTMX).content.decode()
    assert 'data-version="1235"' in first and 'name="version" id="id_version" value="1235"' in first
    second = client.post(url, {"version": "1235", "alumni_bekerja": "8"}, **HTMX)
    assert second.status_code == 200 and 'data-version="1236"' in second.content.decode()
    assert Report.objects.get(pk=draft.pk).alumni_bekerja == 8


@pytest.mark.skipif(not connection.features.has_select_for_update_of, reason="FOR UPDATE OF is PostgreSQL's")
def test_services_lock_the_report_row_only_not_its_centre_or_province(draft):
    """A plain FOR UPDATE over the joined centre and province would lock those rows too: every save
    and transition in a province would wait for the one before it."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        lock_report(draft)
    (sql,) = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert sql.endswith('FOR UPDATE OF "reporting_report"')


def test_the_reports_checks_still_apply_to_the_fields_validated(draft):
    """Report.validate_constraints skips, without building them, only the checks Django would skip:
    those naming an excluded field (as in the values form of every autosave)."""
    draft.status, draft.return_reason = Report.Status.RETURNED, ""
    with pytest.raises(ValidationError, match="wajib memiliki alasan"):
        draft.full_clean()
    with pytest.raises(ValidationError, match="wajib memiliki alasan"):
        draft.validate_constraints(exclude={"notes"})
    draft.validate_constraints(exclude={"return_reason"})  # the check names an excluded field: skipped
    draft.status, draft.period = Report.Status.DRAFT, draft.period.replace(day=15)
    with pytest.raises(ValidationError, match="harus tanggal 1"):
        draft.full_clean(exclude={"centre"})
