"""Monitoring models: facts, one row per (centre, month) (docs/architecture.md, "Monitoring").

CentreMonth holds, for one centre and one month, everything the dashboards and rankings aggregate:
whether the centre was expected to report, whether and when it did, the report's state, training,
alumni outcome, incubator and money figures. It is derived data, built by monitoring.facts from
reporting and incubator (a refresh per centre-month on commit of a change, a full rebuild nightly
and by `manage.py rebuild_facts`); nobody edits it by hand.

The centre's province, regency, cohort year, kemandirian class and incubator flag are copied onto
each row so dashboard filters need no join.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["CentreMonth", "CentreMonthKejuruan"]

MONEY = {"max_digits": 15, "decimal_places": 0}


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class CentreMonth(models.Model):
    """The monitoring fact of one (centre, month). `month` is the first day of the month."""

    # No separate FK indexes: the unique (centre, month) and the two composite indexes below serve
    # every lookup, and each extra index slows the nightly rebuild.
    centre = models.ForeignKey(
        "registry.Centre",
        on_delete=models.CASCADE,
        related_name="monthly_facts",
        verbose_name=_("BLK"),
        db_index=False,
    )
    month = models.DateField(_("bulan"))
    # Denormalised from the centre, for filters without joins. Copies of the centre's own (checked)
    # codes, so no foreign-key constraint in the database (PROTECT still holds in the ORM): its check
    # per row, at commit, was a third of a 10,000-centre rebuild (docs/benchmarks-large.md).
    province = models.ForeignKey(
        "registry.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provinsi"),
        db_index=False,
        db_constraint=False,
    )
    regency = models.ForeignKey(
        "registry.Regency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_index=False,
        db_constraint=False,
    )
    cohort_year = models.PositiveSmallIntegerField(_("tahun dibangun"))
    kemandirian_class = models.CharField(_("kelas kemandirian"), max_length=12, blank=True)
    is_incubator = models.BooleanField(_("inkubator"), default=False)

    # Reporting: expected = active in the month; on time = first submission by the centre's deadline.
    expected = models.BooleanField(_("diharapkan melapor"), default=False)
    state = models.CharField(_("status laporan"), max_length=12, blank=True)
    reported = models.BooleanField(_("melapor"), default=False)
    on_time = models.BooleanField(_("tepat waktu"), default=False)
    # reported: ever submitted (stays through returns and corrections); on_time: judged once at the
    # first submission; verified/approved: the report's current state (monitoring.facts).
    verified = models.BooleanField(_("terverifikasi/disetujui"), default=False)
    approved = models.BooleanField(_("disetujui"), default=False)
    first_submitted_at = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)

    # Training (reporting.TrainingBatch): batches running in the month; enrolment of batches that
    # started in it; outcomes of batches that ended in it.
    batches_active = _count(_("angkatan berjalan"))
    trainees_active = _count(_("peserta angkatan berjalan"))
    batches_started = _count(_("angkatan dimulai"))
    trainees_new = _count(_("peserta baru"))
    trainees_new_female = _count(_("peserta baru perempuan"))
    batches_ended = _count(_("angkatan selesai"))
    graduated = _count(_("lulus"))
    failed = _count(_("tidak lulus"))
    withdrawn = _count(_("mengundurkan diri"))
    certified = _count(_("bersertifikat kompetensi"))

    # Alumni outcomes as reported in the month's report (section B).
    alumni_bekerja = _count(_("alumni bekerja"))
    alumni_wirausaha = _count(_("alumni berwirausaha"))
    alumni_studi = _count(_("alumni melanjutkan studi"))
    alumni_belum_bekerja = _count(_("alumni belum bekerja"))
    alumni_tidak_terlacak = _count(_("alumni tidak terlacak"))

    # Kemandirian: roadmap criteria met according to the month's report (0-5; 0 without a report).
    kemandirian_points = models.PositiveSmallIntegerField(_("poin kemandirian"), default=0)
    own_income = models.DecimalField(_("pendapatan mandiri (Rp)"), **MONEY, default=0)
    operating_cost = models.DecimalField(_("biaya operasional (Rp)"), **MONEY, default=0)

    # Incubator (incubator.indicators definitions, at the month's last day): tenants not dropped out,
    # those still in incubation, and the latest progress up to the month of active tenants that
    # have reported progress (carried forward), with their baselines.
    tenants_active = _count(_("wirausaha aktif"))
    tenants_in_incubation = _count(_("wirausaha dalam inkubasi"))
    tenants_reporting = _count(_("wirausaha aktif yang melapor perkembangan"))
    tenant_workers = _count(_("tenaga kerja wirausaha"))
    tenant_baseline_workers = _count(_("tenaga kerja awal wirausaha yang melapor"))
    tenant_omzet = models.DecimalField(_("omzet bulanan wirausaha (Rp)"), **MONEY, default=0)
    tenant_baseline_omzet = models.DecimalField(_("omzet awal wirausaha yang melapor (Rp)"), **MONEY, default=0)
    mentoring_sessions = _count(_("sesi pendampingan"))

    refreshed_at = models.DateTimeField(_("diperbarui"), default=timezone.now)

    class Meta:
        ordering = ["centre", "month"]
        verbose_name = _("fakta BLK-bulan")
        verbose_name_plural = _("fakta BLK-bulan")
        constraints = [
            models.UniqueConstraint(fields=["centre", "month"], name="centre_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="centre_month_first_day"),
            models.CheckConstraint(condition=Q(on_time=False) | Q(reported=True), name="centre_month_on_time_reported"),
            models.CheckConstraint(
                condition=Q(verified=False) | Q(reported=True), name="centre_month_verified_reported"
            ),
            models.CheckConstraint(condition=Q(kemandirian_points__lte=5), name="centre_month_kemandirian_0_5"),
            models.CheckConstraint(
                condition=Q(approved=False) | Q(verified=True), name="centre_month_approved_verified"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "province"], name="fact_month_province"),
            models.Index(fields=["regency", "month"], name="fact_regency_month"),
        ]

    def __str__(self):
        return f"{self.centre_id} {self.month:%Y-%m}"

    @property
    def graduates_known(self) -> int:
        return self.alumni_bekerja + self.alumni_wirausaha + self.alumni_studi + self.alumni_belum_bekerja


class CentreMonthKejuruan(models.Model):
    """The training figures of one (centre, month, batch kejuruan): CentreMonth's training columns
    split by the kejuruan of the batches (reporting.TrainingBatch.kejuruan), not the centre's
    registered kejuruan. A row exists only where the centre has a batch of that kejuruan running in
    the month; summed over kejuruan its columns equal the centre-month's. Built by the same builder,
    refresh and rebuild as CentreMonth (monitoring.facts), in the same transaction."""

    centre = models.ForeignKey(
        "registry.Centre", on_delete=models.CASCADE, related_name="+", verbose_name=_("BLK"), db_index=False
    )
    month = models.DateField(_("bulan"))
    # Copied from the batches' (checked) kejuruan; no database constraint, as for CentreMonth's codes.
    kejuruan = models.ForeignKey(
        "registry.Kejuruan",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kejuruan angkatan"),
        db_constraint=False,
    )
    # Denormalised from the centre, for the dashboards' filters and scope without joins.
    province = models.ForeignKey(
        "registry.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provinsi"),
        db_index=False,
        db_constraint=False,
    )
    regency = models.ForeignKey(
        "registry.Regency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
        db_index=False,
        db_constraint=False,
    )
    cohort_year = models.PositiveSmallIntegerField(_("tahun dibangun"))
    kemandirian_class = models.CharField(_("kelas kemandirian"), max_length=12, blank=True)
    is_incubator = models.BooleanField(_("inkubator"), default=False)

    batches_active = _count(_("angkatan berjalan"))
    trainees_active = _count(_("peserta angkatan berjalan"))
    batches_started = _count(_("angkatan dimulai"))
    trainees_new = _count(_("peserta baru"))
    trainees_new_female = _count(_("peserta baru perempuan"))
    batches_ended = _count(_("angkatan selesai"))
    graduated = _count(_("lulus"))
    failed = _count(_("tidak lulus"))
    withdrawn = _count(_("mengundurkan diri"))
    certified = _count(_("bersertifikat kompetensi"))

    refreshed_at = models.DateTimeField(_("diperbarui"), default=timezone.now)

    class Meta:
        ordering = ["centre", "month", "kejuruan"]
        verbose_name = _("fakta pelatihan BLK-bulan-kejuruan")
        verbose_name_plural = _("fakta pelatihan BLK-bulan-kejuruan")
        constraints = [
            models.UniqueConstraint(fields=["centre", "month", "kejuruan"], name="centre_month_kejuruan_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="centre_month_kejuruan_first_day"),
        ]
        indexes = [models.Index(fields=["month", "kejuruan"], name="fact_kej_month_kejuruan")]

    def __str__(self):
        return f"{self.centre_id} {self.month:%Y-%m} {self.kejuruan_id}"
