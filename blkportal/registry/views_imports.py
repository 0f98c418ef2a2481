"""Registry import pages: upload, the dry run's result with progress, confirmation, the template.
Thin: scope, form, one service, render. A job is its owner's: anyone else gets 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core.errors import DomainError
from blkportal.core.models import ImportJob
from blkportal.core.views import form_error_from, paginate

from . import imports
from .access import Perm, perm_required
from .forms import ImportConfirmForm, ImportUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_job(request, job_id) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, owner=request.user, kind=imports.KIND).first()
    if job is None:
        raise Http404
    return job


@perm_required(Perm.MANAGE_CENTRES)
def centre_import(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.centre_import_start(by=request.user, upload=form.cleaned_data["file"])
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            return redirect("registry:import_job", job_id=job.pk)
    jobs = ImportJob.objects.filter(owner=request.user, kind=imports.KIND).order_by("-created_at", "-pk")[:10]
    return render(request, "registry/import_upload.html", {"form": form, "jobs": jobs})


@perm_required(Perm.MANAGE_CENTRES)
def centre_import_template(request):
    response = HttpResponse(imports.centre_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-registri-blk.xlsx"'
    return response


@perm_required(Perm.MANAGE_CENTRES)
def import_job(request, job_id):
    job = _own_job(request, job_id)
    context = {"job": job, "page": paginate(request, job.problems, per_page=50), "confirm_form": ImportConfirmForm()}
    template = "registry/_import_status.html" if request.htmx else "registry/import_job.html"
    return render(request, template, context)


@require_POST
@perm_required(Perm.MANAGE_CENTRES)
def import_confirm(request, job_id):
    job = _own_job(request, job_id)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang konfirmasi dulu; tidak ada yang diterapkan."))
        return redirect("registry:import_job", job_id=job.pk)
    try:
        imports.centre_import_confirm(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Impor dikonfirmasi dan sedang diterapkan."))
    return redirect("registry:import_job", job_id=job.pk)
