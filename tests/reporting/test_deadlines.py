import datetime as dt
import zoneinfo

from blkportal.core import months
from reporting import deadlines
from reporting.models import Report

JAN = dt.date(2025, 1, 1)
UTC = dt.UTC


def test_month_bounds_and_helpers():
    assert months.month_bounds(dt.date(2024, 2, 17)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert months.add_months(dt.date(2024, 12, 1), 1) == dt.date(2025, 1, 1)
    assert months.add_months(dt.date(2025, 1, 1), -13) == dt.date(2023, 12, 1)
    assert months.months_between(dt.date(2024, 11, 20), dt.date(2025, 1, 5)) == [
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
    ]


def test_deadline_is_day_ten_after_month_end_in_the_centres_own_zone(world):
    wib = months.deadline_for(world.centre_a, JAN)
    wit = months.deadline_for(world.centre_c, JAN)
    assert wib == dt.datetime(2025, 2, 10, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert wib.tzinfo is not None
    # Papua's 23:59 comes two hours earlier than Java's.
    assert wib - wit == dt.timedelta(hours=2)


def test_deadline_day_follows_the_setting(world, settings):
    settings.REPORT_DEADLINE_DAY = 5
    assert months.deadline_for(world.centre_a, JAN).date() == dt.date(2025, 2, 5)


def test_on_time_is_judged_in_the_centres_zone(world):
    # 15:30 UTC on 10 Feb is 22:30 WIB (on time) but 00:30 on 11 Feb WIT (late).
    at = dt.datetime(2025, 2, 10, 15, 30, tzinfo=UTC)
    assert months.is_on_time(at, world.centre_a, JAN) is True
    assert months.is_on_time(at, world.centre_c, JAN) is False
    assert months.is_on_time(None, world.centre_a, JAN) is False


def test_lock_date_and_setting(settings):
    assert months.lock_date_for(JAN) == dt.date(2025, 4, 1)  # 31 Jan + 60 days
    settings.REPORT_LOCK_DAYS = 30
    assert months.lock_date_for(JAN) == dt.date(2025, 3, 2)


def test_expected_centres_are_those_active_in_the_month(world):
    centre = world.centre_b  # activated 1 Sep 2020
    assert not deadlines.is_expected(centre, dt.date(2020, 8, 1))
    assert deadlines.is_expected(centre, dt.date(2020, 9, 1))
    centre.activated_on = dt.date(2020, 9, 25)  # activated late in the month: still expected
    centre.deactivated_on = dt.date(2024, 3, 10)
    centre.save()
    assert deadlines.is_expected(centre, dt.date(2020, 9, 1))
    assert deadlines.is_expected(centre, dt.date(2024, 3, 1))  # deactivated during the month
    assert not deadlines.is_expected(centre, dt.date(2024, 4, 1))
    ids = set(deadlines.expected_centres(dt.date(2024, 4, 1)).values_list("pk", flat=True))
    assert centre.pk not in ids and world.centre_a.pk in ids


def test_submission_opens_after_the_month_ends_in_local_time(world):
    at = dt.datetime(2025, 1, 31, 16, 30, tzinfo=UTC)  # 23:30 WIB, 01:30 WIT on 1 Feb
    assert not months.is_open_for_submission(world.centre_a, JAN, at)
    assert months.is_open_for_submission(world.centre_c, JAN, at)


def test_days_until_deadline(world):
    at = dt.datetime(2025, 2, 7, 2, 0, tzinfo=UTC)
    assert months.days_until_deadline(world.centre_a, JAN, at) == 3
    assert months.days_until_deadline(world.centre_a, JAN, at + dt.timedelta(days=5)) == -2


def test_report_is_submitted_property(world):
    report = Report(centre=world.centre_a, period=JAN)
    assert not report.is_submitted
    report.status = Report.Status.VERIFIED
    assert report.is_submitted


def test_deactivation_on_the_first_means_not_expected_that_month(world):
    # Finding 5: deactivated_on is the first inactive day, so a centre deactivated on 1 April is
    # inactive that day and not expected for April, by every reader of "active in a month".
    centre = world.centre_b
    centre.deactivated_on = dt.date(2024, 4, 1)
    centre.save()
    april = dt.date(2024, 4, 1)
    assert not centre.is_active_on(april)
    assert not centre.is_active_in_month(april, dt.date(2024, 4, 30))
    assert not deadlines.is_expected(centre, april)
    assert centre.pk not in set(deadlines.expected_centres(april).values_list("pk", flat=True))
    assert deadlines.is_expected(centre, dt.date(2024, 3, 1))
    centre.deactivated_on = dt.date(2024, 4, 2)  # one active day in April: expected
    centre.save()
    assert deadlines.is_expected(centre, april)
    assert centre.pk in set(deadlines.expected_centres(april).values_list("pk", flat=True))
