"""Helpers shared by the reporting services."""

from __future__ import annotations

import datetime as dt
import functools

from django.apps import apps
from django.db import connection, transaction
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


def lock_report(report: Report, *, locked: bool = False) -> Report:
    """Re-read the report under a row lock (PostgreSQL), so concurrent actions queue up.

    Only the report's row is locked (`of=("self",)`): without it PostgreSQL also locks the joined
    centre and province rows, and every save in a province would wait for the one before it.
    `locked`: the caller read `report` with selectors.report_for_update in this same transaction
    (the autosave view does, so a save reads its report once); it is used as it is.
    """
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("locked=True needs the transaction in which the report was locked")
        return report
    return Report.objects.select_for_update(of=("self",)).select_related("centre__province").get(pk=report.pk)


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


# A draft's value history is kept per editing session, not per keystroke: the first draft save of a
# session adds a history row; the same user's further draft saves within DRAFT_HISTORY_SESSION of that
# row's time update its values (not its time, which is indexed: the update stays a cheap "HOT" one)
# instead of adding rows. So a row holds the last values of at most ten minutes of one user's
# editing, dated at their start. Another user, a later save, any status change (submit, return: rows
# of their own, never rewritten) or a change of the report's rows starts a new row.
DRAFT_HISTORY_SESSION = dt.timedelta(minutes=10)
DRAFT_SESSION_REASON = "autosave"


@functools.cache
def _session_update():
    """The statement that carries a draft save into its editing session's history row, and the history
    fields it sets. Built once from the history model: written with the ORM, the statement (every
    report column, and a subquery for the latest row) cost ≈ 1 ms of CPU to build at each autosave,
    five times what running it costs."""
    history = apps.get_model("reporting", "HistoricalReport")
    tracked = {f.attname for f in history.tracked_fields} - {"id"}
    fields = [f for f in history._meta.concrete_fields if f.attname in tracked]
    q = connection.ops.quote_name
    table = q(history._meta.db_table)
    sql = (
        f"UPDATE {table} SET "
        + ", ".join(f"{q(f.column)} = %s" for f in fields)
        + f" WHERE {q('history_id')} = (SELECT {q('history_id')} FROM {table} WHERE {q('id')} = %s"
        f" ORDER BY {q('history_date')} DESC, {q('history_id')} DESC LIMIT 1)"
        f" AND {q('history_type')} = '~' AND {q('history_change_reason')} = %s"
        f" AND {q('history_user_id')} = %s AND {q('status')} = %s AND {q('history_date')} >= %s"
    )
    return sql, fields


def _coalesce_history(report: Report, by, now) -> bool:
    """Update the report's latest history row to the report's values if it is `by`'s editing session
    of a draft (same status, begun less than DRAFT_HISTORY_SESSION ago). True when it was."""
    sql, fields = _session_update()
    values = [f.get_db_prep_save(getattr(report, f.attname), connection) for f in fields]
    since = connection.ops.adapt_datetimefield_value(now - DRAFT_HISTORY_SESSION)
    params = [*values, report.pk, DRAFT_SESSION_REASON, by.pk, report.status, since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def save_draft_values(report: Report, by, fields: list[str], now=None) -> None:
    """Save a draft's changed `fields` (only those columns, and the version), with its history row
    coalesced per editing session (DRAFT_HISTORY_SESSION; docs/architecture.md, "Report history", §4).
    `now`: the service's clock, so the history date and the session window follow the same moment as
    the editability check."""
    now = now or months.now()
    report.version += 1
    report.updated_by = by
    if _coalesce_history(report, by, now):
        report.skip_history_when_saving = True
    else:
        report._history_user = by
        report._history_date = now
        report._change_reason = DRAFT_SESSION_REASON
    try:
        report.save(update_fields=sorted({*fields, "version", "updated_by", "updated_at"}))
    finally:
        for name in ("skip_history_when_saving", "_history_date", "_change_reason"):
            report.__dict__.pop(name, None)


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
