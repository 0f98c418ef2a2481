"""The review workflow: submit, verify, approve, return, unlock, and corrections after approval.

DRAF → DIAJUKAN → DIVERIFIKASI (regional reviewer) → DISETUJUI (directorate); DIKEMBALIKAN from
either review step with a mandatory reason. Each transition is one service that records who, when
and why (ReportTransition), keeps the values' history (simple_history) and sends report_changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.core.months import deadline_for, is_open_for_submission, lock_moment_for, month_bounds
from blkportal.registry import access
from blkportal.registry.access import Perm

from .. import notify, rules
from ..models import CorrectionRequest, Report, TransitionAction
from ..policy import EDITABLE, REVIEW_PERMS, month_label
from ..snapshot import batch_dict, report_snapshot
from ._common import changed, lock_report, record, require, require_editable, save_report
from .reports import stale_message

# A return or an approved correction reopens editing for this long, even past the lock date.
REOPEN_DAYS = 14
MIN_REASON = 10


class ReportInvalidError(DomainError):
    """Hard rules failed: `issues` holds one message per field."""

    def __init__(self, issues):
        super().__init__(
            _("Laporan belum dapat diajukan: %(n)s isian perlu diperbaiki.") % {"n": len(issues)}, code="invalid"
        )
        self.issues = issues


@dataclass
class SubmitResult:
    report: Report
    submitted: bool = False
    already: bool = False
    warnings: list = field(default_factory=list)


# A transition refused because another one happened this recently is explained as a race.
RACE_WINDOW = dt.timedelta(minutes=30)


def _state_error(report: Report, message: str, now=None) -> DomainError:
    """The refusal of a transition the report's status no longer allows. When another transition has
    just happened (two reviewers on the same report), say so rather than blaming the user."""
    now = now or months.now()
    last = report.transitions.select_related("actor").order_by("-at", "-pk").first()
    if last is None or last.at < now - RACE_WINDOW:
        return DomainError(message, code="state")
    who = last.actor.display_name if last.actor else _("pengguna lain")
    when = date_format(dj_timezone.localtime(last.at, report.centre.tz), "j F Y H:i")
    race = _(
        "Laporan ini baru saja %(action)s oleh %(who)s (%(when)s), sehingga tindakan Anda tidak dijalankan. "
        "Muat ulang halaman untuk melihat keadaan terbaru."
    ) % {"action": last.get_action_display().lower(), "who": who, "when": when}
    return DomainError(f"{race} {message}", code="state")


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise DomainError(
            _("%(what)s wajib diisi (minimal %(n)s karakter).") % {"what": what, "n": MIN_REASON}, field="reason"
        )
    return text


def _reopen_until(report: Report, now: dt.datetime) -> dt.datetime | None:
    """Keep editing open for REOPEN_DAYS when the lock date is near or past."""
    until = now + dt.timedelta(days=REOPEN_DAYS)
    if until <= lock_moment_for(report.centre, report.period):
        return report.unlocked_until
    return until


@transaction.atomic
def report_submit(*, report: Report, by, expected_version=None, explanation: str | None = None, now=None):
    """Submit for verification. Hard rules block (ReportInvalidError); soft warnings need an explanation.

    A second submit of a report already submitted is the same submission (double click): nothing
    changes and `already` is set. The first submission time is kept; it alone decides timeliness.
    """
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.SUBMIT_REPORTS, report.centre)
    if report.status == Report.Status.SUBMITTED:
        return SubmitResult(report=report, already=True)
    if expected_version is not None and str(expected_version) != str(report.version):
        raise DomainError(stale_message(report), code="stale")
    require_editable(report, now)
    if not is_open_for_submission(report.centre, report.period, now):
        raise DomainError(
            _("Laporan %(month)s baru dapat diajukan mulai %(date)s, setelah bulannya berakhir.")
            % {
                "month": month_label(report.period),
                "date": date_format(month_bounds(report.period)[1] + dt.timedelta(days=1), "j F Y"),
            },
            field="period",
        )
    batches = rules.rule_batches(report)  # both rule sets read them
    issues = rules.hard_errors(report, batch_list=batches)
    if issues:
        raise ReportInvalidError(issues)
    if explanation is not None:
        report.warning_explanation = explanation.strip()
    warnings = rules.soft_warnings(report, batch_list=batches)
    report.warnings = warnings
    if warnings and len(report.warning_explanation.strip()) < MIN_REASON:
        # Keep the warnings (the manager's home lists them) but do not submit.
        save_report(report, by, ["warnings", "warning_explanation"], bump=False)
        return SubmitResult(report=report, warnings=warnings)
    batches = list(rules.batches_in_month(report.centre, report.period))
    report.batches_snapshot = [batch_dict(b) for b in batches]
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.deadline_at = deadline_for(report.centre, report.period)
        report.on_time = now <= report.deadline_at
    report.last_submitted_at = now
    report.submitted_by = by
    report.unlocked_until = None
    record(
        report,
        action=TransitionAction.SUBMIT,
        to_status=Report.Status.SUBMITTED,
        by=by,
        at=now,
        reason=report.warning_explanation if warnings else "",
    )
    save_report(report, by)
    notify.notice("submitted", report_id=report.pk, actor_id=by.pk)
    changed(report)
    return SubmitResult(report=report, submitted=True, warnings=warnings)


@transaction.atomic
def report_verify(*, report: Report, by, note: str = "", now=None) -> Report:
    """Regional reviewer: DIAJUKAN → DIVERIFIKASI."""
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.VERIFY_REPORTS, report.centre)
    if report.status != Report.Status.SUBMITTED:
        raise _state_error(
            report,
            _("Hanya laporan berstatus Diajukan yang dapat diverifikasi (status sekarang: %(s)s).")
            % {"s": report.get_status_display()},
            now,
        )
    record(report, action=TransitionAction.VERIFY, to_status=Report.Status.VERIFIED, by=by, at=now, reason=note)
    report.verified_at, report.verified_by = now, by
    save_report(report, by)
    changed(report)
    return report


@transaction.atomic
def report_approve(*, report: Report, by, note: str = "", now=None) -> Report:
    """Directorate: DIVERIFIKASI → DISETUJUI. Closes an open correction (re-approval)."""
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.APPROVE_REPORTS, report.centre)
    if report.status != Report.Status.VERIFIED:
        raise _state_error(
            report,
            _("Hanya laporan yang sudah diverifikasi yang dapat disetujui (status sekarang: %(s)s).")
            % {"s": report.get_status_display()},
            now,
        )
    record(report, action=TransitionAction.APPROVE, to_status=Report.Status.APPROVED, by=by, at=now, reason=note)
    report.approved_at, report.approved_by = now, by
    save_report(report, by)
    CorrectionRequest.objects.filter(report=report, status=CorrectionRequest.Status.OPEN).update(
        status=CorrectionRequest.Status.CLOSED, closed_at=now
    )
    notify.notice("approved", report_id=report.pk, actor_id=by.pk)
    changed(report)
    return report


@transaction.atomic
def report_return(*, report: Report, by, reason: str, now=None) -> Report:
    """Back to the centre with a mandatory reason: from DIAJUKAN (regional reviewer) or
    DIVERIFIKASI (directorate). Editing reopens for a while even past the lock date."""
    now = now or months.now()
    report = lock_report(report)
    reason = _reason(reason, _("Alasan pengembalian"))
    if report.status == Report.Status.SUBMITTED:
        require(by, Perm.VERIFY_REPORTS, report.centre)
    elif report.status == Report.Status.VERIFIED:
        if not access.user_can_on_centre(by, Perm.APPROVE_REPORTS, report.centre) and access.user_can_on_centre(
            by, Perm.VERIFY_REPORTS, report.centre
        ):
            # A regional reviewer returning a report that another reviewer has just verified.
            raise _state_error(
                report,
                _("Laporan ini sudah diverifikasi; hanya direktorat yang dapat mengembalikannya sekarang."),
                now,
            )
        require(by, Perm.APPROVE_REPORTS, report.centre)
    else:
        raise _state_error(
            report, _("Laporan berstatus %(s)s tidak dapat dikembalikan.") % {"s": report.get_status_display()}, now
        )
    record(report, action=TransitionAction.RETURN, to_status=Report.Status.RETURNED, by=by, at=now, reason=reason)
    report.returned_at, report.returned_by, report.return_reason = now, by, reason
    report.unlocked_until = _reopen_until(report, now)
    save_report(report, by)
    notify.notice("returned", report_id=report.pk, actor_id=by.pk)
    changed(report)
    return report


@transaction.atomic
def report_unlock(*, centre, period: dt.date, by, reason: str, days: int = REOPEN_DAYS, now=None) -> Report:
    """Administrator: reopen a locked month for the centre for `days` days, with a recorded reason."""
    from .reports import check_period

    now = now or months.now()
    require(by, Perm.UNLOCK_REPORTS, centre)
    reason = _reason(reason, _("Alasan membuka kunci"))
    if not 1 <= int(days) <= 90:
        raise DomainError(_("Lama pembukaan harus 1 sampai 90 hari."), field="days")
    if now <= lock_moment_for(centre, period):
        raise DomainError(
            _("Laporan %(month)s belum terkunci; pengelola masih dapat mengisinya.") % {"month": month_label(period)},
            code="state",
        )
    report = Report.objects.filter(centre=centre, period=period).first()
    if report is None:
        check_period(centre, period, now)
        report = Report(centre=centre, period=period, created_by=by, updated_by=by)
        report._history_user = by
        report.save()
    report = lock_report(report)
    if report.status not in EDITABLE:
        raise DomainError(
            _("Laporan berstatus %(s)s tidak perlu dibuka kuncinya.") % {"s": report.get_status_display()},
            code="state",
        )
    record(report, action=TransitionAction.UNLOCK, to_status=report.status, by=by, at=now, reason=reason)
    report.unlocked_until = now + dt.timedelta(days=int(days))
    save_report(report, by)
    changed(report)
    return report


@transaction.atomic
def correction_request(*, report: Report, by, reason: str, now=None) -> CorrectionRequest:
    """Manager: ask to change an approved report, with a reason."""
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.REQUEST_CORRECTION, report.centre)
    reason = _reason(reason, _("Alasan koreksi"))
    if report.status != Report.Status.APPROVED:
        raise DomainError(_("Koreksi hanya dapat diminta untuk laporan yang sudah disetujui."), code="state")
    if report.corrections.filter(status__in=[CorrectionRequest.Status.PENDING, CorrectionRequest.Status.OPEN]).exists():
        raise DomainError(_("Sudah ada permintaan koreksi yang sedang berjalan untuk laporan ini."), code="state")
    correction = CorrectionRequest.objects.create(report=report, reason=reason, requested_by=by, requested_at=now)
    record(report, action=TransitionAction.CORRECTION_REQUEST, to_status=report.status, by=by, at=now, reason=reason)
    save_report(report, by, [], bump=False)
    notify.notice("correction_requested", report_id=report.pk, actor_id=by.pk, object_id=correction.pk)
    return correction


def _require_reviewer(by, centre) -> None:
    require(by, REVIEW_PERMS, centre)


@transaction.atomic
def correction_approve(*, correction: CorrectionRequest, by, note: str = "", now=None) -> CorrectionRequest:
    """Reviewer or directorate: unlock the approved report for correction (time-boxed).

    The approved values are kept as a snapshot; the diff against it is shown at re-approval.
    """
    now = now or months.now()
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    report = lock_report(correction.report)
    _require_reviewer(by, report.centre)
    if correction.status != CorrectionRequest.Status.PENDING or report.status != Report.Status.APPROVED:
        raise DomainError(_("Permintaan koreksi ini sudah diputuskan."), code="state")
    correction.snapshot = report_snapshot(report)
    correction.status = CorrectionRequest.Status.OPEN
    correction.decided_by, correction.decided_at, correction.decision_note = by, now, (note or "").strip()
    correction.save()
    record(
        report,
        action=TransitionAction.CORRECTION_APPROVE,
        to_status=Report.Status.DRAFT,
        by=by,
        at=now,
        reason=correction.decision_note or correction.reason,
    )
    report.unlocked_until = now + dt.timedelta(days=REOPEN_DAYS)
    save_report(report, by)
    notify.notice("correction_decided", report_id=report.pk, actor_id=by.pk, object_id=correction.pk)
    changed(report)
    return correction


@transaction.atomic
def correction_reject(*, correction: CorrectionRequest, by, note: str, now=None) -> CorrectionRequest:
    now = now or months.now()
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    report = lock_report(correction.report)
    _require_reviewer(by, report.centre)
    note = _reason(note, _("Alasan penolakan"))
    if correction.status != CorrectionRequest.Status.PENDING:
        raise DomainError(_("Permintaan koreksi ini sudah diputuskan."), code="state")
    correction.status = CorrectionRequest.Status.REJECTED
    correction.decided_by, correction.decided_at, correction.decision_note = by, now, note
    correction.save()
    record(report, action=TransitionAction.CORRECTION_REJECT, to_status=report.status, by=by, at=now, reason=note)
    save_report(report, by, [], bump=False)
    notify.notice("correction_decided", report_id=report.pk, actor_id=by.pk, object_id=correction.pk)
    return correction
