"""Who is expected to report for a month: the centres active on at least one day of it (activated by
the month's end and not deactivated on or before its first day; Centre.is_active_in_month).
Calendar, deadline and lock arithmetic live in blkportal.core.months."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from blkportal.core.months import month_bounds


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
