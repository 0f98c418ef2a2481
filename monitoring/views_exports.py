"""Export pages: request an export and watch it (htmx progress), download the file; plus the
benchmark floor. Thin: scope, form, one service, render."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core.errors import DomainError
from blkportal.core.views import form_error_from, paginate
from blkportal.registry.access import Perm, perm_required
from blkportal.registry.models import Province

from . import services_exports
from .exporters.forms import ExportRequestForm
from .models import ExportJob, ExportStatus

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PREFILL = {"jenis": "kind", "dari": "period_from", "sampai": "period_to", "provinsi": "province", "blk": "centre"}


def _own_job_or_404(request, pk) -> ExportJob:
    """Only the owner sees a job: anyone else gets 404, exactly as for a job that does not exist."""
    return get_object_or_404(ExportJob.objects.filter(owner=request.user), pk=pk)


@perm_required(Perm.EXPORT_DATA)
def export_list(request):
    """The user's export jobs with progress bars, and the form to request a new one."""
    if request.method == "POST":
        form = ExportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services_exports.export_request(
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    file_format=form.cleaned_data["file_format"],
                    parameters=form.parameters(),
                )
            except DomainError as exc:
                form_error_from(form, exc)
            else:
                messages.success(request, _("Ekspor dimasukkan ke antrean. Berkas siap diunduh setelah selesai."))
                return redirect("monitoring:export_list")
    else:
        initial = {field: request.GET[key][:30] for key, field in PREFILL.items() if request.GET.get(key)}
        form = ExportRequestForm(initial=initial, user=request.user)
    page = paginate(request, ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-pk"), per_page=10)
    return render(request, "monitoring/export_list.html", {"form": form, "page": page, "now": timezone.now()})


@perm_required(Perm.EXPORT_DATA)
def export_status(request, pk):
    """One job's row (polled by htmx every second until it is finished)."""
    job = _own_job_or_404(request, pk)
    return render(request, "monitoring/export_row.html", {"job": job, "now": timezone.now()})


@perm_required(Perm.EXPORT_DATA)
def export_download(request, pk):
    """Stream the owner's file; an expired one is gone (410) with a message saying so."""
    job = _own_job_or_404(request, pk)
    if job.is_expired() or (job.status == ExportStatus.DONE and not job.file.storage.exists(job.file.name or "-")):
        return render(request, "monitoring/export_gone.html", {"job": job}, status=410)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    content_type = CONTENT_TYPES.get(job.file_format) or mimetypes.guess_type(job.download_name)[0]
    return FileResponse(
        job.file.storage.open(job.file.name, "rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=content_type,
    )


@perm_required(Perm.EXPORT_DATA)
@require_POST
def export_retry(request, pk):
    """Ask again for one of the user's failed exports (same kind, format and parameters)."""
    job = _own_job_or_404(request, pk)
    try:
        services_exports.export_retry(by=request.user, job_id=job.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ekspor dimasukkan ke antrean lagi."))
    return redirect("monitoring:export_list")


@login_required
def bench_floor(request):
    """The benchmark's floor (docs/benchmarks.md): the cheapest real page, a 38-row table from the
    database inside the site layout. Harmless (province names only), so any signed-in user may see it."""
    provinces = Province.objects.order_by("code").values_list("code", "name", "timezone")
    return render(request, "monitoring/export_bench_floor.html", {"provinces": provinces})
