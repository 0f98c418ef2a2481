"""The centre's side: month list, open a month, fill the draft (htmx autosave), submit."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from .. import rules, selectors, services
from ..forms import LINE_FORMS, EvidenceForm, ReportForm, SubmitForm
from ..lines import LINE_KINDS
from ..models import Report
from ..policy import edit_block_reason, is_locked, may, month_label, report_actions
from ..services.reports import check_period
from ..snapshot import line_text
from ._common import flat_errors, form_error, parse_period
from .workbook import workbook_panel


@perm_required(Perm.VIEW_REPORTS)
def my_reports(request):
    """Managers go to their centre's months; reviewers and national users to the queue."""
    scope = access.scope_for(request.user, Perm.EDIT_REPORTS)
    if scope.centre_ids and not scope.national:
        centres = list(access.centres_for(request.user, Perm.EDIT_REPORTS).select_related("province"))
        if len(centres) == 1:
            return redirect("reporting:centre_reports", centre_id=centres[0].pk)
        return render(request, "reporting/my_reports.html", {"centres": centres})
    return redirect("reporting:queue")


@perm_required(Perm.VIEW_REPORTS)
def centre_reports(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.VIEW_REPORTS, centre_id)
    return render(
        request,
        "reporting/centre_reports.html",
        {
            "centre": centre,
            "rows": selectors.centre_months(centre=centre),
            "can_edit": may(request.user, Perm.EDIT_REPORTS, centre),
        },
    )


@perm_required(Perm.VIEW_REPORTS)
def report_open(request, centre_id, year, month):
    """A month of a centre: go to its report, or offer to start one (POST creates the draft)."""
    centre = access.get_centre_or_404(request.user, Perm.VIEW_REPORTS, centre_id)
    period = parse_period(year, month)
    if period is None:
        raise Http404
    can_edit = may(request.user, Perm.EDIT_REPORTS, centre)
    report = Report.objects.filter(centre=centre, period=period).first()
    if report is not None:
        if report_actions(request.user, report).edit:
            return redirect("reporting:report_edit", pk=report.pk)
        return redirect("reporting:report_detail", pk=report.pk)
    problem = None
    try:
        check_period(centre, period)
    except DomainError as exc:
        problem = exc.message
    if request.method == "POST":
        if not can_edit:
            raise Http404
        try:
            report = services.report_get_or_create_draft(centre=centre, period=period, by=request.user)
        except DomainError as exc:
            problem = exc.message
        else:
            return redirect("reporting:report_edit", pk=report.pk)
    return render(
        request,
        "reporting/report_open.html",
        {
            "centre": centre,
            "period": period,
            "problem": problem,
            "can_edit": can_edit,
            "locked": is_locked(centre, period),
            "can_unlock": may(request.user, Perm.UNLOCK_REPORTS, centre),
            "deadline": months.deadline_for(centre, period),
        },
    )


def _line_context(report, kind, form=None, editable=True):
    related = LINE_KINDS[kind].related
    rows = [(line, line_text(related, line)) for line in getattr(report, related).all()]
    return {
        "report": report,
        "kind": kind,
        "title": LINE_KINDS[kind].heading,
        "rows": rows,
        "form": form or LINE_FORMS[kind](prefix=kind),
        "editable": editable,
        "total": sum(line.amount for line, _text in rows) if kind == "income" else None,
    }


def rule_context(report, all_fields=False) -> dict:
    """The hard rules (block submission) and soft rules (warn) on the saved values, by field and as
    a summary: shown on the form and after every autosave, for the current month too. Fields not
    filled in yet are named once in the summary rather than outlined red from the first visit
    (all_fields: also beside each field, when the manager comes to fix them)."""
    hard, soft = rules.check(report)
    missing = [i for i in hard if i.code == "required"]
    broken = [i for i in hard if i.code != "required"]
    issues, warnings = {}, {}
    for issue in hard if all_fields else broken:
        issues.setdefault(issue.field, []).append(issue.message)
    for warning in soft:
        warnings.setdefault(warning["field"], []).append(warning["message"])
    labels = {name: ReportForm.base_fields[name].label or name for name in ReportForm.Meta.fields}
    return {
        "issues": issues,
        "warnings": warnings,
        "hard_all": hard,
        "hard_list": broken,
        "missing": [labels.get(i.field, i.field) for i in missing],
        "soft_list": soft,
    }


def _render_edit(request, report, form=None, evidence_form=None, status=200, check=False):
    checks = rule_context(report, all_fields=check or bool(request.GET.get("periksa")))
    issues = checks["issues"]
    form = form or ReportForm(instance=report, initial={"version": report.version})
    panel = workbook_panel(request, report, checks)
    lines = [_line_context(report, kind) for kind in LINE_KINDS]
    for section in lines:
        section["upload_problems"] = panel["lines"].get(section["kind"], [])
    return render(
        request,
        "reporting/report_edit.html",
        {
            "report": report,
            "centre": report.centre,
            "form": form,
            **checks,
            "batch_issues": issues.get("batches", []),
            "batch_warnings": checks["warnings"].get("batches", []),
            "fields": ReportForm.Meta.fields,
            "batches": selectors.report_batches(report),
            "lines": lines,
            "workbook": panel,
            "upload_issues": panel["fields"],
            "evidence": report.evidence_files.all(),
            "evidence_form": evidence_form or EvidenceForm(),
            "correction": selectors.active_correction(report),
            "deadline": months.deadline_for(report.centre, report.period),
            "days_left": months.days_until_deadline(report.centre, report.period),
            "month": month_label(report.period),
        },
        status=status,
    )


