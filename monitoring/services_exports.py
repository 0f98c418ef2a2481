"""Writes for exports: request a job, run it (called by the Celery task), expire old files.

The request checks scope and parameters before anything is queued; the run checks the owner's scope
again, because roles can change between the click and the worker picking the job up.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from blkportal.core import months as clock
from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.access import Perm

from .exporters import exporter_class
from .exporters.base import WRITERS
from .models import ExportFormat, ExportJob, ExportKind, ExportStatus

logger = logging.getLogger(__name__)

# A queued or running job older than this is taken as lost (its worker died).
STALE_HOURS = 6


@transaction.atomic
def export_request(*, by, kind: str, file_format: str = ExportFormat.XLSX, parameters: dict) -> ExportJob:
    """Queue an export for `by`. Parameters are already validated by the form; scope is checked here."""
    if kind not in ExportKind.values or exporter_class(kind) is None:
        raise DomainError(_("Jenis ekspor tidak dikenal."), field="kind")
    if file_format not in ExportFormat.values:
        raise DomainError(_("Format berkas tidak dikenal."), field="file_format")
    access.check(by, Perm.EXPORT_DATA, message=_("Anda tidak memiliki izin untuk mengekspor data."))
    if (
        parameters.get("province")
        and not access.provinces_for(by, Perm.EXPORT_DATA).filter(code=parameters["province"]).exists()
    ):
        raise DomainError(_("Provinsi ini berada di luar cakupan Anda."), field="province")
    if (
        parameters.get("centre")
        and not access.centres_for(by, Perm.EXPORT_DATA).filter(pk=parameters["centre"]).exists()
    ):
        raise DomainError(_("BLK ini tidak ditemukan atau berada di luar cakupan Anda."), field="centre")
    # Per-user limits (settings EXPORT_MAX_OPEN_JOBS, EXPORT_MAX_PER_HOUR). Locking the user's row
    # serialises one user's concurrent requests, so a burst cannot slip past the counts.
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    max_open = settings.EXPORT_MAX_OPEN_JOBS
    open_jobs = ExportJob.objects.filter(owner=by, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).count()
    if open_jobs >= max_open:
        raise DomainError(_("Masih ada %(n)d ekspor yang sedang diproses. Tunggu hingga selesai.") % {"n": open_jobs})
    max_per_hour = settings.EXPORT_MAX_PER_HOUR
    recent = ExportJob.objects.filter(owner=by, created_at__gt=clock.now() - dt.timedelta(hours=1))
    count = recent.count()
    if count >= max_per_hour:
        # The moment enough of the last hour's requests have aged out to allow one more.
        oldest = recent.order_by("created_at").values_list("created_at", flat=True)[count - max_per_hour]
        raise DomainError(
            _(
                "Anda sudah meminta %(n)d ekspor dalam satu jam terakhir (batas per jam). "
                "Coba lagi setelah pukul %(time)s, atau unduh ekspor yang sudah selesai di daftar ekspor."
            )
            % {"n": max_per_hour, "time": dj_timezone.localtime(oldest + dt.timedelta(hours=1)).strftime("%H:%M")}
        )
    job = ExportJob.objects.create(owner=by, kind=kind, file_format=file_format, parameters=parameters)
    from .tasks_exports import export_run_task

    transaction.on_commit(lambda: export_run_task.delay(job.pk))
    return job


def _set_progress(job_id: int, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 0
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(progress=percent, row_count=done)


def export_run(*, job_id: int) -> ExportJob | None:
    """Build the file of one job. Idempotent: a finished job is left alone; failures are recorded
    on the job with a message in Indonesian, never raised to the worker."""
    started = ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.RUNNING, started_at=clock.now(), progress=0, row_count=0, error_message=""
    )
    if not started:
        return ExportJob.objects.filter(pk=job_id).first()
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    storage = job.file.storage
    name = f"{clock.now():%Y/%m}/{uuid.uuid4().hex}.{job.file_format}"
    path = storage.path(name)
    partial = f"{path}.part"
    try:
        access.forget(job.owner)
        exporter = exporter_class(job.kind)(user=job.owner, params=job.parameters)
        total = exporter.count()
        ExportJob.objects.filter(pk=job.pk).update(progress=1 if total else 0)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        rows = WRITERS[job.file_format](exporter, partial, lambda done: _set_progress(job.pk, done, total))
        os.replace(partial, path)
    except DomainError as exc:
        _fail(job, exc.message, partial)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        _fail(
            job, _("Terjadi kesalahan saat membuat berkas. Silakan coba lagi; bila berulang, hubungi admin."), partial
        )
    else:
        now = clock.now()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            progress=100,
            row_count=rows,
            file=name,
            finished_at=now,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_TTL_HOURS),
        )
    job.refresh_from_db()
    return job


def _fail(job: ExportJob, message: str, partial: str) -> None:
    if os.path.exists(partial):
        os.remove(partial)
    now = clock.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED,
        error_message=message,
        finished_at=now,
        expires_at=now + dt.timedelta(hours=settings.EXPORT_TTL_HOURS),
    )


def export_expire_old(*, now: dt.datetime | None = None) -> int:
    """Delete the files of jobs past their expiry and mark them expired. Returns how many."""
    now = now or clock.now()
    count = 0
    jobs = ExportJob.objects.filter(status__in=[ExportStatus.DONE, ExportStatus.FAILED], expires_at__lte=now).only(
        "pk", "file"
    )
    for job in jobs.iterator(chunk_size=500):
        if job.file:
            try:
                job.file.storage.delete(job.file.name)
            except OSError:
                logger.warning("Could not delete export file %s", job.file.name)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        count += 1
    # A job whose worker died never finishes; free its slot so the owner can ask again.
    stale = ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lte=now - dt.timedelta(hours=STALE_HOURS)
    )
    stale.update(
        status=ExportStatus.FAILED,
        error_message=_("Ekspor tidak selesai dalam waktu yang wajar. Silakan minta ulang."),
        finished_at=now,
        expires_at=now,
    )
    return count
