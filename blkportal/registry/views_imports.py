"""Import pages, one set for every kind of import (blkportal/core/imports.py): the list of imports a
user may run, upload, template, the dry run's result with progress, confirmation. Thin: the kind
decides who may import where (anyone else gets 404), one service, render. A job is its owner's:
anyone else gets 404.

Each app mounts the upload and template pages of its kinds with `kind=` (and the kind's URL
arguments, e.g. a centre's id); the job pages are shared."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core import imports
from blkportal.core.errors import DomainError
from blkportal.core.models import ImportJob
from blkportal.core.views import form_error_from, paginate

from .forms import ImportConfirmForm, ImportUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(name: str) -> imports.ImportKind:
    kind = imports.get_kind(name)
    if kind is None:
        raise Http404
    return kind


def _own_job(request, job_id) -> tuple[ImportJob, imports.ImportKind]:
    job = ImportJob.objects.filter(pk=job_id, owner=request.user).first()
    kind = imports.get_kind(job.kind) if job else None
    if job is None or kind is None or not kind.allowed(request.user, job.params):
        raise Http404
    return job, kind


def _page(kind: imports.ImportKind, params: dict, job: ImportJob | None = None) -> dict:
    """The words and links of a kind's pages."""
    return {
        "title": kind.title,
        "crumbs": kind.crumbs(params),
        "steps": kind.steps(params),
        "upload_url": kind.upload_url(params),
        "template_url": kind.template_url(params),
        "cards": [(action, label, (job.summary or {}).get(action, 0) if job else 0) for action, label in kind.cards()],
        "confirm_text": kind.confirm_text(job.summary) if job else "",
        "nothing_message": kind.nothing_message,
    }


@login_required
def import_list(request):
    """Every import the user may run, with where."""
    entries = [
        (kind.title, kind.description, links) for kind in imports.all_kinds() if (links := kind.hub_links(request.user))
    ]
    if not entries:
        raise Http404
    return render(request, "registry/import_list.html", {"entries": entries})


@login_required
def import_upload(request, kind, **url_kwargs):
    spec = _kind(kind)
    params = spec.params_for(request.user, **url_kwargs)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(kind=spec.name, by=request.user, upload=form.cleaned_data["file"], params=params)
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            return redirect("registry:import_job", job_id=job.pk)
    context = {"form": form, "jobs": spec.jobs_of(request.user, params), "view": _page(spec, params)}
    return render(request, "registry/import_upload.html", context)


@login_required
def import_template(request, kind, **url_kwargs):
    spec = _kind(kind)
    params = spec.params_for(request.user, **url_kwargs)
    response = HttpResponse(spec.template_xlsx(by=request.user, params=params), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.template_filename}"'
    return response


@login_required
def import_job(request, job_id):
    job, kind = _own_job(request, job_id)
    context = {
        "job": job,
        "view": _page(kind, job.params, job),
        "page": paginate(request, job.problems, per_page=50),
        "confirm_form": ImportConfirmForm(),
    }
    template = "registry/_import_status.html" if request.htmx else "registry/import_job.html"
    return render(request, template, context)


@require_POST
@login_required
def import_confirm(request, job_id):
    job, _kind = _own_job(request, job_id)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang konfirmasi dulu; tidak ada yang diterapkan."))
        return redirect("registry:import_job", job_id=job.pk)
    try:
        imports.import_confirm(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Impor dikonfirmasi dan sedang diterapkan."))
    return redirect("registry:import_job", job_id=job.pk)
