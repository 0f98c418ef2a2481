"""Monitoring models: rankings (versioned, weighted, frozen monthly; see monitoring/rankings.py).

A RankingScheme is a named ranking ("Peringkat kinerja BLK"). Its rules live in numbered
RankingSchemeVersions that are never changed after creation: editing a scheme writes a new version,
so any snapshot computed with an older version can still be explained and reproduced.

A RankingSnapshot is one computation of one version for one period (the last month of its window).
The live snapshot of a (version, period) is replaced when recomputed; a frozen snapshot (made once a
month by beat) is never touched again. Each RankingEntry carries the inputs of its score (every
component's numerator, denominator, value, weight and points) so the "why this rank" page and the
exports read it back without recomputing.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["RankingComponent", "RankingEntry", "RankingScheme", "RankingSchemeVersion", "RankingSnapshot"]


class RankingScheme(models.Model):
    """A named ranking whose rules are its versions."""

    name = models.CharField(_("nama skema"), max_length=150, unique=True)
    is_default = models.BooleanField(_("skema utama"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("skema peringkat")
        verbose_name_plural = _("skema peringkat")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_scheme"),
        ]

    def __str__(self):
        return self.name


class RankingSchemeVersion(models.Model):
    """One immutable version of a scheme's rules: window, minimum-data rule, peer groups, components."""

    scheme = models.ForeignKey(RankingScheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    description = models.TextField(_("uraian metodologi"), blank=True)
    window_months = models.PositiveSmallIntegerField(
        _("jendela (bulan)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("Jumlah bulan data yang dinilai, berakhir pada periode peringkat."),
    )
    min_verified_months = models.PositiveSmallIntegerField(
        _("minimal bulan terverifikasi"),
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(36)],
        help_text=_("BLK dengan laporan terverifikasi/disetujui lebih sedikit dari ini tidak diberi peringkat."),
    )
    peer_by_cohort = models.BooleanField(_("kelompok sebaya menurut tahun dibangun"), default=True)
    peer_by_kejuruan = models.BooleanField(_("kelompok sebaya menurut kejuruan utama"), default=False)
    change_note = models.TextField(_("alasan perubahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["scheme", "-number"]
        verbose_name = _("versi skema peringkat")
        verbose_name_plural = _("versi skema peringkat")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique"),
            models.CheckConstraint(
                condition=Q(min_verified_months__lte=models.F("window_months")), name="scheme_min_data_within_window"
            ),
        ]

    def __str__(self):
        return f"{self.scheme.name} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.scheme.name} v{self.number}"


class RankingComponent(models.Model):
    """One weighted indicator of a scheme version. Weights of a version add up to 100 (%)."""

    version = models.ForeignKey(RankingSchemeVersion, on_delete=models.CASCADE, related_name="components")
    indicator = models.CharField(_("indikator"), max_length=40)
    weight = models.DecimalField(
        _("bobot (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("komponen peringkat")
        verbose_name_plural = _("komponen peringkat")
        constraints = [
            models.UniqueConstraint(fields=["version", "indicator"], name="component_unique_indicator"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="component_weight_0_100"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.weight}%"

    @property
    def indicator_label(self) -> str:
        from monitoring import indicators

        ind = indicators.INDICATORS.get(self.indicator)
        return str(ind.label) if ind else self.indicator

    @property
    def indicator_description(self) -> str:
        from monitoring import indicators

        ind = indicators.INDICATORS.get(self.indicator)
        return str(ind.description) if ind else ""


class RankingSnapshot(models.Model):
    """One computation of a scheme version for a period (the last month of the window)."""

    version = models.ForeignKey(RankingSchemeVersion, on_delete=models.PROTECT, related_name="snapshots")
    period = models.DateField(_("periode"))
    frozen = models.BooleanField(_("dibekukan"), default=False)
    computed_at = models.DateTimeField(_("dihitung"), default=timezone.now)
    entry_count = models.PositiveIntegerField(_("jumlah BLK"), default=0)
    ranked_count = models.PositiveIntegerField(_("jumlah BLK berperingkat"), default=0)

    class Meta:
        ordering = ["-period", "-frozen", "-computed_at"]
        verbose_name = _("snapshot peringkat")
        verbose_name_plural = _("snapshot peringkat")
        constraints = [
            models.UniqueConstraint(fields=["version", "period", "frozen"], name="snapshot_unique_per_kind"),
            models.CheckConstraint(condition=Q(period__day=1), name="snapshot_period_first_day"),
        ]

    def __str__(self):
        kind = _("beku") if self.frozen else _("terkini")
        return f"{self.version} {self.period:%Y-%m} ({kind})"


class RankingEntry(models.Model):
    """One centre in one snapshot: its peer group, score, rank and the breakdown behind them."""

    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.CASCADE, related_name="entries")
    centre = models.ForeignKey("registry.Centre", on_delete=models.CASCADE, related_name="+")
    # Copied from the centre at computation time, so filters work and the snapshot stays as it was.
    province = models.ForeignKey("registry.Province", on_delete=models.PROTECT, related_name="+")
    cohort_year = models.PositiveSmallIntegerField(_("tahun dibangun"))
    kejuruan = models.ForeignKey("registry.Kejuruan", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    peer_group = models.CharField(_("kelompok sebaya"), max_length=120)
    peer_size = models.PositiveIntegerField(_("jumlah BLK berperingkat di kelompok"), default=0)
    verified_months = models.PositiveSmallIntegerField(_("bulan terverifikasi"), default=0)
    expected_months = models.PositiveSmallIntegerField(_("bulan wajib lapor"), default=0)
    # Months in the window awaiting verification (left out of every component) and components
    # without data (no points, weight shared among the others): shown "menunggu verifikasi / belum
    # ada data" on the ranking, the "why" page and the export.
    pending_months = models.PositiveSmallIntegerField(_("bulan menunggu verifikasi"), default=0)
    missing_components = models.PositiveSmallIntegerField(_("komponen belum ada data"), default=0)
    eligible = models.BooleanField(_("memenuhi syarat data minimal"), default=False)
    score = models.DecimalField(_("skor"), max_digits=6, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    # [{"indicator", "label", "numerator", "denominator", "value", "weight", "points", "status"}, ...]
    components = models.JSONField(_("rincian komponen"), default=list)

    class Meta:
        ordering = ["snapshot", "peer_group", "rank", "centre"]
        verbose_name = _("entri peringkat")
        verbose_name_plural = _("entri peringkat")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "centre"], name="entry_unique_centre"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(eligible=True), name="entry_rank_needs_data"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="entry_score_0_100"),
        ]
        indexes = [
            models.Index(fields=["snapshot", "peer_group", "rank"], name="entry_peer_rank"),
            # The ranking page filtered by province reads its first page in order from this index.
            models.Index(fields=["snapshot", "province", "peer_group", "rank"], name="entry_province_rank"),
        ]

    def __str__(self):
        return f"{self.centre_id}: {self.rank or '—'} ({self.score})"
