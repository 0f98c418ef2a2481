import datetime as dt

import pytest
from django.core import mail

from reporting.models import ReminderLog, Report
from reporting.services import reminders_send
from reporting.tasks import send_deadline_reminders

JAN = dt.date(2025, 1, 1)
UTC = dt.UTC


def at(day, hour_utc=1):
    """A moment in February 2025 (01:00 UTC = 08:00 WIB = 10:00 WIT)."""
    return dt.datetime(2025, 2, day, hour_utc, 0, tzinfo=UTC)


def jan_mails():
    return [m for m in mail.outbox if "Januari 2025" in m.subject]


def mark_submitted(centre):
    Report.objects.create(centre=centre, period=JAN, status="submitted", first_submitted_at=at(5))


@pytest.fixture(autouse=True)
def _managers_have_mail(world):
    return world


def test_three_days_before_goes_once_to_managers_of_centres_not_submitted(world):
    mark_submitted(world.centre_b)
    counts = reminders_send(now=at(7))
    recipients = sorted(r for m in jan_mails() for r in m.to)
    assert recipients == sorted([world.manager_a.email, world.manager_c.email])
    assert "3 hari lagi" in jan_mails()[0].subject
    assert counts["before_3"] >= 2
    assert ReminderLog.objects.filter(period=JAN, kind="before_3").count() == 2
    mail.outbox.clear()
    reminders_send(now=at(7, 5))
    reminders_send(now=at(8))  # still inside the "before" window: not again
    assert jan_mails() == []


def test_on_the_day_and_three_days_after(world):
    mark_submitted(world.centre_b)
    reminders_send(now=at(10))
    assert {m.subject for m in jan_mails()} == {"Pengingat: laporan Januari 2025 jatuh tempo hari ini"}
    mail.outbox.clear()
    reminders_send(now=at(13))
    assert {m.subject for m in jan_mails()} == {"Laporan Januari 2025 terlambat 3 hari"}
    assert sorted(r for m in jan_mails() for r in m.to) == sorted([world.manager_a.email, world.manager_c.email])


def test_a_missed_day_is_caught_up_but_never_doubled(world):
    reminders_send(now=at(9))  # the -3 run was missed: "before" still goes out on day -1
    assert ReminderLog.objects.filter(period=JAN, kind="before_3").count() == 3
    reminders_send(now=at(11))
    reminders_send(now=at(12))
    assert ReminderLog.objects.filter(period=JAN, kind="on_day").count() == 3


def test_after_seven_days_the_provinces_reviewers_get_the_list(world, reviewer_jatim):
    mark_submitted(world.centre_b)
    reminders_send(now=at(17))
    lists = [m for m in jan_mails() if "belum mengajukan" in m.subject]
    assert [m.to for m in lists] == [[world.reviewer.email]]  # Jawa Barat: centre A is late
    assert world.centre_a.name in lists[0].body and "terlambat 7 hari" in lists[0].body
    assert world.centre_b.name not in lists[0].body
    mail.outbox.clear()
    reminders_send(now=at(18))
    assert [m for m in jan_mails() if "belum mengajukan" in m.subject] == []


def test_deadline_day_is_each_centres_own(world):
    # 16:30 UTC on 6 Feb: 23:30 WIB (day -4) but 01:30 on 7 Feb WIT (day -3).
    reminders_send(now=dt.datetime(2025, 2, 6, 16, 30, tzinfo=UTC))
    assert [m.to for m in jan_mails()] == [[world.manager_c.email]]


def test_centres_not_active_in_the_month_get_nothing(world):
    world.centre_c.activated_on = dt.date(2025, 3, 1)
    world.centre_c.save()
    reminders_send(now=at(7))
    assert world.manager_c.email not in [r for m in jan_mails() for r in m.to]


def test_the_beat_task_runs_the_service(world):
    assert isinstance(send_deadline_reminders.delay().get(), dict)


def test_beat_schedule_is_registered():
    from blkportal.celery import app

    app.loader.import_default_modules()
    from reporting.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["reporting-deadline-reminders"]["task"] == "reporting.tasks.send_deadline_reminders"
    assert send_deadline_reminders.name == "reporting.tasks.send_deadline_reminders"
