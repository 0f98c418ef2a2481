"""The reviewers' side: queue, overdue list, verify / approve / return, corrections, unlock,
history, comments."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.core.views import paginate, querystring_without_page
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from .. import selectors, services, whatsapp
from ..forms import CommentForm, DecisionForm, ReasonForm, UnlockForm
from ..models import CorrectionRequest, Report
from ..policy import EDITABLE, is_locked, may_review, month_label, report_actions
from ._common import flat_errors, form_error, parse_period, safe_back


@perm_required(Perm.VIEW_REPORTS)
def report_detail(request, pk):
    report = selectors.report_for(request.user, Perm.VIEW_REPORTS, pk)
    return render_report_detail(request, report)


def render_report_detail(request, report, status=200):
    """The report page; also the answer (409) to a change sent to a report no longer editable."""
    correction = selectors.active_correction(report)
    actions = report_actions(request.user, report, correction=correction)
    returned = selectors.last_return(report)
    context = {
        "report": report,
        "centre": report.centre,
        "month": month_label(report.period),
        "back": safe_back(request, ""),
        "batches": selectors.report_batches(report),
        "evidence": report.evidence_files.all(),
        "comments": report.comments.select_related("author"),
        "comment_form": CommentForm(),
        "transitions": report.transitions.select_related("actor"),
        "correction": correction,
        "diff": selectors.correction_diff(report, correction),
        "returned": returned,
        "since_return": selectors.changes_since_return(report, returned),
        "deadline": months.deadline_for(report.centre, report.period),
        "can_edit": actions.edit,
        "can_verify": actions.verify,
        "can_approve": actions.approve,
        "can_return": actions.send_back,
        "can_request_correction": actions.request_correction,
        "can_decide": actions.decide_correction,
        "decision_form": DecisionForm(),
        "can_unlock": actions.unlock,
        "can_comment": actions.comment,
    }
    # A reviewer reaching a centre whose report is not in yet: WhatsApp links to its managers.
    if (
        report.status in EDITABLE
        and access.user_can_on_centre(request.user, Perm.VIEW_OVERDUE, report.centre)
        and not access.user_can_on_centre(request.user, Perm.EDIT_REPORTS, report.centre)
    ):
        context["whatsapp"] = whatsapp.reminder_links(
            centres=[report.centre], period=report.period, sender=request.user
        )[report.centre_id]
    return render(request, "reporting/report_detail.html", context, status=status)


@perm_required(Perm.VIEW_REPORTS)
def queue(request):
    filterset, qs = selectors.report_queue(user=request.user, params=request.GET)
    page = paginate(request, qs)
    context = {
        "filter": filterset,
        "page": page,
        "query": querystring_without_page(request),
        "back": request.get_full_path(),
        # Several verified reports can be approved at once by whoever approves.
        "can_bulk_approve": access.has_perm(request.user, Perm.APPROVE_REPORTS)
        and any(r.status == Report.Status.VERIFIED for r in page),
    }
    template = (
        "reporting/_queue_table.html" if request.htmx and not request.htmx.boosted else "reporting/report_queue.html"
    )
    return render(request, template, context)


@require_POST
@perm_required(Perm.APPROVE_REPORTS)
def queue_approve(request):
    """Approve several verified reports at once. The first POST shows what will be approved; the
    confirming POST approves each report through the one approval service (one transition, the
    audit record, per report). A report someone else approved or returned meanwhile is skipped."""
    ids = request.POST.getlist("report")
    reports = list(selectors.reports_to_approve(user=request.user, ids=ids))
    back = safe_back(request, reverse("reporting:queue") + "?status=verified")
    if not reports:
        messages.warning(request, _("Pilih minimal satu laporan terverifikasi untuk disetujui."))
        return redirect(back)
    if request.POST.get("confirm") != "1":
        return render(request, "reporting/queue_approve.html", {"reports": reports, "back": back})
    approved, failed = [], []
    note = _("Disetujui bersama %(n)s laporan dari antrean.") % {"n": len(reports)}
    for report in reports:
        try:
            services.report_approve(report=report, by=request.user, note=note)
        except DomainError as exc:
            failed.append(f"{report.centre.name} {month_label(report.period)}: {exc.message}")
        else:
            approved.append(report)
    if approved:
        messages.success(request, _("%(n)s laporan disetujui.") % {"n": len(approved)})
    for problem in failed:
        messages.error(request, _("Tidak disetujui: %(p)s") % {"p": problem})
    return redirect(back)


@perm_required(Perm.VIEW_OVERDUE)
def overdue(request):
    field = months.MonthFormField(required=False)
    error = None
    try:
        period = field.clean(request.GET.get("period", "")) or selectors.latest_due_period()
    except Exception as exc:  # a ValidationError: show it and use the default month
        error = "; ".join(getattr(exc, "messages", [str(exc)]))
        period = selectors.latest_due_period()
    provinces = access.provinces_for(request.user, Perm.VIEW_OVERDUE)
    province = None
    code = request.GET.get("province", "")
    if code:
        province = provinces.filter(code=code).first()
        if province is None:
            error = _("Provinsi tidak dikenal atau di luar cakupan Anda.")
    centres = selectors.overdue_centres(user=request.user, period=period, province=province)
    page = paginate(request, centres)
    reminders = whatsapp.reminder_links(centres=list(page.object_list), period=period, sender=request.user)
    rows = selectors.overdue_rows(list(page.object_list), period)
    for row in rows:
        row["whatsapp"] = reminders.get(row["centre"].pk, [])
    return render(
        request,
        "reporting/overdue_list.html",
        {
            "page": page,
            "rows": rows,
            "period": period,
            "month": month_label(period),
            "provinces": provinces,
            "province": province,
            "error": error,
            "query": querystring_without_page(request),
            "back": request.get_full_path(),
        },
    )


def _after_review(request, report, default=None):
    return redirect(safe_back(request, default or reverse("reporting:report_detail", args=[report.pk])))


@require_POST
@perm_required(Perm.VERIFY_REPORTS)
def report_verify(request, pk):
    report = selectors.report_for(request.user, Perm.VERIFY_REPORTS, pk)
    try:
        services.report_verify(report=report, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(
        request, _("Laporan %(c)s %(m)s diverifikasi.") % {"c": report.centre.name, "m": month_label(report.period)}
    )
    return _after_review(request, report, reverse("reporting:queue"))


@require_POST
@perm_required(Perm.APPROVE_REPORTS)
def report_approve(request, pk):
    report = selectors.report_for(request.user, Perm.APPROVE_REPORTS, pk)
    try:
        services.report_approve(report=report, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(
        request, _("Laporan %(c)s %(m)s disetujui.") % {"c": report.centre.name, "m": month_label(report.period)}
    )
    return _after_review(request, report, reverse("reporting:queue"))


@perm_required(Perm.VIEW_REPORTS)
def report_return(request, pk):
    report = selectors.report_for(request.user, Perm.VIEW_REPORTS, pk)
    if not may_review(request.user, report.centre):
        raise Http404
    form = ReasonForm(request.POST or None, label=_("Alasan pengembalian (dibaca pengelola BLK)"))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Laporan dikembalikan ke BLK dengan alasan yang Anda tulis."))
            return _after_review(request, report, reverse("reporting:queue"))
    return render(
        request,
        "reporting/report_reason_form.html",
        {
            "report": report,
            "form": form,
            "title": _("Kembalikan laporan"),
            "button": _("Kembalikan ke BLK"),
            "back": safe_back(request, ""),
            "danger": True,
        },
    )


@perm_required(Perm.REQUEST_CORRECTION)
def correction_request(request, pk):
    report = selectors.report_for(request.user, Perm.REQUEST_CORRECTION, pk)
    form = ReasonForm(request.POST or None, label=_("Apa yang perlu dikoreksi dan mengapa?"))
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Permintaan koreksi dikirim ke verifikator."))
            return redirect("reporting:report_detail", pk=report.pk)
    return render(
        request,
        "reporting/report_reason_form.html",
        {"report": report, "form": form, "title": _("Minta koreksi laporan"), "button": _("Kirim permintaan")},
    )


@perm_required(Perm.VIEW_REPORTS)
def correction_decide(request, pk):
    correction = access.get_object_or_404(
        CorrectionRequest.objects.select_related("report__centre__province", "requested_by"),
        request.user,
        Perm.VIEW_REPORTS,
        centre_field="report__centre",
        pk=pk,
    )
    report = correction.report
    if not may_review(request.user, report.centre):
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.correction_approve(correction=correction, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Koreksi diizinkan; laporan dibuka untuk BLK."))
            else:
                services.correction_reject(correction=correction, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Permintaan koreksi ditolak."))
        except DomainError as exc:
            form_error(form, exc if exc.field != "reason" else DomainError(exc.message, field="note"))
        else:
            return redirect("reporting:report_detail", pk=report.pk)
    return render(
        request, "reporting/correction_decide.html", {"correction": correction, "report": report, "form": form}
    )


@perm_required(Perm.UNLOCK_REPORTS)
def report_unlock(request, centre_id, year, month):
    centre = access.get_centre_or_404(request.user, Perm.UNLOCK_REPORTS, centre_id)
    period = parse_period(year, month)
    if period is None:
        raise Http404
    form = UnlockForm(request.POST or None, label=_("Alasan membuka kunci (dicatat)"))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_unlock(
                centre=centre,
                period=period,
                by=request.user,
                reason=form.cleaned_data["reason"],
                days=form.cleaned_data["days"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Laporan dibuka untuk diisi BLK."))
            return redirect("reporting:report_detail", pk=report.pk)
    return render(
        request,
        "reporting/report_unlock.html",
        {
            "centre": centre,
            "period": period,
            "month": month_label(period),
            "form": form,
            "lock_date": months.lock_date_for(period),
            "locked": is_locked(centre, period),
        },
    )


@perm_required(Perm.VIEW_REPORTS)
def report_history(request, pk):
    report = selectors.report_for(request.user, Perm.VIEW_REPORTS, pk)
    return render(
        request,
        "reporting/report_history.html",
        {"report": report, "month": month_label(report.period), "entries": selectors.report_history(report)},
    )


@require_POST
@perm_required(Perm.COMMENT_REPORTS)
def comment_add(request, pk):
    report = selectors.report_for(request.user, Perm.COMMENT_REPORTS, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(report=report, by=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            form = CommentForm()
    context = {
        "report": report,
        "comments": report.comments.select_related("author"),
        "comment_form": form,
        "can_comment": True,
    }
    if request.htmx:
        return render(request, "reporting/_comments.html", context)
    if form.errors:
        messages.error(request, "; ".join(flat_errors(form)))
    return redirect(reverse("reporting:report_detail", args=[report.pk]) + "#komentar")
