"""Training batches (section A): one record per angkatan, shown by every month it touches."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FundingSource(models.TextChoices):
    APBN = "apbn", _("APBN / Banprog")
    APBD = "apbd", _("APBD")
    MITRA = "mitra", _("Mitra / CSR")
    MANDIRI = "mandiri", _("Berbayar mandiri")
    LAINNYA = "lainnya", _("Lainnya")


class TrainingBatch(models.Model):
    """One angkatan (training batch). Spans months; the report of each month it touches shows it.

    Enrolment counts in the month the batch starts; its outcomes (lulus, tidak lulus, mundur,
    bersertifikat) in the month it ends.
    """

    centre = models.ForeignKey(
        "registry.Centre", on_delete=models.PROTECT, related_name="training_batches", verbose_name=_("BLK")
    )
    kejuruan = models.ForeignKey(
        "registry.Kejuruan", on_delete=models.PROTECT, related_name="training_batches", verbose_name=_("kejuruan")
    )
    program_name = models.CharField(_("nama program"), max_length=200)
    funding_source = models.CharField(_("sumber dana"), max_length=10, choices=FundingSource.choices)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    hours_jp = models.PositiveSmallIntegerField(_("jam pelatihan (JP)"), default=0)
    enrolled_male = models.PositiveIntegerField(_("peserta laki-laki"), default=0)
    enrolled_female = models.PositiveIntegerField(_("peserta perempuan"), default=0)
    graduated = models.PositiveIntegerField(_("lulus"), default=0)
    failed = models.PositiveIntegerField(_("tidak lulus"), default=0)
    withdrawn = models.PositiveIntegerField(_("mengundurkan diri"), default=0)
    certified = models.PositiveIntegerField(_("bersertifikat kompetensi"), default=0)
    santri_count = models.PositiveIntegerField(_("peserta santri/anggota lembaga"), default=0)
    umum_count = models.PositiveIntegerField(_("peserta warga umum"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("angkatan pelatihan")
        verbose_name_plural = _("angkatan pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="batch_end_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("graduated") + F("failed") + F("withdrawn"), F("enrolled_male") + F("enrolled_female")
                ),
                name="batch_outcomes_le_enrolled",
                violation_error_message=_("Lulus + tidak lulus + mengundurkan diri melebihi jumlah peserta."),
            ),
            models.CheckConstraint(
                condition=Q(certified__lte=F("graduated")),
                name="batch_certified_le_graduated",
                violation_error_message=_("Peserta bersertifikat tidak boleh lebih dari yang lulus."),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("santri_count") + F("umum_count"), F("enrolled_male") + F("enrolled_female")
                ),
                name="batch_origin_le_enrolled",
                violation_error_message=_("Santri + warga umum melebihi jumlah peserta."),
            ),
        ]
        indexes = [models.Index(fields=["centre", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.program_name} ({self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y})"

    @property
    def enrolled(self) -> int:
        return self.enrolled_male + self.enrolled_female

    def is_active_in(self, first_day: dt.date, last_day: dt.date) -> bool:
        return self.start_date <= last_day and self.end_date >= first_day