@perm_required(Perm.EDIT_REPORTS)
def report_edit(request, pk):
    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    reason = edit_block_reason(report)
    if reason:
        messages.info(request, reason)
        return redirect("reporting:report_detail", pk=report.pk)
    return _render_edit(request, report)


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def report_autosave(request, pk):
    """Save what the manager typed. htmx gets the save status (and errors beside the fields);
    a plain POST (no JavaScript) gets the page back."""
    error, status = None, 200
    try:
        with transaction.atomic():
            # One read of the report, under its row lock, for the form and the service alike. The
            # form fills a copy, so the service still sees what changed.
            report = selectors.report_for_update(request.user, Perm.EDIT_REPORTS, pk)
            form = ReportForm(request.POST, instance=copy.copy(report))
            data = form.valid_data()
            report = services.report_save_draft(
                report=report, by=request.user, data=data, expected_version=request.POST.get("version"), locked=True
            )
    except DomainError as exc:
        error, status = exc.message, 409
    if request.htmx:
        context = {"report": report, "form": form, "error": error, "fields": ReportForm.Meta.fields}
        if error is None:
            context.update(rule_context(report))
        return render(request, "reporting/_save_status.html", context, status=status)
    if error:
        messages.error(request, error)
        if edit_block_reason(report):
            return refuse_not_editable(request, report)
        return _render_edit(request, report, form=form, status=status)
    if form.errors:
        messages.warning(request, _("Sebagian isian disimpan; perbaiki isian bertanda merah."))
        report.refresh_from_db()
        return _render_edit(request, report, form=_rebind(form, report))
    messages.success(request, _("Draf disimpan."))
    return redirect("reporting:report_edit", pk=report.pk)


def refuse_not_editable(request, report):
    """A plain (non-htmx) change to a report that can no longer be edited: 409 with the report page,
    which says why (the reason is already in the messages)."""
    from .review import render_report_detail

    report.refresh_from_db()
    return render_report_detail(request, report, status=409)


def _rebind(form, report):
    """Keep what the user typed (including the bad values) but carry the new version."""
    data = form.data.copy()
    data["version"] = report.version
    bound = ReportForm(data, instance=report)
    bound.is_valid()
    return bound


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def line_add(request, pk, kind):
    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    if kind not in LINE_KINDS:
        raise Http404
    form = LINE_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.report_line_add(report=report, by=request.user, kind=kind, data=form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            form = None
    if request.htmx:
        return render(request, "reporting/_lines.html", {"section": _line_context(report, kind, form)})
    if form is not None:
        messages.error(request, _("Baris belum ditambahkan: %(e)s") % {"e": "; ".join(flat_errors(form))})
    return redirect(reverse("reporting:report_edit", args=[report.pk]) + f"#bagian-{kind}")


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def line_remove(request, pk, kind, line_id):
    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    if kind not in LINE_KINDS:
        raise Http404
    error = None
    try:
        services.report_line_remove(report=report, by=request.user, kind=kind, line_id=line_id)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        context = _line_context(report, kind)
        context["error"] = error
        return render(request, "reporting/_lines.html", {"section": context})
    if error:
        messages.error(request, error)
    return redirect(reverse("reporting:report_edit", args=[report.pk]) + f"#bagian-{kind}")


@perm_required(Perm.SUBMIT_REPORTS)
def report_submit(request, pk):
    """Check the report against the rules and submit it (hard rules block, warnings need a note)."""
    report = selectors.report_for(request.user, Perm.SUBMIT_REPORTS, pk)
    if report.status == Report.Status.SUBMITTED:
        messages.info(request, _("Laporan ini sudah diajukan."))
        return redirect("reporting:report_detail", pk=report.pk)
    form = SubmitForm(
        request.POST or None, initial={"version": report.version, "explanation": report.warning_explanation}
    )
    problem, issues, warnings, status = edit_block_reason(report), [], [], 200
    if request.method == "POST" and form.is_valid() and problem is None:
        try:
            result = services.report_submit(
                report=report,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                explanation=form.cleaned_data["explanation"],
            )
        except services.ReportInvalidError as exc:
            issues = exc.issues
        except DomainError as exc:
            problem, status = exc.message, 409 if exc.code == "stale" else 200
        else:
            if result.already:
                messages.info(request, _("Laporan ini sudah diajukan."))
                return redirect("reporting:report_detail", pk=report.pk)
            if result.submitted:
                messages.success(
                    request, _("Laporan %(m)s diajukan. Terima kasih.") % {"m": month_label(report.period)}
                )
                return redirect("reporting:report_detail", pk=report.pk)
            warnings = result.warnings
            form.add_error("explanation", _("Tulis penjelasan singkat (minimal 10 karakter) untuk peringatan di atas."))
    elif problem is None:
        # The same checks on the current month too: problems show before the month ends.
        issues, warnings = rules.check(report)
    report.refresh_from_db()
    return render(
        request,
        "reporting/report_submit.html",
        {
            "report": report,
            "form": form,
            "problem": problem,
            "issues": issues,
            "warnings": warnings,
            "open": months.is_open_for_submission(report.centre, report.period),
            "month": month_label(report.period),
        },
        status=status,
    )
