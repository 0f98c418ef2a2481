"""Reads of the reporting app. Each starts from access (a user's scope) or from a report already
fetched through it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, QuerySet, When
from django.utils.translation import gettext_lazy as _

from blkportal.core import months
from blkportal.core.forms import compact
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import deadlines
from .filters import ReportFilter
from .lines import LINE_KINDS
from .models import (
    CorrectionRequest,
    EvidenceFile,
    Report,
    ReportTransition,
    TrainingBatch,
)
from .policy import EDITABLE, edit_block_reason, is_locked
from .rules import batches_in_month
from .snapshot import SCALAR_FIELDS, display_value, field_label, line_text, report_snapshot, snapshot_diff

MONTHS_SHOWN = 12


def report_qs():
    return Report.objects.select_related("centre__province", "centre__regency")


def report_for(user, perm: str, pk) -> Report:
    """One report within the user's scope for `perm`, else 404."""
    return access.get_object_or_404(report_qs(), user, perm, pk=pk)


def report_for_update(user, perm: str, pk) -> Report:
    """One report within the user's scope for `perm`, read under a lock on its row only (else 404).
    Inside a transaction, for a service called with `locked=True`: the save reads the report once."""
    qs = Report.objects.select_related("centre__province").select_for_update(of=("self",))
    return access.get_object_or_404(qs, user, perm, pk=pk)


def centre_months(*, centre, now=None) -> list[dict]:
    """The centre's months, newest first: report (or none), deadline, days left, editable."""
    now = now or months.now()
    current = months.current_period(centre, now)
    start = max(months.first_of_month(centre.activated_on), months.add_months(current, -(MONTHS_SHOWN - 1)))
    reports = {r.period: r for r in Report.objects.filter(centre=centre, period__gte=start)}
    rows = []
    period = current
    while period >= start:
        if deadlines.is_expected(centre, period):
            report = reports.get(period)
            if report is not None:
                report.centre = centre
            rows.append(
                {
                    "period": period,
                    "report": report,
                    "deadline": months.deadline_for(centre, period),
                    "days_left": months.days_until_deadline(centre, period, now),
                    "open": months.is_open_for_submission(centre, period, now),
                    "editable": (
                        not is_locked(centre, period, now=now)
                        if report is None
                        else edit_block_reason(report, now) is None
                    ),
                }
            )
        period = months.add_months(period, -1)
    return rows


def report_queue(*, user, params) -> tuple[ReportFilter, QuerySet[Report]]:
    """Reports in the user's scope, filtered by province, status, period and name."""
    base = access.filter_by_scope(report_qs(), user, Perm.VIEW_REPORTS)
    params = params.copy() if params is not None else {}
    if "status" not in params:
        params["status"] = default_queue_status(user)
    filterset = ReportFilter(params, queryset=base, provinces=access.provinces_for(user, Perm.VIEW_REPORTS))
    compact(filterset.form)
    qs = filterset.qs if filterset.is_valid() else base.none()
    # What waits longest first: a verified report waits for approval since its verification, a
    # submitted one for verification since its (last) submission.
    qs = qs.annotate(
        waiting_since=Case(
            When(status=Report.Status.VERIFIED, then=F("verified_at")),
            When(status=Report.Status.SUBMITTED, then=F("last_submitted_at")),
            default=F("updated_at"),
        )
    )
    return filterset, qs.order_by(F("waiting_since").asc(nulls_last=True), "period", "centre__name", "pk")


def reports_to_approve(*, user, ids) -> QuerySet[Report]:
    """The verified reports among `ids` that the user may approve (others are left out silently:
    the approval service re-checks each one anyway)."""
    clean = [int(i) for i in ids if str(i).isdigit()][:200]
    return (
        access.filter_by_scope(report_qs(), user, Perm.APPROVE_REPORTS)
        .filter(pk__in=clean, status=Report.Status.VERIFIED)
        .order_by("verified_at", "pk")
    )


def default_queue_status(user) -> str:
    if access.has_perm(user, Perm.VERIFY_REPORTS) and not access.is_national(user, Perm.VERIFY_REPORTS):
        return Report.Status.SUBMITTED
    if access.has_perm(user, Perm.APPROVE_REPORTS):
        return Report.Status.VERIFIED
    return ""


def latest_due_period(now=None) -> dt.date:
    """The most recent month whose deadline has passed (in the earliest zone, WIT)."""
    today = months.today(now)
    period = months.add_months(months.first_of_month(today), -1)
    if months.deadline_date(period) >= today:
        period = months.add_months(period, -1)
    return period


def overdue_centres(*, user, period: dt.date, province=None):
    """Expected centres in scope with no submission for `period`: (queryset of centres)."""
    centres = access.centres_for(user, Perm.VIEW_OVERDUE)
    if province is not None:
        centres = centres.filter(province=province)
    submitted = Report.objects.filter(period=period, first_submitted_at__isnull=False).values("centre_id")
    return (
        deadlines.expected_centres(period, centres)
        .exclude(pk__in=submitted)
        .select_related("province", "regency")
        .order_by("province_id", "name", "pk")
    )


def overdue_rows(centres, period: dt.date, now=None) -> list[dict]:
    """Days late per centre (its own zone) for one page of centres."""
    now = now or months.now()
    reports = {r.centre_id: r for r in Report.objects.filter(period=period, centre_id__in=[c.pk for c in centres])}
    return [
        {
            "centre": c,
            "report": reports.get(c.pk),
            "days_late": -months.days_until_deadline(c, period, now),
            "deadline": months.deadline_for(c, period),
        }
        for c in centres
    ]


