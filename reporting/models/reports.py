"""The monthly report (sections B, C) and its child rows (partnerships, income, products, problems)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 15, "decimal_places": 0}


class PermitStatus(models.TextChoices):
    NONE = "none", _("Belum ada")
    IN_PROCESS = "in_process", _("Dalam proses")
    PERMIT = "permit", _("Izin operasional")
    ACCREDITED = "accredited", _("Terakreditasi")


class Report(models.Model):
    """The monthly report of one centre for one month (period = the month's first day)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Diverifikasi")
        APPROVED = "approved", _("Disetujui")
        RETURNED = "returned", _("Dikembalikan")

    centre = models.ForeignKey(
        "registry.Centre", on_delete=models.PROTECT, related_name="reports", verbose_name=_("BLK")
    )
    period = models.DateField(_("bulan laporan"), help_text=_("Hari pertama bulan laporan."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every save and transition bumps it; a save carrying an older value is refused.
    version = models.PositiveIntegerField(default=1)

    # Section B: alumni outcomes as at the end of the month (null = not filled in yet).
    alumni_bekerja = models.PositiveIntegerField(_("alumni bekerja"), null=True, blank=True)
    alumni_wirausaha = models.PositiveIntegerField(_("alumni berwirausaha"), null=True, blank=True)
    alumni_studi = models.PositiveIntegerField(_("alumni melanjutkan studi"), null=True, blank=True)
    alumni_belum_bekerja = models.PositiveIntegerField(_("alumni belum bekerja"), null=True, blank=True)
    alumni_tidak_terlacak = models.PositiveIntegerField(_("alumni tidak terlacak"), null=True, blank=True)

    # Section C: kelembagaan and kemandirian.
    permit_status = models.CharField(
        _("status izin operasional/akreditasi"), max_length=12, choices=PermitStatus.choices, blank=True
    )
    permit_number = models.CharField(_("nomor izin/akreditasi"), max_length=100, blank=True)
    permit_expiry = models.DateField(_("berlaku sampai"), null=True, blank=True)
    managers_count = models.PositiveSmallIntegerField(_("jumlah pengelola"), null=True, blank=True)
    instructors_count = models.PositiveSmallIntegerField(_("jumlah instruktur"), null=True, blank=True)
    instructors_certified = models.PositiveSmallIntegerField(_("instruktur bersertifikat"), null=True, blank=True)
    # Total of the income lines, kept in step by the services (monitoring reads this one number).
    own_income = models.DecimalField(_("pendapatan mandiri (Rp)"), default=0, **MONEY)
    operating_cost = models.DecimalField(_("biaya operasional (Rp)"), null=True, blank=True, **MONEY)

    notes = models.TextField(_("catatan"), blank=True)

    # Soft rules: the warnings found at the last check and the manager's explanation.
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    warning_explanation = models.TextField(_("penjelasan peringatan"), blank=True)
    # What the report showed of section A when it was submitted, so later batch edits never
    # rewrite a submitted or approved report.
    batches_snapshot = models.JSONField(default=list, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("terakhir diajukan"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    # Judged once, on the first submission (a returned report does not become late), against the
    # deadline in force then, stored beside it: a later change of REPORT_DEADLINE_DAY does not
    # rewrite this month's timeliness.
    on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("tenggat yang berlaku"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    returned_at = models.DateTimeField(_("dikembalikan pada"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikembalikan oleh"),
    )
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)
    # An administrator's unlock or an approved correction reopens editing until this moment.
    unlocked_until = models.DateTimeField(_("dibuka sampai"), null=True, blank=True)
    # Set on a past report imported from a spreadsheet (the history import): it was submitted
    # (first_submitted_at, its original date) and approved outside the portal, and counts as approved.
    imported_at = models.DateTimeField(_("diimpor pada"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "warnings", "batches_snapshot"])

    class Meta:
        ordering = ["-period", "centre__name"]
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "period"],
                name="report_unique_centre_period",
                violation_error_message=_("Laporan BLK ini untuk bulan tersebut sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(period__day=1),
                name="report_period_first_of_month",
                violation_error_message=_("Bulan laporan harus tanggal 1."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "verified", "approved", "returned"]),
                name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="report_returned_has_reason",
                violation_error_message=_("Laporan yang dikembalikan wajib memiliki alasan."),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            models.Index(fields=["status", "period"]),
        ]

    def __str__(self):
        return f"{self.centre} — {self.period:%m/%Y}"

    @property
    def alumni_fields(self):
        return [
            self.alumni_bekerja,
            self.alumni_wirausaha,
            self.alumni_studi,
            self.alumni_belum_bekerja,
            self.alumni_tidak_terlacak,
        ]

    @property
    def alumni_total(self) -> int:
        return sum(v or 0 for v in self.alumni_fields)

    @property
    def is_submitted(self) -> bool:
        """Counts as reported (DIAJUKAN or later)."""
        return self.status in (self.Status.SUBMITTED, self.Status.VERIFIED, self.Status.APPROVED)


class PartnerType(models.TextChoices):
    PEMERINTAH = "pemerintah", _("Pemerintah")
    DUDI = "dudi", _("Dunia usaha/industri (DUDI)")
    PENDIDIKAN = "pendidikan", _("Lembaga pendidikan")
    MASYARAKAT = "masyarakat", _("Organisasi masyarakat")
    LAINNYA = "lainnya", _("Lainnya")


class ReportPartnership(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="partnerships")
    partner_name = models.CharField(_("nama mitra"), max_length=200)
    partner_type = models.CharField(_("jenis mitra"), max_length=12, choices=PartnerType.choices)
    mou_date = models.DateField(_("tanggal MoU/PKS"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("kemitraan")
        verbose_name_plural = _("kemitraan")

    def __str__(self):
        return self.partner_name


class IncomeSource(models.TextChoices):
    PELATIHAN = "pelatihan", _("Pelatihan berbayar")
    UNIT_USAHA = "unit_usaha", _("Unit usaha / produksi")
    JASA = "jasa", _("Jasa")
    HIBAH = "hibah", _("Hibah / donasi mitra")
    LAINNYA = "lainnya", _("Lainnya")


class ReportIncome(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="income_lines")
    source = models.CharField(_("sumber pendapatan"), max_length=12, choices=IncomeSource.choices)
    amount = models.DecimalField(_("jumlah (Rp)"), **MONEY)
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pendapatan mandiri")
        verbose_name_plural = _("pendapatan mandiri")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="income_amount_non_negative",
                violation_error_message=_("Jumlah tidak boleh negatif."),
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount}"


class SalesChannel(models.TextChoices):
    LOKAL = "lokal", _("Lokal")
    RITEL = "ritel", _("Ritel nasional")
    EKSPOR = "ekspor", _("Ekspor")


class ReportProduct(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("produk"), max_length=200)
    units_sold = models.PositiveIntegerField(_("unit terjual"), default=0)
    revenue = models.DecimalField(_("omzet (Rp)"), default=0, **MONEY)
    channel = models.CharField(_("saluran penjualan"), max_length=10, choices=SalesChannel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("produk unggulan")
        verbose_name_plural = _("produk unggulan")
        constraints = [
            models.CheckConstraint(
                condition=Q(revenue__gte=0),
                name="product_revenue_non_negative",
                violation_error_message=_("Omzet tidak boleh negatif."),
            )
        ]

    def __str__(self):
        return self.name


class ProblemCategory(models.TextChoices):
    SDM = "sdm", _("Internal: SDM")
    KEUANGAN = "keuangan", _("Internal: keuangan")
    SARANA = "sarana", _("Internal: sarana")
    MANAJEMEN = "manajemen", _("Internal: manajemen")
    PASAR = "pasar", _("Eksternal: pasar")
    REGULASI = "regulasi", _("Eksternal: regulasi")
    BENCANA = "bencana", _("Eksternal: bencana")
    LAINNYA = "lainnya", _("Eksternal: lainnya")


class ReportProblem(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="problems")
    category = models.CharField(_("kategori"), max_length=10, choices=ProblemCategory.choices)
    description = models.TextField(_("uraian kendala"))
    support_needed = models.TextField(_("dukungan yang dibutuhkan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("kendala")
        verbose_name_plural = _("kendala")

    def __str__(self):
        return self.get_category_display()
