"""Writes of the reporting app. Each service is atomic, checks the scope of `by` (the acting user),
records who, when and why, and sends reporting.signals.report_changed for every report or batch it
changes."""

from .batches import batch_create, batch_delete, batch_update
from .comments import comment_add
from .evidence import evidence_add, evidence_remove
from .history import HistoryReport, history_problems, history_report_issues, reports_import_history
from .reminders import reminders_send
from .reports import (
    DRAFT_FIELDS,
    report_get_or_create_draft,
    report_line_add,
    report_line_remove,
    report_save_draft,
)
from .workbook import report_workbook_pending, report_workbook_resolve, report_workbook_upload
from .workflow import (
    ReportInvalidError,
    SubmitResult,
    correction_approve,
    correction_reject,
    correction_request,
    report_approve,
    report_return,
    report_submit,
    report_unlock,
    report_verify,
)

__all__ = [
    "DRAFT_FIELDS",
    "HistoryReport",
    "ReportInvalidError",
    "SubmitResult",
    "batch_create",
    "batch_delete",
    "batch_update",
    "comment_add",
    "correction_approve",
    "correction_reject",
    "correction_request",
    "evidence_add",
    "evidence_remove",
    "history_problems",
    "history_report_issues",
    "reminders_send",
    "report_approve",
    "report_get_or_create_draft",
    "report_line_add",
    "report_line_remove",
    "report_return",
    "report_save_draft",
    "report_submit",
    "report_unlock",
    "report_verify",
    "report_workbook_pending",
    "report_workbook_resolve",
    "report_workbook_upload",
    "reports_import_history",
]
