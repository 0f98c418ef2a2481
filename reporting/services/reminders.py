"""Deadline reminders (run daily by Celery beat).

To the managers of expected centres that have not submitted: 3 days before the deadline, on the
day, and 3 days after. From 7 days late, the province's reviewers get the list of such centres.
Dates are the centres' own (WIB/WITA/WIT). Each reminder is recorded in ReminderLog, whose unique
key (centre, period, kind) guarantees none is sent twice; a missed day is caught up within the
kind's window.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from blkportal.core import links, months
from blkportal.core.months import add_months, deadline_date, deadline_for, first_of_month, lock_date_for
from blkportal.registry import access
from blkportal.registry.models import Centre, Role, TimeZone

from ..deadlines import expected_q
from ..models import ReminderKind, ReminderLog, Report

# kind -> first and last day (relative to the deadline day) on which it may go out.
WINDOWS = {
    ReminderKind.BEFORE_3: (-3, -1),
    ReminderKind.ON_DAY: (0, 2),
    ReminderKind.AFTER_3: (3, 6),
}
REVIEWER_DAYS = 7


def _kind_due(days: int) -> str | None:
    for kind, (start, end) in WINDOWS.items():
        if start <= days <= end:
            return kind
    return None


def _pending_centres(period: dt.date, tz: str, kind: str):
    submitted = Report.objects.filter(period=period, first_submitted_at__isnull=False).values("centre_id")
    logged = ReminderLog.objects.filter(period=period, kind=kind).values("centre_id")
    return (
        Centre.objects.filter(expected_q(period), province__timezone=tz)
        .exclude(pk__in=submitted)
        .exclude(pk__in=logged)
        .select_related("province")
        .order_by("province_id", "name")
    )


def _claim(centre_id: int, period: dt.date, kind: str, now, recipients: list[str]) -> bool:
    """Record the reminder; False when it was already recorded (by an earlier or parallel run)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                centre_id=centre_id, period=period, kind=kind, sent_at=now, recipients=", ".join(recipients)
            )
        return True
    except IntegrityError:
        return False


def _report_url(centre, period) -> str:
    path = reverse("reporting:report_open", args=[centre.pk, period.year, period.month])
    return links.absolute(path)


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder due now; return how many of each kind went out."""
    now = now or months.now()
    counts: dict[str, int] = defaultdict(int)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for tz in TimeZone.values:
            today = now.astimezone(zoneinfo.ZoneInfo(tz)).date()
            for back in (1, 2, 3):
                period = add_months(first_of_month(today), -back)
                days = (today - deadline_date(period)).days
                kind = _kind_due(days)
                if kind:
                    messages += _manager_reminders(period, tz, kind, days, now, counts)
                if days >= REVIEWER_DAYS and today <= lock_date_for(period):
                    messages += _reviewer_lists(period, tz, now, today, counts)
        if messages:
            send_mass_mail(messages, fail_silently=False, connection=get_connection())
    return dict(counts)


def _manager_reminders(period, tz, kind, days, now, counts) -> list[tuple]:
    messages = []
    centres = list(_pending_centres(period, tz, kind))
    managers = defaultdict(list)
    for user_centre, email in access.role_holder_emails(Role.MANAGER, centre_ids=[c.pk for c in centres]):
        managers[user_centre].append(email)
    for centre in centres:
        recipients = sorted(set(managers.get(centre.pk, [])))
        if not _claim(centre.pk, period, kind, now, recipients):
            continue
        counts[kind] += 1
        if not recipients:
            continue
        context = {
            "centre": centre,
            "period": period,
            "kind": kind,
            "days": days,
            "days_abs": abs(days),
            "deadline": deadline_for(centre, period),
            "url": _report_url(centre, period),
        }
        subject = render_to_string("reporting/email/reminder_subject.txt", context).strip()
        body = render_to_string("reporting/email/reminder.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return messages


def _reviewer_lists(period, tz, now, today, counts) -> list[tuple]:
    kind = ReminderKind.REVIEWERS_7
    by_province = defaultdict(list)
    for centre in _pending_centres(period, tz, kind):
        by_province[centre.province].append(centre)
    reviewers = defaultdict(set)  # province code -> e-mails, one query for every province listed
    for code, email in access.role_holder_emails(Role.REVIEWER, province_ids=[p.code for p in by_province]):
        reviewers[code].add(email)
    messages = []
    for province, centres in by_province.items():
        recipients = sorted(reviewers.get(province.code, ()))
        listed = [c for c in centres if _claim(c.pk, period, kind, now, recipients)]
        if not listed:
            continue
        counts[kind] += len(listed)
        if not recipients:
            continue
        rows = [(c, (today - deadline_date(period)).days) for c in listed]
        context = {
            "province": province,
            "period": period,
            "rows": rows,
            "url": links.absolute(reverse("reporting:overdue") + f"?period={period:%Y-%m}&province={province.code}"),
        }
        subject = render_to_string("reporting/email/overdue_list_subject.txt", context).strip()
        body = render_to_string("reporting/email/overdue_list.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return messages
