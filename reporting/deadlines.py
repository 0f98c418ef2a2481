"""Who is expected to report for a month: the centres active on at least one day of it (activated by
the month's end and not deactivated on or before its first day; Centre.is_active_in_month).
Calendar, deadline and lock arithmetic live in blkportal.core.months."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, QuerySet

from blkportal.core.months import month_bounds, month_end


def is_expected(centre, period: dt.date) -> bool:
    first, last = month_bounds(period)
    return centre.is_active_in_month(first, last)


def expected_q(period: dt.date, prefix: str = "") -> Q:
    """Filter for centres active in the month (Centre.is_active_in_month): activated by its end and not
    deactivated on or before its first day."""
    first, last = month_bounds(period)
    return Q(**{f"{prefix}activated_on__lte": last}) & (
        Q(**{f"{prefix}deactivated_on__isnull": True}) | Q(**{f"{prefix}deactivated_on__gt": first})
    )


def expected_centres(period: dt.date, centres: QuerySet | None = None) -> QuerySet:
    """Centres expected to report for `period` (optionally within a scoped queryset of centres)."""
    from blkportal.registry.models import Centre

    base = centres if centres is not None else Centre.objects.all()
    return base.filter(expected_q(period))


def deadline_days_in_force(periods) -> dict[dt.date, int]:
    """Per month, the deadline day that was in force for it: the reports first submitted in the
    portal store the deadline they were judged against (Report.deadline_at, in their centre's zone);
    the day after the month's end it falls on, the most common one (ties: the later, the more
    lenient). Months with no such report are absent (the current setting applies). Used by the
    history import, so an imported report is judged as the portal judged that month."""
    import zoneinfo

    from .models import Report

    tally: dict[dt.date, Counter] = {}
    rows = (
        Report.objects.filter(period__in=list(periods), deadline_at__isnull=False, imported_at__isnull=True)
        .values_list("period", "deadline_at", "centre__province__timezone")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for period, deadline_at, zone, count in rows:
        local = deadline_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
        tally.setdefault(period, Counter())[(local - month_end(period)).days] += count
    return {period: max(counts.items(), key=lambda item: (item[1], item[0]))[0] for period, counts in tally.items()}
