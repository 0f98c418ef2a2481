"""What a user may do to a report, and why not. Read by services (to refuse), by the report pages
and by the API (to offer and explain). Who holds which permission where is access's answer; this
module adds the report's state and the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.months import lock_date_for, lock_moment_for
from blkportal.registry import access
from blkportal.registry.access import Perm

from .models import CorrectionRequest, Report

EDITABLE = (Report.Status.DRAFT, Report.Status.RETURNED)
REVIEWED_OR_LATER = (Report.Status.SUBMITTED, Report.Status.VERIFIED, Report.Status.APPROVED)
# Returning a report and deciding a correction: the regional reviewer or the directorate.
REVIEW_PERMS = (Perm.VERIFY_REPORTS, Perm.APPROVE_REPORTS)


def month_label(period: dt.date) -> str:
    return date_format(period, "F Y")


def is_locked(centre, period: dt.date, unlocked_until: dt.datetime | None = None, now=None) -> bool:
    """Past the lock date in the centre's zone, and not reopened."""
    now = now or months.now()
    if unlocked_until and now <= unlocked_until:
        return False
    return now > lock_moment_for(centre, period)


def edit_block_reason(report: Report, now: dt.datetime | None = None) -> str | None:
    """None when the centre may edit the report now; otherwise the reason, for the person."""
    if report.status == Report.Status.SUBMITTED:
        return _("Laporan sudah diajukan dan sedang menunggu verifikasi; isinya tidak dapat diubah.")
    if report.status == Report.Status.VERIFIED:
        return _("Laporan sudah diverifikasi dan menunggu persetujuan; isinya tidak dapat diubah.")
    if report.status == Report.Status.APPROVED:
        return _("Laporan sudah disetujui. Perubahan hanya melalui permintaan koreksi.")
    if is_locked(report.centre, report.period, report.unlocked_until, now):
        return _("Batas pengisian laporan %(month)s sudah lewat (%(date)s). Minta administrator membuka kunci.") % {
            "month": month_label(report.period),
            "date": date_format(lock_date_for(report.period), "j F Y"),
        }
    return None


def is_editable(report: Report, now: dt.datetime | None = None) -> bool:
    return edit_block_reason(report, now) is None


def batch_month_block_reason(centre, period: dt.date, now=None) -> str | None:
    """A batch's counts belong to the month it ends in: that month's report must still be open."""
    report = Report.objects.filter(centre=centre, period=period).select_related("centre__province").first()
    if report is not None:
        if report.status in REVIEWED_OR_LATER:
            return _(
                "Laporan %(month)s sudah %(status)s, jadi angkatan yang selesai pada bulan itu tidak dapat "
                "diubah. Minta pengembalian atau koreksi laporan terlebih dulu."
            ) % {"month": month_label(period), "status": report.get_status_display().lower()}
        if is_locked(centre, period, report.unlocked_until, now):
            return _("Batas pengisian laporan %(month)s sudah lewat.") % {"month": month_label(period)}
        return None
    if is_locked(centre, period, None, now):
        return _("Batas pengisian laporan %(month)s sudah lewat.") % {"month": month_label(period)}
    return None


def may(user, perm: str, centre) -> bool:
    """`user` holds `perm` on the centre (the role part of every question below)."""
    return access.user_can_on_centre(user, perm, centre)


def may_review(user, centre) -> bool:
    """Return the centre's reports and decide their corrections: its reviewer or the directorate."""
    return access.user_can_any_on_centre(user, REVIEW_PERMS, centre)


@dataclass(frozen=True)
class ReportActions:
    """What `user` may do to one report now (the buttons a page offers)."""

    edit: bool
    verify: bool
    approve: bool
    send_back: bool
    request_correction: bool
    decide_correction: bool
    unlock: bool
    comment: bool


def report_actions(user, report: Report, *, correction: CorrectionRequest | None = None, now=None) -> ReportActions:
    """`correction`: the report's active correction request, if any."""
    centre, state = report.centre, report.status
    verify = may(user, Perm.VERIFY_REPORTS, centre) and state == Report.Status.SUBMITTED
    approve = may(user, Perm.APPROVE_REPORTS, centre) and state == Report.Status.VERIFIED
    return ReportActions(
        edit=may(user, Perm.EDIT_REPORTS, centre) and edit_block_reason(report, now) is None,
        verify=verify,
        approve=approve,
        send_back=verify or approve,
        request_correction=may(user, Perm.REQUEST_CORRECTION, centre)
        and state == Report.Status.APPROVED
        and correction is None,
        decide_correction=may_review(user, centre)
        and correction is not None
        and correction.status == CorrectionRequest.Status.PENDING,
        unlock=may(user, Perm.UNLOCK_REPORTS, centre)
        and state in EDITABLE
        and is_locked(centre, report.period, report.unlocked_until, now),
        comment=may(user, Perm.COMMENT_REPORTS, centre),
    )
