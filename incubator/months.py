"""Small calendar helpers: the incubator counts in months (progress) and quarters (mentoring)."""

import calendar
import datetime as dt

from django.utils import formats, timezone


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    return month_end(add_months(quarter_start(day), 2))


def today() -> dt.date:
    """Today in the portal's time zone (Asia/Jakarta)."""
    return timezone.localdate()


def parse_month(value: str) -> dt.date | None:
    """ "2024-03" (or "2024-03-01") -> date(2024, 3, 1); None when it is not a real month."""
    value = (value or "").strip()
    try:
        year, month = value.split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None


def month_label(day: dt.date) -> str:
    """ "Maret 2024" in the active language (month names come from Django's locale data)."""
    return formats.date_format(day, "F Y")
