"""The monthly report as a spreadsheet: download it pre-filled, upload it back as the draft, and
choose per value when the draft changed on the portal meanwhile. Thin: scope, form, one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core.errors import DomainError
from blkportal.core.models import ImportStatus
from blkportal.registry.access import Perm, perm_required

from .. import selectors, services, workbook
from ..forms import WorkbookUploadForm
from ..policy import edit_block_reason, month_label, report_actions
from ..services.workbook import FILE, SERVER, WorkbookChangedError, workbook_job_for
from ._common import flat_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@perm_required(Perm.VIEW_REPORTS)
def report_workbook(request, pk):
    """The report's workbook: the manager's copy to fill while the report is editable, otherwise
    (and for reviewers and other viewers) a locked copy that cannot be uploaded back."""
    report = selectors.report_for(request.user, Perm.VIEW_REPORTS, pk)
    editable = report_actions(request.user, report).edit
    response = HttpResponse(workbook.workbook_xlsx(report, editable=editable), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook.workbook_filename(report)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _after(report, job) -> str:
    url = reverse("reporting:report_edit", args=[report.pk]) + f"?unggahan={job.pk}"
    if job.status == ImportStatus.APPLIED:
        url += "&periksa=1"
    return url + "#lembar-kerja"


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def report_workbook_upload(request, pk):
    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    form = WorkbookUploadForm(request.POST, request.FILES)
    edit_url = reverse("reporting:report_edit", args=[report.pk]) + "#lembar-kerja"
    if not form.is_valid():
        messages.error(request, " ".join(flat_errors(form)))
        return redirect(edit_url)
    try:
        job = services.report_workbook_upload(report=report, by=request.user, upload=form.cleaned_data["file"])
    except DomainError as exc:
        messages.error(request, exc.message)
        if edit_block_reason(report):
            from .reports import refuse_not_editable

            return refuse_not_editable(request, report)
        return redirect(edit_url)
    if job.status == ImportStatus.CHECKED:
        return redirect("reporting:report_workbook_choose", pk=report.pk, job_id=job.pk)
    return redirect(_after(report, job))


@perm_required(Perm.EDIT_REPORTS)
def report_workbook_choose(request, pk, job_id):
    """The draft changed on the portal after the file was downloaded: for each value that differs,
    the portal's or the file's."""
    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    job = workbook_job_for(request.user, report, job_id)
    if job is None:
        raise Http404
    reason = edit_block_reason(report)
    if reason:
        messages.info(request, reason)
        return redirect("reporting:report_detail", pk=report.pk)
    if job.status != ImportStatus.CHECKED:
        return redirect(_after(report, job))
    error, status, chosen = None, 200, {}
    if request.method == "POST":
        keys = request.POST.getlist("kunci")
        everything = request.POST.get("semua")
        if everything in (FILE, SERVER):
            chosen = dict.fromkeys(keys, everything)
        else:
            chosen = {key: request.POST.get(f"pilih-{key}", "") for key in keys}
        try:
            job = services.report_workbook_resolve(
                job=job, report=report, by=request.user, choices=chosen, seen=request.POST.get("seen", "")
            )
        except WorkbookChangedError as exc:
            error, status, chosen = exc.message, 409, {}
        except DomainError as exc:
            error, status = exc.message, 400
        else:
            return redirect(_after(report, job))
    try:
        conflicts, seen = services.report_workbook_pending(job=job, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:report_edit", pk=report.pk)
    rows = [
        {"change": c, "choice": chosen.get(c.key) or ("" if c.file_changed else SERVER), "field": f"pilih-{c.key}"}
        for c in conflicts
    ]
    return render(
        request,
        "reporting/workbook_choose.html",
        {
            "report": report,
            "centre": report.centre,
            "month": month_label(report.period),
            "job": job,
            "rows": rows,
            "seen": seen,
            "error": error,
        },
        status=status,
    )


def workbook_panel(request, report, checks) -> dict:
    """The edit page's spreadsheet card: the upload form and, after an upload (?unggahan=<job>),
    its result: each refused cell (also beside its field or section), or the report's rules with
    the cell each one points at."""
    from ..forms import ReportForm
    from ..lines import LINE_KINDS
    from ..workbook.layout import rule_refs

    job = workbook_job_for(request.user, report, request.GET["unggahan"]) if "unggahan" in request.GET else None
    panel = {"job": job, "form": WorkbookUploadForm(), "fields": {}, "batches": [], "lines": {}, "rules": []}
    if job is None:
        return panel
    if job.status == ImportStatus.FAILED:
        for problem in job.problems:
            text = _("Berkas Excel, sel %(ref)s: %(message)s") % problem
            target = problem.get("target")
            if target in ReportForm.Meta.fields:
                panel["fields"].setdefault(target, []).append(text)
            elif target in LINE_KINDS:
                panel["lines"].setdefault(target, []).append(text)
            else:
                panel["batches"].append(text)
    elif job.status == ImportStatus.APPLIED:
        refs = rule_refs()
        labels = {name: ReportForm.base_fields[name].label or name for name in ReportForm.Meta.fields}
        labels["batches"] = _("A. Pelatihan")
        for kind in LINE_KINDS.values():
            labels[kind.key] = labels[kind.related] = kind.label
        labels["own_income"] = LINE_KINDS["income"].label
        for issue in checks["hard_all"]:
            panel["rules"].append(
                {
                    "ref": refs.get(issue.field, ""),
                    "label": labels.get(issue.field, ""),
                    "message": issue.message,
                    "level": "error",
                }
            )
        for warning in checks["soft_list"]:
            panel["rules"].append(
                {
                    "ref": refs.get(warning["field"], ""),
                    "label": labels.get(warning["field"], ""),
                    "message": warning["message"],
                    "level": "warning",
                }
            )
    return panel
