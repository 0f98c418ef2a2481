"""Monitoring models: export jobs (after pretix's exporters; docs/architecture.md, "Exports").

An ExportJob records one request for a file: who asked, which kind, with which parameters, and how
far the Celery task has come. The file lives under PRIVATE_MEDIA_ROOT/exports, which is never served
directly; the download view streams it after checking the owner and the expiry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blkportal.core.storage import PrivateStorage

__all__ = ["ExportFormat", "ExportJob", "ExportKind", "ExportStatus", "export_storage"]


def export_storage():
    return PrivateStorage("exports")


class ExportKind(models.TextChoices):
    RANKING = "ranking", _("Peringkat dengan rincian")
    REPORTS = "reports", _("Laporan bulanan (semua isian)")
    COMPLIANCE = "compliance", _("Kepatuhan pelaporan per BLK")
    TENANTS = "tenants", _("Wirausaha binaan dengan perkembangan terakhir")
    BATCHES = "batches", _("Angkatan pelatihan")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")


class ExportJob(models.Model):
    """One export request and its file. Only the owner may download it, and only until it expires."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("pemilik")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices, default=ExportFormat.XLSX)
    parameters = models.JSONField(_("parameter"), default=dict, blank=True)
    # The language of the page the export was asked from: the worker writes headers, labels and the
    # footer in it (a Celery task has no request, so nothing else tells it).
    language = models.CharField(_("bahasa"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    file = models.FileField(_("berkas"), storage=export_storage, upload_to="%Y/%m", max_length=255, blank=True)
    error_message = models.TextField(_("pesan galat"), blank=True)
    # What the owner should know about a finished file (e.g. a table split over several sheets).
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    # Written by the running worker as it goes; a running job whose heartbeat stops is taken as lost.
    heartbeat_at = models.DateTimeField(_("tanda hidup"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ekspor data")
        verbose_name_plural = _("ekspor data")
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="export_progress_0_100"),
            models.CheckConstraint(condition=~Q(status="done") | Q(progress=100), name="export_done_means_complete"),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="export_owner_created"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED}

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == ExportStatus.EXPIRED or (self.expires_at is not None and self.expires_at <= now)

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"blkk-{self.kind}-{stamp}-{self.pk}.{self.file_format}"
