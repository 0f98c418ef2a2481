"""Evidence files (section F), stored privately and streamed only by a scoped view."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blkportal.core.storage import PrivateStorage

from .reports import Report


def evidence_storage():
    """Evidence lives under PRIVATE_MEDIA_ROOT, never under a publicly served path."""
    return PrivateStorage()


def evidence_upload_to(instance, filename):
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    report = instance.report
    return f"evidence/{report.centre_id}/{report.period:%Y-%m}/{uuid.uuid4().hex}.{ext}"


class EvidenceKind(models.TextChoices):
    DAFTAR_HADIR = "daftar_hadir", _("Daftar hadir")
    FOTO = "foto", _("Foto kegiatan")
    SERTIFIKAT = "sertifikat", _("Sertifikat")
    LAINNYA = "lainnya", _("Lainnya")


class EvidenceFile(models.Model):
    """Section F. Stored under PRIVATE_MEDIA_ROOT; streamed only by a scoped view."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence_files")
    kind = models.CharField(_("jenis bukti"), max_length=15, choices=EvidenceKind.choices)
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis isi berkas"), max_length=50)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("berkas bukti")
        verbose_name_plural = _("berkas bukti")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="evidence_allowed_type",
            )
        ]

    def __str__(self):
        return self.original_name
