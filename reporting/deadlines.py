"""Periods, deadlines, lock dates and who is expected to report (domain.md §3 and §5).

A period is the first day of a month. The deadline is day REPORT_DEADLINE_DAY after the month's
end at 23:59:59 in the centre's own time zone (WIB/WITA/WIT). Editing closes at the end of the
lock date (REPORT_LOCK_DAYS after the month's end), unless an administrator unlocks it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

END_OF_DAY = dt.time(23, 59, 59)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(period: dt.date, months: int) -> dt.date:
    index = period.year * 12 + (period.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_bounds(period: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the month holding `period`."""
    first = first_of_month(period)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of every month from start's month to end's month, inclusive."""
    months, current = [], first_of_month(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def centre_tz(centre) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(centre.province.timezone)


def deadline_date(period: dt.date) -> dt.date:
    return month_bounds(period)[1] + dt.timedelta(days=settings.REPORT_DEADLINE_DAY)


def deadline_for(centre, period: dt.date) -> dt.datetime:
    """The aware moment the report for `period` is due, in the centre's own zone."""
    return dt.datetime.combine(deadline_date(period), END_OF_DAY, tzinfo=centre_tz(centre))


def lock_date_for(period: dt.date) -> dt.date:
    """Last day on which the centre may still edit or submit the report (then only by unlock)."""
    return month_bounds(period)[1] + dt.timedelta(days=settings.REPORT_LOCK_DAYS)


def lock_moment_for(centre, period: dt.date) -> dt.datetime:
    return dt.datetime.combine(lock_date_for(period), END_OF_DAY, tzinfo=centre_tz(centre))


def local_today(centre, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(centre_tz(centre)).date()


def current_period(centre, now: dt.datetime | None = None) -> dt.date:
    return first_of_month(local_today(centre, now))


def is_open_for_submission(centre, period: dt.date, now: dt.datetime | None = None) -> bool:
    """A month can be submitted once it has ended in the centre's zone."""
    return month_bounds(period)[1] < local_today(centre, now)


def is_expected(centre, period: dt.date) -> bool:
    first, last = month_bounds(period)
    return centre.is_active_in_month(first, last)


def expected_q(period: dt.date, prefix: str = "") -> Q:
    """Filter for centres active in the month (activated by its end, not deactivated before its start)."""
    first, last = month_bounds(period)
    return Q(**{f"{prefix}activated_on__lte": last}) & (
        Q(**{f"{prefix}deactivated_on__isnull": True}) | Q(**{f"{prefix}deactivated_on__gte": first})
    )


def expected_centres(period: dt.date, centres: QuerySet | None = None) -> QuerySet:
    """Centres expected to report for `period` (optionally within a scoped queryset of centres)."""
    from blkportal.registry.models import Centre

    base = centres if centres is not None else Centre.objects.all()
    return base.filter(expected_q(period))


def is_on_time(first_submitted_at: dt.datetime | None, centre, period: dt.date) -> bool:
    """On time is judged on the first submission only."""
    return first_submitted_at is not None and first_submitted_at <= deadline_for(centre, period)


def days_until_deadline(centre, period: dt.date, now: dt.datetime | None = None) -> int:
    """Whole days from today to the deadline day, both in the centre's zone (negative = late)."""
    return (deadline_date(period) - local_today(centre, now)).days
