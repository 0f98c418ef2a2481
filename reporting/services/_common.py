"""Helpers shared by the reporting services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.registry import access

from ..models import Report, ReportTransition
from ..policy import edit_block_reason
from ..signals import send_report_changed


def require(by, perm: str | tuple[str, ...], centre) -> None:
    """Services re-check what the view already scoped: a forged call is refused, never obeyed."""
    access.check(by, perm, centre, message=_("Anda tidak berwenang melakukan tindakan ini pada laporan BLK ini."))


def lock_report(report: Report) -> Report:
    """Re-read the report under a row lock (PostgreSQL), so concurrent actions queue up."""
    return Report.objects.select_for_update().select_related("centre__province").get(pk=report.pk)


def require_editable(report: Report, now=None) -> None:
    reason = edit_block_reason(report, now)
    if reason:
        raise DomainError(reason, code="locked")


def save_report(report: Report, by, fields: list[str] | None = None, bump: bool = True) -> None:
    """Save with `by` as the history user; `bump` the version guarding the scalar values.

    Child rows (income lines, products, ...) are records of their own: adding one does not make an
    open editor's scalar values stale, so line services save without bumping.
    """
    if bump:
        report.version += 1
    report.updated_by = by
    report._history_user = by
    if fields is not None:
        fields = sorted(set(fields) | {"version", "updated_by", "updated_at"})
    report.save(update_fields=fields)


def record(report: Report, *, action: str, to_status: str, by, reason: str = "", at=None) -> ReportTransition:
    """Move the report to `to_status` and write the transition (who, when, from, to, why)."""
    at = at or months.now()
    transition = ReportTransition.objects.create(
        report=report, action=action, from_status=report.status, to_status=to_status, actor=by, at=at, reason=reason
    )
    report.status = to_status
    return transition


# Statuses whose values are counted in the monitoring facts; a draft or returned report shows only
# its status there, which its value edits do not change.
COUNTED_STATUSES = frozenset({Report.Status.SUBMITTED, Report.Status.VERIFIED, Report.Status.APPROVED})


def changed(report: Report) -> None:
    send_report_changed(centre_id=report.centre_id, period=report.period)


def values_changed(report: Report) -> None:
    """The report's values (not its status) changed: facts need a refresh only if they count them."""
    if report.status in COUNTED_STATUSES:
        changed(report)
