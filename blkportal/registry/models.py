"""Regions, centres (BLK Komunitas), kejuruan, users and role assignments."""

import datetime as dt
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Province(models.Model):
    """A province with its Kemendagri code (e.g. "11") and its time zone."""

    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    timezone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return self.name


class Regency(models.Model):
    """A kabupaten/kota with its dotted Kemendagri code (e.g. "11.01")."""

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return self.name


class Kejuruan(models.Model):
    """Vocational stream. Reference data an administrator extends, not an enum in code."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100, unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kejuruan")
        verbose_name_plural = _("kejuruan")

    def __str__(self):
        return self.name


class HostType(models.TextChoices):
    PESANTREN = "pesantren", _("Pondok pesantren")
    SEMINARI = "seminari", _("Seminari")
    PASRAMAN = "pasraman", _("Pasraman")
    DAMASEKA = "damaseka", _("Damaseka")
    SERIKAT_PEKERJA = "serikat_pekerja", _("Serikat pekerja")
    LAINNYA = "lainnya", _("Lainnya")


class KemandirianClass(models.TextChoices):
    TUMBUH = "tumbuh", _("Tumbuh")
    BERKEMBANG = "berkembang", _("Berkembang")
    MANDIRI = "mandiri", _("Mandiri")


class Centre(models.Model):
    """A BLK Komunitas. The province is denormalised from the regency so scope filters need no join."""

    reg_code = models.CharField(_("kode registrasi"), max_length=30, unique=True)
    name = models.CharField(_("nama BLK"), max_length=200)
    host_name = models.CharField(_("nama lembaga induk"), max_length=200)
    host_type = models.CharField(_("jenis lembaga induk"), max_length=20, choices=HostType.choices)
    address = models.TextField(_("alamat"), blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="centres", verbose_name=_("kabupaten/kota")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="centres", verbose_name=_("provinsi"), editable=False
    )
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-11), MaxValueValidator(6)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(94), MaxValueValidator(142)],
    )
    cohort_year = models.PositiveSmallIntegerField(
        _("tahun dibangun"), validators=[MinValueValidator(2017), MaxValueValidator(2100)]
    )
    kejuruan = models.ManyToManyField(Kejuruan, related_name="centres", verbose_name=_("kejuruan"), blank=True)
    activated_on = models.DateField(_("tanggal aktif"))
    deactivated_on = models.DateField(_("tanggal nonaktif"), null=True, blank=True)
    kemandirian_class = models.CharField(
        _("kelas kemandirian"), max_length=12, choices=KemandirianClass.choices, blank=True
    )
    kemandirian_assessed_on = models.DateField(_("tanggal penilaian kemandirian"), null=True, blank=True)
    is_incubator = models.BooleanField(_("inkubator wirausaha"), default=False)
    incubator_year = models.PositiveSmallIntegerField(
        _("tahun ditetapkan inkubator"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2021), MaxValueValidator(2100)],
    )
    incubator_university = models.CharField(_("perguruan tinggi mitra"), max_length=200, blank=True)
    contact_name = models.CharField(_("nama kontak"), max_length=120, blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail kontak"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("BLK Komunitas")
        verbose_name_plural = _("BLK Komunitas")
        constraints = [
            models.CheckConstraint(
                condition=Q(deactivated_on__isnull=True) | Q(deactivated_on__gte=models.F("activated_on")),
                name="centre_deactivated_after_activated",
            ),
            models.CheckConstraint(
                condition=Q(is_incubator=False) | Q(incubator_year__isnull=False),
                name="centre_incubator_has_year",
            ),
        ]
        indexes = [models.Index(fields=["province", "cohort_year"]), models.Index(fields=["cohort_year"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Integrity, not workflow: the province always follows the regency.
        if self.regency_id:
            self.province_id = self.regency_id.split(".")[0]
        super().save(*args, **kwargs)

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.province.timezone)

    def is_active_on(self, day: dt.date) -> bool:
        return self.activated_on <= day and (self.deactivated_on is None or self.deactivated_on > day)

    def is_active_in_month(self, first_day: dt.date, last_day: dt.date) -> bool:
        """Active on at least one day of the month (the one meaning of "active in a month", used by
        facts, reports, reminders and rankings): activated by its last day and not deactivated on or
        before its first day. `deactivated_on` is the first inactive day (see is_active_on), so a
        centre deactivated on the 1st is not expected to report for that month."""
        return self.activated_on <= last_day and (self.deactivated_on is None or self.deactivated_on > first_day)


class User(AbstractUser):
    """Portal account. Roles live in RoleAssignment; a user may hold several."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    MANAGER = "manager", _("Pengelola BLK")
    REVIEWER = "reviewer", _("Verifikator wilayah")
    DIRECTORATE = "directorate", _("Staf Direktorat")
    FKN = "fkn", _("Koordinator FKN")
    MENTOR = "mentor", _("Mentor inkubator")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    """One role of one user, with its scope: a centre, a province, or national (neither)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name=_("BLK")
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("provinsi"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penugasan peran")
        verbose_name_plural = _("penugasan peran")
        constraints = [
            # Centre roles need a centre and nothing else; reviewers a province; national roles neither;
            # an FKN coordinator is national or provincial.
            models.CheckConstraint(
                condition=(
                    (Q(role__in=["manager", "mentor"]) & Q(centre__isnull=False) & Q(province__isnull=True))
                    | (Q(role="reviewer") & Q(centre__isnull=True) & Q(province__isnull=False))
                    | (Q(role__in=["directorate", "admin"]) & Q(centre__isnull=True) & Q(province__isnull=True))
                    | (Q(role="fkn") & Q(centre__isnull=True))
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "centre"], condition=Q(centre__isnull=False), name="role_unique_centre"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"], condition=Q(province__isnull=False), name="role_unique_province"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(centre__isnull=True, province__isnull=True),
                name="role_unique_national",
            ),
        ]

    def __str__(self):
        scope = self.centre or self.province or _("Nasional")
        return f"{self.get_role_display()} — {scope}"
