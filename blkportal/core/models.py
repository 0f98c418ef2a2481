"""Import jobs: an uploaded spreadsheet, its dry run and, once confirmed, its application.

The file is kept privately (never served) until the job is applied or expires; the dry run's
summary and every rejected cell are stored on the job so the page can show them, and a later
confirmation applies exactly that file, checked again at that moment.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import PrivateStorage

# A dry run waits this long for its confirmation; then the file is deleted.
IMPORT_KEEP = dt.timedelta(hours=24)


def import_storage():
    return PrivateStorage("imports")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu diperiksa")
    CHECKING = "checking", _("Sedang diperiksa")
    CHECKED = "checked", _("Siap dikonfirmasi")
    APPLYING = "applying", _("Sedang diterapkan")
    APPLIED = "applied", _("Diterapkan")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")


class ImportJob(models.Model):
    kind = models.CharField(_("jenis"), max_length=30)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("pemilik")
    )
    file = models.FileField(_("berkas"), storage=import_storage, upload_to="%Y/%m", max_length=255, blank=True)
    file_name = models.CharField(_("nama berkas"), max_length=200)
    # What the import is about beyond its kind, e.g. {"centre_id": 12} for one centre's batches.
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    problems = models.JSONField(_("masalah"), default=list, blank=True)
    error_message = models.TextField(_("pesan galat"), blank=True)
    # What the dry run found each row would do (and what it saw of the rows it changes); the
    # application refuses when checking the file again gives another digest.
    digest = models.CharField(_("sidik hasil pemeriksaan"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    applied_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="import_progress_0_100"),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_owner_created")]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.file_name})"

    @property
    def working(self) -> bool:
        return self.status in {ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.APPLYING}

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == ImportStatus.CHECKED
            and not self.problems
            and (self.summary.get("create", 0) + self.summary.get("update", 0)) > 0
            and self.expires_at > timezone.now()
        )


class OutboxTask(models.Model):
    """A Celery task recorded in the same transaction as the change that asks for it.

    The relay (blkportal.core.outbox) publishes it once the transaction has committed and the broker
    answers, so a change never fails, and no task is lost, because Redis is away. A row with a `key`
    is coalesced: while one is pending, asking again with the same key adds nothing (the pending run
    will read the newer data), and it is deleted in the same transaction as the work it stands for.
    """

    task = models.CharField(max_length=100)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=50, blank=True)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(auto_now=True)
    # Not before this moment (a failed run backs off).
    available_at = models.DateTimeField(db_index=True)
    # Set when published; a keyed row published long ago and still here is published again.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class Heartbeat(models.Model):
    """When a kind of background work last succeeded (shown by /sehat/)."""

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M:%S}"