def report_batches(report: Report) -> list:
    """Section A as the report shows it: live while editable, as submitted otherwise."""
    if report.status in EDITABLE or not report.batches_snapshot:
        return list(batches_in_month(report.centre, report.period))
    return report.batches_snapshot


def active_correction(report: Report) -> CorrectionRequest | None:
    return (
        report.corrections.filter(status__in=[CorrectionRequest.Status.PENDING, CorrectionRequest.Status.OPEN])
        .select_related("requested_by", "decided_by")
        .first()
    )


def correction_diff(report: Report, correction: CorrectionRequest | None) -> list[dict]:
    if correction is None or correction.status != CorrectionRequest.Status.OPEN:
        return []
    return snapshot_diff(correction.snapshot, report_snapshot(report))


def evidence_for(user, perm: str, pk) -> EvidenceFile:
    return access.get_object_or_404(
        EvidenceFile.objects.select_related("report__centre__province"),
        user,
        perm,
        centre_field="report__centre",
        pk=pk,
    )


def batch_for(user, perm: str, pk) -> TrainingBatch:
    return access.get_object_or_404(TrainingBatch.objects.select_related("centre__province"), user, perm, pk=pk)


def report_history(report: Report) -> list[dict]:
    """Transitions, value changes and evidence uploads, oldest first, for the history page. Times
    of values (e.g. "open until") read in the centre's own zone."""
    entries = []
    centre = report.centre
    for t in ReportTransition.objects.filter(report=report).select_related("actor"):
        entries.append({"at": t.at, "kind": "transition", "transition": t, "who": t.actor})
    previous = None
    tracked = set(SCALAR_FIELDS) | {"warning_explanation", "return_reason", "unlocked_until"}

    def change(name, old, new):
        return {
            "label": field_label(name),
            "old": display_value(name, old, centre),
            "new": display_value(name, new, centre),
        }

    for record in report.history.order_by("history_date", "history_id").select_related("history_user"):
        if previous is None:
            # The first record may already carry values (a draft started from last month's stock,
            # or the first save): list them, so no first change is lost.
            first = [
                change(name, None, getattr(record, name))
                for name in SCALAR_FIELDS
                if name in tracked and getattr(record, name) not in (None, "")
            ]
            entries.append({"at": record.history_date, "kind": "created", "who": record.history_user, "changes": first})
        else:
            delta = record.diff_against(previous)
            changes = [change(c.field, c.old, c.new) for c in delta.changes if c.field in tracked]
            if changes:
                entries.append(
                    {"at": record.history_date, "kind": "values", "who": record.history_user, "changes": changes}
                )
        previous = record
    entries.extend(_line_history(report))
    entries.extend(_evidence_history(report))
    entries.sort(key=lambda e: (e["at"], 0 if e["kind"] == "created" else 1 if e["kind"] == "values" else 2))
    return entries


def _evidence_history(report: Report) -> list[dict]:
    """Evidence files uploaded to or removed from the report."""
    entries = []
    for record in EvidenceFile.history.filter(report_id=report.pk).select_related("history_user"):
        if record.history_type not in ("+", "-"):
            continue
        text = f"{record.original_name} ({record.get_kind_display()})"
        entries.append(
            {
                "at": record.history_date,
                "kind": "evidence",
                "who": record.history_user or (record.uploaded_by if record.history_type == "+" else None),
                "added": record.history_type == "+",
                "text": text,
            }
        )
    return entries


def last_return(report: Report) -> ReportTransition | None:
    """The latest return of the report (reason, who, when), if it was ever returned."""
    return (
        ReportTransition.objects.filter(report=report, to_status=Report.Status.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _snapshot_as_of(report: Report, moment) -> dict | None:
    """The report's values and rows as they were at `moment` (from the history tables)."""
    from .snapshot import _display

    record = report.history.filter(history_date__lte=moment).order_by("-history_date", "-history_id").first()
    if record is None:
        return None
    lines = {}
    for line_kind in LINE_KINDS.values():
        rows = line_kind.model.history.as_of(moment).filter(report_id=report.pk)
        lines[line_kind.related] = sorted(line_text(line_kind.related, r) for r in rows)
    return {"fields": {name: _display(record, name) for name in SCALAR_FIELDS}, "lines": lines, "batches": []}


def changes_since_return(report: Report, returned: ReportTransition | None) -> list[dict] | None:
    """What the centre changed after the return (values and rows; None when unknown)."""
    if returned is None:
        return None
    before = _snapshot_as_of(report, returned.at)
    if before is None:
        return None
    now = report_snapshot(report, batches=[])
    now["batches"] = []
    return snapshot_diff(before, now)


HISTORY_TYPES = {"+": _("ditambah"), "-": _("dihapus"), "~": _("diubah")}


def _line_history(report: Report) -> list[dict]:
    """Rows added to or removed from the report's sections, with who and when."""
    entries = []
    for line_kind in LINE_KINDS.values():
        kind, label = line_kind.related, line_kind.label
        for record in line_kind.model.history.filter(report_id=report.pk).select_related("history_user"):
            entries.append(
                {
                    "at": record.history_date,
                    "kind": "values",
                    "who": record.history_user,
                    "changes": [
                        {
                            "label": f"{label} ({HISTORY_TYPES.get(record.history_type, '')})",
                            "old": "—" if record.history_type == "+" else line_text(kind, record.instance),
                            "new": "—" if record.history_type == "-" else line_text(kind, record.instance),
                        }
                    ],
                }
            )
    return entries
