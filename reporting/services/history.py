"""Past monthly reports imported from a spreadsheet (the history import, monitoring/imports.py).

An imported report was submitted and approved outside the portal: it is created approved, marked
imported (`Report.imported_at`), with its original submission date as its first submission, and
counts in facts and rankings like any other approved report. On time is judged from that date
against the deadline in force for its month (`deadlines.deadline_days_in_force`: the deadline the
portal stored on that month's reports; the current setting for a month nobody submitted here).

A centre-month that already has a report is refused, never overwritten. The rules that compare a
report with the batches recorded in the portal are not applied (`rules.hard_errors(batches=False)`):
those months' batches are usually not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.core.months import deadline_for, month_bounds
from blkportal.registry import access
from blkportal.registry.access import Perm

from .. import rules
from ..deadlines import deadline_days_in_force, is_expected
from ..fields import REPORT_INPUT_FIELDS
from ..models import IncomeSource, Report, ReportIncome, ReportTransition, TransitionAction
from ..policy import month_label
from ..signals import send_reports_imported


@dataclass
class HistoryReport:
    """One past report to import: its centre and month, the values of sections B and C, its own
    income (one income line), and when it was first submitted."""

    centre: object
    period: dt.date
    values: dict
    own_income: Decimal | None
    submitted_at: dt.datetime


def history_problems(centre, period: dt.date, submitted_at: dt.datetime | None, now) -> Iterator[DomainError]:
    """What keeps a past report of `centre` for `period`, first submitted at `submitted_at`, out of
    the portal (each with its field): the month must have ended and the centre been active in it;
    the submission must come after the month's end and not in the future."""
    if not months.is_open_for_submission(centre, period, now):
        yield DomainError(
            _("Bulan %(month)s belum berakhir; riwayat hanya untuk bulan yang sudah lewat.")
            % {"month": month_label(period)},
            field="period",
        )
        return
    if not is_expected(centre, period):
        yield DomainError(
            _("BLK ini tidak aktif pada %(month)s (aktif sejak %(since)s), jadi tidak ada laporan untuk bulan itu.")
            % {"month": month_label(period), "since": date_format(centre.activated_on, "j F Y")},
            field="period",
        )
    if submitted_at is None:
        return
    month_over = dt.datetime.combine(month_bounds(period)[1] + dt.timedelta(days=1), dt.time(), centre.tz)
    if submitted_at < month_over:
        yield DomainError(
            _("Tanggal pengajuan sebelum bulan %(month)s berakhir; laporan baru dapat diajukan setelahnya.")
            % {"month": month_label(period)},
            field="first_submitted_at",
        )
    elif submitted_at > now:
        yield DomainError(_("Tanggal pengajuan ada di masa depan."), field="first_submitted_at")


def history_report_issues(item: HistoryReport) -> list[rules.Issue]:
    """The hard rules of submission a past report breaks (those about batches left out)."""
    report = Report(centre=item.centre, period=item.period, **item.values)
    return rules.hard_errors(report, batches=False)


@transaction.atomic
def reports_import_history(*, items: list[HistoryReport], by, reason: str, now=None) -> list[Report]:
    """Create the past reports of `items`, approved and marked imported; `reason` (the file) goes in
    their history and status record. Announces them once (signals.reports_imported)."""
    now = now or months.now()
    days = deadline_days_in_force({item.period for item in items})
    # The centre-months that already have a report, in one query (a file may hold 20,000 rows); one
    # written meanwhile by someone else still fails on the table's unique constraint (IntegrityError).
    taken = set(
        Report.objects.filter(
            centre_id__in={item.centre.pk for item in items}, period__in={item.period for item in items}
        ).values_list("centre_id", "period")
    )
    reports = []
    for item in items:
        centre, period = item.centre, item.period
        access.check(
            by, Perm.IMPORT_HISTORY, centre, message=_("Hanya administrator yang dapat mengimpor riwayat laporan.")
        )
        problem = next(history_problems(centre, period, item.submitted_at, now), None)
        if problem is None and (centre.pk, period) in taken:
            problem = DomainError(
                _("BLK %(code)s sudah memiliki laporan %(month)s di portal; riwayat tidak menimpanya.")
                % {"code": centre.reg_code, "month": month_label(period)},
                field="period",
            )
        issue = next(iter(history_report_issues(item)), None)
        if problem is None and issue is not None:
            problem = DomainError(issue.message, field=issue.field)
        if problem is not None:
            raise problem
        deadline = deadline_for(centre, period, days.get(period))
        report = Report(
            centre=centre,
            period=period,
            status=Report.Status.APPROVED,
            **{name: value for name, value in item.values.items() if name in REPORT_INPUT_FIELDS},
            own_income=item.own_income or 0,
            first_submitted_at=item.submitted_at,
            last_submitted_at=item.submitted_at,
            deadline_at=deadline,
            on_time=item.submitted_at <= deadline,
            approved_at=now,
            approved_by=by,
            created_by=by,
            updated_by=by,
            imported_at=now,
        )
        report._history_user, report._change_reason = by, reason
        report.save()
        taken.add((centre.pk, period))
        if item.own_income:
            line = ReportIncome(
                report=report, source=IncomeSource.LAINNYA, amount=item.own_income, description=_("Riwayat impor")
            )
            line._history_user, line._change_reason = by, reason
            line.save()
        ReportTransition.objects.create(
            report=report,
            action=TransitionAction.IMPORT,
            from_status=Report.Status.DRAFT,
            to_status=Report.Status.APPROVED,
            actor=by,
            at=now,
            reason=reason,
        )
        reports.append(report)
    send_reports_imported(centre_months=[(r.centre_id, r.period) for r in reports])
    return reports
