"""Writes for exports: request a job, run it (called by the Celery task), expire old files.

The request checks scope and parameters before anything is queued; the run checks the owner's scope
again, because roles can change between the click and the worker picking the job up.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blkportal.core import dbrouting, outbox
from blkportal.core import months as clock
from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.access import Perm

from .exporters import exporter_class
from .exporters.base import WRITERS
from .models import ExportFormat, ExportJob, ExportKind, ExportStatus

logger = logging.getLogger(__name__)

# A job still queued this long after the request (the broker or the workers are away) no longer
# holds one of the owner's slots; it still runs when the workers return.
QUEUED_SLOT_MINUTES = 10
# A queued job older than this is given up (the owner is told to ask again).
STALE_HOURS = 6
# A run that was interrupted this many times (worker killed, e.g. out of memory) is not tried again.
MAX_ATTEMPTS = 3
# The running worker writes a heartbeat this often (seconds).
HEARTBEAT_EVERY = 15


def heartbeat_timeout() -> dt.timedelta:
    """A running job whose heartbeat is older than this is taken as lost (its worker died)."""
    return dt.timedelta(seconds=settings.EXPORT_HEARTBEAT_TIMEOUT)


def export_language(language: str | None = None) -> str:
    """`language` (else the active one, the page's) if the portal offers it, else the default."""
    supported = {code for code, _name in settings.LANGUAGES}
    language = (language or translation.get_language() or "").split("-")[0]
    return language if language in supported else settings.LANGUAGE_CODE


@transaction.atomic
def export_request(
    *,
    by,
    kind: str,
    file_format: str = ExportFormat.XLSX,
    parameters: dict,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> ExportJob:
    """Queue an export for `by`. Parameters are already validated by the form; scope is checked here.
    The file is written in `language`, by default the one active now (the page's)."""
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
    now = now or clock.now()
    # Per-user limits (settings EXPORT_MAX_OPEN_JOBS, EXPORT_MAX_PER_HOUR). Locking the user's row
    # serialises one user's concurrent requests, so a burst cannot slip past the counts. A job still
    # queued QUEUED_SLOT_MINUTES after its request (broker or workers away) holds no slot.
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    open_jobs = ExportJob.objects.filter(
        Q(status=ExportStatus.RUNNING) | Q(status=ExportStatus.QUEUED, created_at__gt=now - QUEUED_SLOT_MINUTES_DELTA),
        owner=by,
    ).count()
    if open_jobs >= settings.EXPORT_MAX_OPEN_JOBS:
        raise DomainError(_("Masih ada %(n)d ekspor yang sedang diproses. Tunggu hingga selesai.") % {"n": open_jobs})
    max_per_hour = settings.EXPORT_MAX_PER_HOUR
    recent = ExportJob.objects.filter(owner=by, created_at__gt=now - dt.timedelta(hours=1))
    count = recent.count()
    if count >= max_per_hour:
        # The moment enough of the last hour's requests have aged out to allow one more.
        oldest = recent.order_by("created_at").values_list("created_at", flat=True)[count - max_per_hour]
        raise DomainError(
            _(
                "Anda sudah meminta %(n)d ekspor dalam satu jam terakhir (batas per jam). "
                "Coba lagi setelah pukul %(time)s, atau unduh ekspor yang sudah selesai di daftar ekspor."
            )
            % {"n": max_per_hour, "time": timezone.localtime(oldest + dt.timedelta(hours=1)).strftime("%H:%M")}
        )
    job = ExportJob.objects.create(
        owner=by, kind=kind, file_format=file_format, parameters=parameters, language=export_language(language)
    )
    # Recorded with the job: published after the commit, or later by the relay if the broker is down.
    outbox.enqueue("monitoring.export_run", job.pk)
    return job


QUEUED_SLOT_MINUTES_DELTA = dt.timedelta(minutes=QUEUED_SLOT_MINUTES)


def export_retry(*, by, job_id: int) -> ExportJob:
    """Ask again for a failed job of `by` (only the owner may), with the same kind, format and parameters."""
    job = ExportJob.objects.filter(owner=by, pk=job_id).first()
    if job is None or job.status != ExportStatus.FAILED:
        raise DomainError(_("Hanya ekspor yang gagal yang dapat diulang."))
    return export_request(
        by=by, kind=job.kind, file_format=job.file_format, parameters=job.parameters, language=job.language
    )


def _set_progress(job_id: int, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 0
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(progress=percent, row_count=done)


def _partial_path(job_id: int) -> str:
    """The job's temporary file: one per job, so a retry after a killed worker replaces it and the
    sweep can remove it. Never downloadable (only a finished job's `file` is served)."""
    return os.path.join(str(settings.PRIVATE_MEDIA_ROOT), "exports-tmp", f"job-{job_id}.part")


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.warning("Could not remove %s", path, exc_info=True)


class _Heartbeat:
    """A thread that stamps `heartbeat_at` while the export runs (also during a long query or the
    final save of the workbook); it dies with the process, which is the point."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"export-heartbeat-{job_id}", daemon=True)

    def _run(self):
        from django.db import connections

        try:
            while not self.stop.wait(HEARTBEAT_EVERY):
                try:
                    ExportJob.objects.filter(pk=self.job_id, status=ExportStatus.RUNNING).update(
                        heartbeat_at=clock.now()
                    )
                except DatabaseError:
                    logger.warning("Export %s: heartbeat not written", self.job_id, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def export_run(*, job_id: int) -> ExportJob | None:
    """Build the file of one job, in the job's language. Idempotent: a finished or failed job is left
    alone, a running one (its worker was lost and the task delivered again) starts over. Failures are
    recorded on the job with a message in its language; a database error is raised, so the task
    retries with back-off."""
    language = ExportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(export_language(language or settings.LANGUAGE_CODE)):
        return _export_run(job_id)


def _export_run(job_id: int) -> ExportJob | None:
    now = clock.now()
    started = ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        row_count=0,
        error_message="",
        note="",
        attempts=F("attempts") + 1,
    )
    if not started:
        return ExportJob.objects.filter(pk=job_id).first()
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    partial = _partial_path(job.pk)
    if job.attempts > MAX_ATTEMPTS:
        _fail(job.pk, _("Ekspor terhenti berulang kali (mungkin terlalu besar). Persempit rentang lalu minta ulang."))
        return _reload(job)
    storage = job.file.storage
    name = f"{clock.now():%Y/%m}/{uuid.uuid4().hex}.{job.file_format}"
    path = storage.path(name)
    try:
        with _Heartbeat(job.pk):
            access.forget(job.owner)
            # The owner's roles from the primary; the data from the read replica when there is one,
            # once it holds everything committed before this run (else from the primary). Job state
            # (progress, result) is written to the primary.
            access.scope_for(job.owner, Perm.EXPORT_DATA)
            with dbrouting.replica_reads(at_least=dbrouting.primary_lsn(), wait=settings.DATABASE_REPLICA_EXPORT_WAIT):
                exporter = exporter_class(job.kind)(user=job.owner, params=job.parameters)
                total = exporter.total()
                ExportJob.objects.filter(pk=job.pk).update(progress=1 if total else 0)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.makedirs(os.path.dirname(partial), exist_ok=True)
                rows = WRITERS[job.file_format](
                    exporter, partial, lambda done: _set_progress(job.pk, done, total), exported_at=now
                )
            os.replace(partial, path)
            note = " ".join(exporter.notes)
        now = clock.now()
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            progress=100,
            row_count=rows,
            note=note,
            file=name,
            finished_at=now,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_TTL_HOURS),
        )
    except DomainError as exc:
        _fail(job.pk, exc.message)
    except (OperationalError, InterfaceError):
        # The database went away: the task retries (the job stays running; the sweep fails it if
        # every retry fails). The finished file, if any, is not recorded anywhere: remove it.
        logger.warning("Export job %s: database error, will retry", job.pk, exc_info=True)
        _remove(path)
        raise
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        _fail(job.pk, _("Terjadi kesalahan saat membuat berkas. Silakan coba lagi; bila berulang, hubungi admin."))
    finally:
        _remove(partial)
    return _reload(job)


def _reload(job: ExportJob) -> ExportJob:
    job.refresh_from_db()
    return job


def _fail(job_id: int, message: str, *, statuses=(ExportStatus.QUEUED, ExportStatus.RUNNING)) -> int:
    """Mark the job failed. The error that brought us here may have killed the connection: never
    reuse a broken one (Django reconnects on the next query once it is closed). Inside a transaction
    (a caller's atomic block, or a test) the connection is not ours to close: Django would drop it
    because autocommit is off, losing the transaction."""
    _remove(_partial_path(job_id))
    for attempt in range(3):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        try:
            now = clock.now()
            return ExportJob.objects.filter(pk=job_id, status__in=statuses).update(
                status=ExportStatus.FAILED,
                error_message=message,
                finished_at=now,
                expires_at=now + dt.timedelta(hours=settings.EXPORT_TTL_HOURS),
            )
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or attempt == 2:
                raise
            connection.close()
            time.sleep(1 + attempt)
    return 0


def export_sweep(*, now: dt.datetime | None = None) -> int:
    """Fail the jobs whose worker vanished (no heartbeat for a while) and the queued jobs nobody ran
    for hours; their owners see the message and a retry button. Returns how many."""
    now = now or clock.now()
    lost = ExportJob.objects.filter(status=ExportStatus.RUNNING).filter(
        Q(heartbeat_at__lt=now - heartbeat_timeout())
        | Q(heartbeat_at__isnull=True, created_at__lt=now - heartbeat_timeout())
    )
    count = 0
    for pk in lost.values_list("pk", flat=True):
        count += _fail(
            pk,
            _('Proses ekspor terhenti (pekerja latar berhenti). Klik "Ulangi" untuk memintanya lagi.'),
            statuses=(ExportStatus.RUNNING,),
        )
    never = ExportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lte=now - dt.timedelta(hours=STALE_HOURS))
    for pk in never.values_list("pk", flat=True):
        count += _fail(
            pk,
            _('Ekspor tidak dimulai dalam waktu yang wajar. Klik "Ulangi" untuk memintanya lagi.'),
            statuses=(ExportStatus.QUEUED,),
        )
    return count


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
    export_sweep(now=now)
    return count
