"""Training batches (section A) and evidence files (section F)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core.errors import DomainError
from blkportal.core.views import paginate
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from .. import selectors, services
from ..forms import BatchForm, EvidenceForm
from ..models import TrainingBatch
from ..policy import edit_block_reason
from ._common import form_error, safe_back


@perm_required(Perm.VIEW_REPORTS)
def batch_list(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.VIEW_REPORTS, centre_id)
    batches = TrainingBatch.objects.filter(centre=centre).select_related("kejuruan").order_by("-start_date", "-pk")
    return render(
        request,
        "reporting/batch_list.html",
        {
            "centre": centre,
            "page": paginate(request, batches),
            "can_edit": access.user_can_on_centre(request.user, Perm.EDIT_REPORTS, centre),
        },
    )


def _batch_form_page(request, centre, batch=None):
    form = BatchForm(request.POST or None, instance=batch, centre=centre)
    back = safe_back(request, reverse("reporting:batch_list", args=[centre.pk]))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in BatchForm.Meta.fields}
        try:
            if batch is None:
                services.batch_create(centre=centre, by=request.user, data=data)
            else:
                services.batch_update(batch=batch, by=request.user, data=data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Data angkatan disimpan."))
            return redirect(back)
    return render(request, "reporting/batch_form.html", {"centre": centre, "batch": batch, "form": form, "back": back})


@perm_required(Perm.EDIT_REPORTS)
def batch_create(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.EDIT_REPORTS, centre_id)
    return _batch_form_page(request, centre)


@perm_required(Perm.EDIT_REPORTS)
def batch_edit(request, pk):
    batch = selectors.batch_for(request.user, Perm.EDIT_REPORTS, pk)
    return _batch_form_page(request, batch.centre, batch)


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def batch_delete(request, pk):
    batch = selectors.batch_for(request.user, Perm.EDIT_REPORTS, pk)
    centre = batch.centre
    try:
        services.batch_delete(batch=batch, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Angkatan dihapus."))
    return redirect(safe_back(request, reverse("reporting:batch_list", args=[centre.pk])))


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def evidence_upload(request, pk):
    from .reports import _render_edit, refuse_not_editable

    report = selectors.report_for(request.user, Perm.EDIT_REPORTS, pk)
    reason = edit_block_reason(report)
    if reason:
        messages.error(request, reason)
        return refuse_not_editable(request, report)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                report=report, by=request.user, uploaded_file=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except DomainError as exc:
            report.refresh_from_db()
            if edit_block_reason(report):  # submitted or locked meanwhile
                messages.error(request, exc.message)
                return refuse_not_editable(request, report)
            form_error(form, exc)
        else:
            messages.success(request, _("Berkas bukti diunggah."))
            return redirect(reverse("reporting:report_edit", args=[report.pk]) + "#bagian-bukti")
    messages.error(request, _("Berkas belum diunggah; lihat pesan di bagian F."))
    return _render_edit(request, report, evidence_form=form)


@perm_required(Perm.VIEW_REPORTS)
def evidence_download(request, pk):
    """Stream a private evidence file to a user whose scope includes the centre."""
    evidence = selectors.evidence_for(request.user, Perm.VIEW_REPORTS, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=evidence.content_type == "application/pdf",
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@require_POST
@perm_required(Perm.EDIT_REPORTS)
def evidence_remove(request, pk):
    evidence = selectors.evidence_for(request.user, Perm.EDIT_REPORTS, pk)
    report_pk = evidence.report_id
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Berkas bukti dihapus."))
    return redirect(reverse("reporting:report_edit", args=[report_pk]) + "#bagian-bukti")
