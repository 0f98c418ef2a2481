"""The portal's one calendar: months, their bounds, labels, and the deadline and lock arithmetic.

A month is represented by the date of its first day. A valid month is written "YYYY-MM" (a
browser's month picker sends that; "YYYY-MM-01" is accepted too), is no earlier than FIRST_MONTH
(the programme started in 2017) and no later than the current month unless the caller allows
future months. The one error message for a bad month is INVALID_MONTH.

Deadlines: a month's report is due on day REPORT_DEADLINE_DAY after the month's end at 23:59:59 in
the centre's own time zone (WIB/WITA/WIT); editing closes at the end of the lock date
(REPORT_LOCK_DAYS after the month's end) unless an administrator unlocks it.

The clock is read in one place, `now()` and `today()`; services take `now=` and pass it down.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo

import django_filters
from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

FIRST_MONTH = dt.date(2017, 1, 1)
END_OF_DAY = dt.time(23, 59, 59)
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})(?:-01)?$")
INVALID_MONTH = _("Isi bulan dengan format TTTT-BB (misalnya 2025-01), dari Januari 2017 sampai bulan ini.")


# --- the clock --------------------------------------------------------------------------------


def now() -> dt.datetime:
    """The current moment (aware). Views and tasks call this; services take `now=`."""
    return timezone.now()


def today(at: dt.datetime | None = None) -> dt.date:
    """The date in the portal's time zone (Asia/Jakarta) at `at` (default: now)."""
    return timezone.localdate(at or now())


# --- months -------------------------------------------------------------------------------------


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def current_month(at: dt.datetime | None = None) -> dt.date:
    return first_of_month(today(at))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clipped to the month's last day (31 Jan + 1 = 28/29
    Feb); the first of a month stays the first of a month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the month holding `day`."""
    return first_of_month(day), month_end(day)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of every month from start's month to end's month, inclusive."""
    months, current = [], first_of_month(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    return month_end(add_months(quarter_start(day), 2))


def month_label(day: dt.date) -> str:
    """ "Maret 2024" in the active language (month names come from Django's locale data)."""
    return formats.date_format(day, "F Y")


def parse_month(value, *, allow_future: bool = False, at: dt.datetime | None = None) -> dt.date | None:
    """ "2025-01" -> date(2025, 1, 1); None for anything that is not a valid month (see the module)."""
    if isinstance(value, dt.date):
        candidate = first_of_month(value)
    else:
        match = MONTH_RE.match((value or "").strip()) if isinstance(value, str) else None
        if not match or not 1 <= int(match.group(2)) <= 12:
            return None
        candidate = dt.date(int(match.group(1)), int(match.group(2)), 1)
    if candidate < FIRST_MONTH or (not allow_future and candidate > current_month(at)):
        return None
    return candidate


class MonthFormField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends that); cleans to its first day."""

    default_error_messages = {"invalid": INVALID_MONTH}

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "TTTT-BB"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = parse_month(value, allow_future=self.allow_future)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


class MonthFilter(django_filters.Filter):
    """?month=YYYY-MM filters `field_name` to that month (a bad month is a form error, not a 500)."""

    field_class = MonthFormField

    def filter(self, qs, value):
        return qs.filter(**{self.field_name: value}) if value else qs


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "example": "2025-01"})
class MonthSerializerField(serializers.Field):
    """A month as "YYYY-MM" in and out (stored as the month's first day)."""

    default_error_messages = {"invalid": INVALID_MONTH}

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        month = parse_month(data, allow_future=self.allow_future) if isinstance(data, str) else None
        if month is None:
            self.fail("invalid")
        return month

    def to_representation(self, value):
        return f"{value:%Y-%m}"


# --- deadlines and locks, in the centre's own time zone -----------------------------------------


def centre_tz(centre) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(centre.province.timezone)


def deadline_date(period: dt.date, deadline_day: int | None = None) -> dt.date:
    """Day `deadline_day` (default: settings.REPORT_DEADLINE_DAY) after the month's end."""
    days = settings.REPORT_DEADLINE_DAY if deadline_day is None else deadline_day
    return month_end(period) + dt.timedelta(days=days)


def deadline_for(centre, period: dt.date, deadline_day: int | None = None) -> dt.datetime:
    """The aware moment the report for `period` is due, in the centre's own zone (on day
    `deadline_day` after the month's end; default: the setting in force now)."""
    return dt.datetime.combine(deadline_date(period, deadline_day), END_OF_DAY, tzinfo=centre_tz(centre))


def lock_date_for(period: dt.date) -> dt.date:
    """Last day on which the centre may still edit or submit the report (then only by unlock)."""
    return month_end(period) + dt.timedelta(days=settings.REPORT_LOCK_DAYS)


def lock_moment_for(centre, period: dt.date) -> dt.datetime:
    return dt.datetime.combine(lock_date_for(period), END_OF_DAY, tzinfo=centre_tz(centre))


def local_today(centre, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(centre_tz(centre)).date()


def current_period(centre, now: dt.datetime | None = None) -> dt.date:
    return first_of_month(local_today(centre, now))


def is_open_for_submission(centre, period: dt.date, now: dt.datetime | None = None) -> bool:
    """A month can be submitted once it has ended in the centre's zone."""
    return month_end(period) < local_today(centre, now)


def is_on_time(first_submitted_at: dt.datetime | None, centre, period: dt.date) -> bool:
    """On time is judged on the first submission only."""
    return first_submitted_at is not None and first_submitted_at <= deadline_for(centre, period)


def days_until_deadline(centre, period: dt.date, now: dt.datetime | None = None) -> int:
    """Whole days from today to the deadline day, both in the centre's zone (negative = late)."""
    return (deadline_date(period) - local_today(centre, now)).days
