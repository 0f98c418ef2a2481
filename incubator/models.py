"""Wirausaha binaan (incubator tenants) of incubator centres: stages, aid, monthly progress, mentoring.

Incubator centres are registry Centres with ``is_incubator=True``. Money is whole Rupiah
(DecimalField, decimal_places=0). No raw NIK is ever stored: only a keyed HMAC of it (services).
Workflow (which stage moves are allowed, what a month may hold) lives in services.py; the models
only guard integrity.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from blkportal.core.formatting import format_rupiah

MONEY = {"max_digits": 15, "decimal_places": 0}


class Sex(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("Perorangan")
    KELOMPOK = "kelompok", _("Kelompok (KUBE/TKM)")
    KOPERASI = "koperasi", _("Koperasi")


class Sector(models.TextChoices):
    PERTANIAN_PETERNAKAN = "pertanian_peternakan", _("Pertanian/peternakan")
    PERIKANAN = "perikanan", _("Perikanan")
    JASA_BOGA = "jasa_boga", _("Jasa boga")
    USAHA_KREATIF = "usaha_kreatif", _("Usaha kreatif")
    PERDAGANGAN = "perdagangan", _("Perdagangan")
    JASA = "jasa", _("Jasa")
    LAINNYA = "lainnya", _("Lainnya")


class Stage(models.TextChoices):
    PRA_INKUBASI = "pra_inkubasi", _("Pra-inkubasi")
    INKUBASI = "inkubasi", _("Inkubasi")
    PASCA_INKUBASI = "pasca_inkubasi", _("Pasca-inkubasi")
    MANDIRI = "mandiri", _("Mandiri")
    GUGUR = "gugur", _("Gugur")


# The forward path; gugur (dropped out) is off the path.
STAGE_PATH = [Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI, Stage.MANDIRI]
# Being incubated now: the three stages before graduation.
IN_INCUBATION_STAGES = [Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI]
# "Active" for the target of ten per centre: every tenant whose business has not dropped out,
# graduates (mandiri) included -- the aim is that each centre *produces* ten entrepreneurs.
ACTIVE_STAGES = [*IN_INCUBATION_STAGES, Stage.MANDIRI]


class BantuanKind(models.TextChoices):
    TKM_PEMULA = "tkm_pemula", _("TKM Pemula")
    TKM_LANJUTAN = "tkm_lanjutan", _("TKM Lanjutan")
    PERALATAN = "peralatan", _("Peralatan")
    MODAL = "modal", _("Modal usaha")
    LAINNYA = "lainnya", _("Lainnya")


class MarketChannel(models.TextChoices):
    LANGSUNG = "langsung", _("Penjualan langsung/lokal")
    TITIP_JUAL = "titip_jual", _("Titip jual/reseller")
    PASAR_MODERN = "pasar_modern", _("Toko modern/ritel")
    MEDIA_SOSIAL = "media_sosial", _("Media sosial")
    MARKETPLACE = "marketplace", _("Marketplace daring")
    EKSPOR = "ekspor", _("Ekspor")


class ProblemTag(models.TextChoices):
    # Internal (within the business) and external (outside it), as in the monthly report's section E.
    SDM = "sdm", _("Internal: SDM")
    KEUANGAN = "keuangan", _("Internal: keuangan/modal")
    PRODUKSI = "produksi", _("Internal: sarana/produksi")
    MANAJEMEN = "manajemen", _("Internal: manajemen")
    PASAR = "pasar", _("Eksternal: pasar/pemasaran")
    BAHAN_BAKU = "bahan_baku", _("Eksternal: bahan baku")
    REGULASI = "regulasi", _("Eksternal: regulasi/perizinan")
    BENCANA = "bencana", _("Eksternal: bencana/cuaca")
    LAINNYA = "lainnya", _("Eksternal: lainnya")


INTERNAL_PROBLEMS = frozenset({ProblemTag.SDM, ProblemTag.KEUANGAN, ProblemTag.PRODUKSI, ProblemTag.MANAJEMEN})
EXTERNAL_PROBLEMS = frozenset(ProblemTag.values) - INTERNAL_PROBLEMS


class Tenant(models.Model):
    """A wirausaha binaan of one incubator centre."""

    centre = models.ForeignKey(
        "registry.Centre", on_delete=models.PROTECT, related_name="tenants", verbose_name=_("BLK inkubator")
    )
    owner_name = models.CharField(_("nama pemilik"), max_length=150)
    owner_sex = models.CharField(_("jenis kelamin pemilik"), max_length=1, choices=Sex.choices)
    owner_birth_year = models.PositiveSmallIntegerField(
        _("tahun lahir pemilik"), null=True, blank=True, validators=[MinValueValidator(1930), MaxValueValidator(2100)]
    )
    owner_phone = models.CharField(_("telepon pemilik"), max_length=30, blank=True)
    # Keyed HMAC-SHA256 (hex) of the NIK with settings.NIK_HASH_KEY; the NIK itself is never stored.
    nik_hash = models.CharField(_("hash NIK"), max_length=64, blank=True, db_index=True, editable=False)
    is_alumnus = models.BooleanField(_("alumni pelatihan BLK"), default=False)
    kejuruan = models.ForeignKey(
        "registry.Kejuruan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenants",
        verbose_name=_("kejuruan pelatihan"),
    )
    # The training batch the owner graduated from, when known (alumni only; same centre).
    training_batch = models.ForeignKey(
        "reporting.TrainingBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tenants",
        verbose_name=_("angkatan pelatihan"),
    )
    business_name = models.CharField(_("nama usaha"), max_length=200)
    business_description = models.TextField(_("uraian usaha"), blank=True)
    legal_form = models.CharField(_("bentuk usaha"), max_length=12, choices=LegalForm.choices)
    sector = models.CharField(_("sektor"), max_length=24, choices=Sector.choices)
    has_nib = models.BooleanField(_("memiliki NIB"), default=False)
    has_pirt = models.BooleanField(_("memiliki PIRT"), default=False)
    has_halal = models.BooleanField(_("bersertifikat halal"), default=False)
    stage = models.CharField(_("tahap"), max_length=16, choices=Stage.choices, default=Stage.PRA_INKUBASI)
    # Date the current stage began (denormalised from the last TenantStageChange, for indicators).
    stage_since = models.DateField(_("tahap sejak"))
    entry_date = models.DateField(_("tanggal masuk"))
    baseline_omzet = models.DecimalField(
        _("omzet awal per bulan (Rp)"), **MONEY, validators=[MinValueValidator(0)], default=0
    )
    baseline_workers = models.PositiveSmallIntegerField(
        _("tenaga kerja awal (termasuk pemilik)"), validators=[MinValueValidator(1)], default=1
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["business_name", "pk"]
        verbose_name = _("wirausaha binaan")
        verbose_name_plural = _("wirausaha binaan")
        constraints = [
            models.CheckConstraint(condition=Q(baseline_omzet__gte=0), name="tenant_baseline_omzet_nonnegative"),
            models.CheckConstraint(condition=Q(baseline_workers__gte=1), name="tenant_baseline_workers_min_one"),
            models.CheckConstraint(condition=Q(owner_sex__in=Sex.values), name="tenant_owner_sex_valid"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="tenant_stage_valid"),
            models.CheckConstraint(
                condition=Q(stage_since__gte=models.F("entry_date")), name="tenant_stage_after_entry"
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "stage"]),
            models.Index(fields=["entry_date"]),
        ]

    def __str__(self):
        return f"{self.business_name} ({self.owner_name})"

    @property
    def is_active(self) -> bool:
        return self.stage in ACTIVE_STAGES


class TenantStageChange(models.Model):
    """One dated step in a tenant's stage history (the first row records entry, from_stage="")."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("dari tahap"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("ke tahap"), max_length=16, choices=Stage.choices)
    changed_on = models.DateField(_("tanggal"))
    reason = models.TextField(_("alasan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("perubahan tahap")
        verbose_name_plural = _("perubahan tahap")
        constraints = [
            models.CheckConstraint(condition=~Q(from_stage=models.F("to_stage")), name="stage_change_changes"),
        ]
        indexes = [models.Index(fields=["tenant", "changed_on"])]

    def __str__(self):
        return f"{self.tenant_id}: {self.from_stage or '—'} → {self.to_stage} ({self.changed_on})"


class Bantuan(models.Model):
    """Aid a tenant received: kind, amount in Rp, date, source."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="bantuan")
    kind = models.CharField(_("jenis bantuan"), max_length=16, choices=BantuanKind.choices)
    amount = models.DecimalField(_("nilai (Rp)"), **MONEY, validators=[MinValueValidator(0)])
    received_on = models.DateField(_("tanggal diterima"))
    source = models.CharField(_("sumber"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("bantuan")
        verbose_name_plural = _("bantuan")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="bantuan_amount_nonnegative")]
        indexes = [models.Index(fields=["tenant", "received_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {format_rupiah(self.amount)}"


class TenantProgress(models.Model):
    """One month of a tenant's business: omzet, profit, workers (incl. owner), channels, problems."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="progress")
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan tersebut."))
    omzet = models.DecimalField(_("omzet (Rp)"), **MONEY, validators=[MinValueValidator(0)])
    profit = models.DecimalField(_("laba (Rp)"), **MONEY, help_text=_("Boleh negatif (rugi)."))
    workers = models.PositiveSmallIntegerField(_("tenaga kerja (termasuk pemilik)"), validators=[MinValueValidator(1)])
    market_channels = models.JSONField(_("saluran pemasaran"), default=list, blank=True)
    keeps_records = models.BooleanField(_("membuat pembukuan"), default=False)
    problem_tags = models.JSONField(_("kendala"), default=list, blank=True)
    problems = models.TextField(_("uraian kendala"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month"]
        verbose_name = _("perkembangan bulanan")
        verbose_name_plural = _("perkembangan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "month"], name="tenant_progress_unique_month"),
            models.CheckConstraint(condition=Q(omzet__gte=0), name="tenant_progress_omzet_nonnegative"),
            models.CheckConstraint(condition=Q(workers__gte=1), name="tenant_progress_workers_min_one"),
        ]

    def __str__(self):
        return f"{self.tenant_id} {self.month:%Y-%m}"

    @property
    def has_internal_problem(self) -> bool:
        return bool(INTERNAL_PROBLEMS.intersection(self.problem_tags or []))

    @property
    def has_external_problem(self) -> bool:
        return bool(EXTERNAL_PROBLEMS.intersection(self.problem_tags or []))

    def get_market_channels_display(self) -> list[str]:
        labels = dict(MarketChannel.choices)
        return [str(labels.get(c, c)) for c in self.market_channels or []]

    def get_problem_tags_display(self) -> list[str]:
        labels = dict(ProblemTag.choices)
        return [str(labels.get(c, c)) for c in self.problem_tags or []]


class MentoringSession(models.Model):
    """A pendampingan session with one tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("tanggal"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentoring_sessions",
        verbose_name=_("mentor (akun)"),
    )
    mentor_name = models.CharField(_("nama mentor"), max_length=150)
    topic = models.CharField(_("topik"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durasi (menit)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    notes = models.TextField(_("catatan"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("sesi pendampingan")
        verbose_name_plural = _("sesi pendampingan")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="mentoring_duration_positive"),
        ]
        indexes = [models.Index(fields=["tenant", "held_on"])]

    def __str__(self):
        return f"{self.topic} ({self.held_on})"
