"""Issue 12, point 9: the approval queue opens on what waits longest, filters, approves in bulk."""

import datetime as dt

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from blkportal.core.months import add_months
from reporting import services
from reporting.models import Report, TransitionAction
from tests.reporting.conftest import fill


def verified_report(world, centre, manager, period, verified_days_ago):
    report = services.report_get_or_create_draft(centre=centre, period=period, by=manager)
    report = fill(report, manager)
    report = services.report_submit(report=report, by=manager).report
    report = services.report_verify(report=report, by=world.admin)
    Report.objects.filter(pk=report.pk).update(verified_at=timezone.now() - dt.timedelta(days=verified_days_ago))
    return report


def test_queue_opens_on_the_report_waiting_longest(world, last_month, client_for):
    recent = verified_report(world, world.centre_b, world.manager_b, last_month, verified_days_ago=1)
    waiting = verified_report(world, world.centre_a, world.manager_a, last_month, verified_days_ago=9)
    response = client_for("directorate").get(reverse("reporting:queue"))
    text = response.content.decode()
    assert text.index(f'id="pick-{waiting.pk}"') < text.index(f'id="pick-{recent.pk}"')
    assert "Menunggu 1\xa0minggu, 2\xa0hari" in text


def test_queue_filters_by_province_and_month(world, last_month, client_for):
    jabar = verified_report(world, world.centre_a, world.manager_a, last_month, verified_days_ago=2)
    client = client_for("directorate")
    url = reverse("reporting:queue")
    assert f'id="pick-{jabar.pk}"' in client.get(url, {"province": "32"}).content.decode()
    assert f'id="pick-{jabar.pk}"' not in client.get(url, {"province": "35"}).content.decode()
    other_month = add_months(last_month, -2).strftime("%Y-%m")
    assert f'id="pick-{jabar.pk}"' not in client.get(url, {"period": other_month}).content.decode()


def test_bulk_approve_asks_once_then_approves_each_with_its_own_record(world, last_month, client_for):
    first = verified_report(world, world.centre_b, world.manager_b, last_month, 3)
    second = verified_report(world, world.centre_a, world.manager_a, last_month, 2)
    client = client_for("directorate")
    url = reverse("reporting:queue_approve")
    confirm = client.post(url, {"report": [first.pk, second.pk]})
    assert confirm.status_code == 200
    assert "Setujui 2 laporan?" in confirm.content.decode()
    assert Report.objects.filter(status=Report.Status.APPROVED).count() == 0
    done = client.post(url, {"report": [first.pk, second.pk], "confirm": "1"}, follow=True)
    assert "2 laporan disetujui." in done.content.decode()
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == Report.Status.APPROVED and report.approved_by == world.directorate
        approvals = report.transitions.filter(action=TransitionAction.APPROVE)
        assert approvals.count() == 1 and approvals.get().actor == world.directorate


def test_bulk_approve_skips_what_the_user_may_not_approve(world, last_month, client_for):
    report = verified_report(world, world.centre_a, world.manager_a, last_month, 2)
    response = client_for("reviewer").post(reverse("reporting:queue_approve"), {"report": [report.pk], "confirm": "1"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Report.Status.VERIFIED


def _next_ids_from(model, start):
    """Make the next row of `model` get an id past `start` (national data has reports beyond 1,000)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, start])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])


def test_bulk_approve_picks_reports_numbered_past_a_thousand(world, last_month, client_for):
    """Ids go to the page unlocalised: "4.321" (Indonesian grouping) was not a report id."""
    _next_ids_from(Report, 4320)
    report = verified_report(world, world.centre_a, world.manager_a, last_month, 2)
    assert report.pk > 999
    client = client_for("directorate")
    queue = client.get(reverse("reporting:queue")).content.decode()
    assert f'value="{report.pk}" id="pick-{report.pk}"' in queue
    confirm = client.post(reverse("reporting:queue_approve"), {"report": [str(report.pk)]}).content.decode()
    assert f'name="report" value="{report.pk}"' in confirm
    client.post(reverse("reporting:queue_approve"), {"report": [str(report.pk)], "confirm": "1"})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
