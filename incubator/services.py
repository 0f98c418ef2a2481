"""Writes for the incubator: tenants, stages, aid, monthly progress, mentoring sessions.

Every service is atomic, takes keyword-only arguments, raises DomainError with an Indonesian
message (and the form field it concerns), and sends ``tenant_changed`` with the centre and the
first month whose figures may have changed. Each takes the acting user as ``by`` and checks it
through ``access`` (views already resolve the tenant within scope; a forged call is refused too), and
takes ``now`` (default: the current moment) for its "not in the future" rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import first_of_month, month_label, today
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Role

from .models import (
    STAGE_PATH,
    Bantuan,
    BantuanKind,
    LegalForm,
    MarketChannel,
    MentoringSession,
    ProblemTag,
    Sector,
    Sex,
    Stage,
    Tenant,
    TenantProgress,
    TenantStageChange,
)
from .signals import tenant_changed

TENANT_FIELDS = [
    "owner_name",
    "owner_sex",
    "owner_birth_year",
    "owner_phone",
    "is_alumnus",
    "kejuruan",
    "business_name",
    "business_description",
    "legal_form",
    "sector",
    "has_nib",
    "has_pirt",
    "has_halal",
    "entry_date",
    "baseline_omzet",
    "baseline_workers",
    "training_batch",
]

MAX_MONEY = Decimal(10**15 - 1)


def _date_label(day: dt.date) -> str:
    from django.utils import formats

    return formats.date_format(day, "j F Y")


def _changed(tenant: Tenant, month: dt.date) -> None:
    tenant_changed.send(sender=Tenant, centre_id=tenant.centre_id, month=first_of_month(month))


# --- NIK -------------------------------------------------------------------------------------------


def nik_normalise(nik: str) -> str:
    """Digits only; a NIK has exactly 16 digits. Raises DomainError otherwise."""
    digits = re.sub(r"[\s.\-]", "", str(nik or ""))
    if not re.fullmatch(r"\d{16}", digits) or digits == "0" * 16:
        raise DomainError(_("NIK harus terdiri dari 16 digit angka."), field="nik")
    return digits


def nik_hash(nik: str) -> str:
    """Keyed HMAC-SHA256 of the NIK (hex). The key is settings.NIK_HASH_KEY, from the environment;
    without the key the hash cannot be reversed by trying all NIKs."""
    key = settings.NIK_HASH_KEY
    if not key:
        raise DomainError(_("Kunci hash NIK belum dikonfigurasi; hubungi administrator."), field="nik")
    return hmac.new(key.encode(), nik_normalise(nik).encode(), hashlib.sha256).hexdigest()


def _nik_warnings(*, digest: str, centre_id: int, exclude_pk: int | None = None) -> list[str]:
    """Refuse a second registration of the same person in the same centre; warn (revealing nothing
    about the other centre) when the person is a tenant elsewhere."""
    others = Tenant.objects.filter(nik_hash=digest)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    same = others.filter(centre_id=centre_id).exclude(stage=Stage.GUGUR).first()
    if same is not None:
        raise DomainError(
            _("NIK ini sudah terdaftar sebagai wirausaha binaan BLK ini: %(name)s.") % {"name": same.business_name},
            field="nik",
        )
    if others.exclude(centre_id=centre_id).exists():
        return [
            _(
                "Orang dengan NIK ini sudah tercatat sebagai wirausaha binaan di BLK lain. "
                "Pastikan ini bukan pendaftaran ganda."
            )
        ]
    return []


# --- Tenants ---------------------------------------------------------------------------------------


def _money(value, *, field: str, label: str, allow_negative: bool = False) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("%(label)s harus berupa angka rupiah.") % {"label": label}, field=field) from None
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise DomainError(_("%(label)s harus berupa angka rupiah tanpa desimal.") % {"label": label}, field=field)
    if amount < 0 and not allow_negative:
        raise DomainError(_("%(label)s tidak boleh negatif.") % {"label": label}, field=field)
    if abs(amount) > MAX_MONEY:
        raise DomainError(_("%(label)s terlalu besar.") % {"label": label}, field=field)
    return amount


def _check_tenant(tenant: Tenant, now) -> None:
    centre = tenant.centre
    if tenant.entry_date > today(now):
        raise DomainError(_("Tanggal masuk tidak boleh di masa depan."), field="entry_date")
    if tenant.entry_date < centre.activated_on:
        raise DomainError(
            _("Tanggal masuk tidak boleh sebelum BLK aktif (%(date)s).") % {"date": _date_label(centre.activated_on)},
            field="entry_date",
        )
    if tenant.owner_sex not in Sex.values:
        raise DomainError(_("Pilih jenis kelamin pemilik."), field="owner_sex")
    if tenant.legal_form not in LegalForm.values:
        raise DomainError(_("Pilih bentuk usaha."), field="legal_form")
    if tenant.sector not in Sector.values:
        raise DomainError(_("Pilih sektor usaha."), field="sector")
    if tenant.owner_birth_year:
        age = tenant.entry_date.year - tenant.owner_birth_year
        if age < 15 or age > 90:
            raise DomainError(
                _("Tahun lahir tidak masuk akal: umur pemilik saat masuk %(age)s tahun.") % {"age": age},
                field="owner_birth_year",
            )
    tenant.baseline_omzet = _money(tenant.baseline_omzet, field="baseline_omzet", label=_("Omzet awal"))
    if tenant.baseline_workers is None or int(tenant.baseline_workers) < 1:
        raise DomainError(_("Tenaga kerja awal minimal 1 (pemilik)."), field="baseline_workers")
    if not tenant.is_alumnus:
        tenant.kejuruan = None
        tenant.training_batch = None
    if tenant.training_batch_id:
        if tenant.training_batch.centre_id != tenant.centre_id:
            raise DomainError(_("Angkatan pelatihan harus dari BLK yang sama."), field="training_batch")
        if tenant.kejuruan_id is None:
            tenant.kejuruan_id = tenant.training_batch.kejuruan_id


@transaction.atomic
def tenant_register(
    *, centre, by, data: dict, nik: str = "", stage: str = Stage.PRA_INKUBASI, now=None
) -> tuple[Tenant, list[str]]:
    """Register a wirausaha binaan in an incubator centre.

    Only the keyed hash of `nik` is stored. Returns the tenant and warnings (e.g. the same person is
    a tenant in another centre — without saying which)."""
    access.check(by, Perm.MANAGE_TENANTS, centre)
    if not centre.is_incubator:
        raise DomainError(_("BLK ini bukan inkubator wirausaha."), field="centre")
    if stage not in (Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI):
        raise DomainError(
            _("Wirausaha baru masuk pada tahap pra-inkubasi, inkubasi atau pasca-inkubasi."), field="stage"
        )
    tenant = Tenant(centre=centre, stage=stage, created_by=by, **{k: v for k, v in data.items() if k in TENANT_FIELDS})
    if tenant.entry_date is None:
        raise DomainError(_("Isi tanggal masuk."), field="entry_date")
    _check_tenant(tenant, now)
    warnings: list[str] = []
    if nik:
        tenant.nik_hash = nik_hash(nik)
        warnings = _nik_warnings(digest=tenant.nik_hash, centre_id=centre.pk)
    tenant.stage_since = tenant.entry_date
    tenant.save()
    TenantStageChange.objects.create(
        tenant=tenant, from_stage="", to_stage=stage, changed_on=tenant.entry_date, reason=_("Masuk inkubator"), by=by
    )
    _changed(tenant, tenant.entry_date)
    return tenant, warnings


@transaction.atomic
def tenant_update(*, tenant: Tenant, by, data: dict, nik: str | None = None, now=None) -> tuple[Tenant, list[str]]:
    """Change a tenant's data (not its stage: see tenant_move_stage). `nik`: None or "" keeps the
    stored hash; a new NIK replaces it. History keeps the previous values."""
    tenant = Tenant.objects.select_for_update().select_related("centre").get(pk=tenant.pk)
    access.check(by, Perm.MANAGE_TENANTS, tenant.centre)
    old_entry = tenant.entry_date
    for key, value in data.items():
        if key in TENANT_FIELDS:
            setattr(tenant, key, value)
    _check_tenant(tenant, now)
    if tenant.entry_date != old_entry:
        first_progress = tenant.progress.order_by("month").values_list("month", flat=True).first()
        if first_progress and first_progress < first_of_month(tenant.entry_date):
            raise DomainError(
                _("Sudah ada perkembangan untuk %(month)s; tanggal masuk tidak boleh sesudahnya.")
                % {"month": month_label(first_progress)},
                field="entry_date",
            )
        later = tenant.stage_changes.exclude(from_stage="").order_by("changed_on").first()
        if later and later.changed_on < tenant.entry_date:
            raise DomainError(
                _("Tanggal masuk tidak boleh sesudah perubahan tahap pertama (%(date)s).")
                % {"date": _date_label(later.changed_on)},
                field="entry_date",
            )
        tenant.stage_changes.filter(from_stage="").update(changed_on=tenant.entry_date)
        if not later:
            tenant.stage_since = tenant.entry_date
    warnings: list[str] = []
    if nik:
        digest = nik_hash(nik)
        if digest != tenant.nik_hash:
            warnings = _nik_warnings(digest=digest, centre_id=tenant.centre_id, exclude_pk=tenant.pk)
            tenant.nik_hash = digest
    tenant.save()
    _changed(tenant, min(old_entry, tenant.entry_date))
    return tenant, warnings


# --- Stages ----------------------------------------------------------------------------------------


def stage_move_problem(from_stage: str, to_stage: str, reason: str = "") -> DomainError | None:
    """Why a move from `from_stage` to `to_stage` is refused (a DomainError naming the field), or None.

    Forward one step along pra-inkubasi → inkubasi → pasca-inkubasi → mandiri: always allowed.
    Needs a reason: dropping out (→ gugur), coming back from gugur, any step backwards (also out of
    mandiri), skipping a stage. Refused outright: pra-inkubasi → mandiri and gugur → mandiri.
    """
    has_reason = bool((reason or "").strip())

    def refuse(message):
        return DomainError(message, field="to_stage")

    def needs_reason(message):
        return None if has_reason else DomainError(message, field="reason")

    if to_stage not in Stage.values:
        return refuse(_("Tahap tujuan tidak dikenal."))
    if from_stage == to_stage:
        return refuse(_("Wirausaha ini sudah berada pada tahap %(stage)s.") % {"stage": Stage(to_stage).label})
    if to_stage == Stage.MANDIRI and from_stage == Stage.PRA_INKUBASI:
        return refuse(
            _("Wirausaha tidak dapat langsung mandiri dari tahap pra-inkubasi; pindahkan ke inkubasi dahulu.")
        )
    if to_stage == Stage.MANDIRI and from_stage == Stage.GUGUR:
        return refuse(
            _(
                "Wirausaha yang gugur tidak dapat langsung dinyatakan mandiri; "
                "aktifkan kembali ke tahap inkubasi dahulu."
            )
        )
    if to_stage == Stage.GUGUR:
        return needs_reason(_("Alasan gugur wajib diisi."))
    if from_stage == Stage.GUGUR:
        return needs_reason(_("Mengaktifkan kembali wirausaha yang gugur wajib disertai alasan."))
    step = STAGE_PATH.index(to_stage) - STAGE_PATH.index(from_stage)
    if step < 0 and from_stage == Stage.MANDIRI:
        return needs_reason(_("Mundur dari tahap mandiri wajib disertai alasan."))
    if step < 0:
        return needs_reason(_("Mundur ke tahap sebelumnya wajib disertai alasan."))
    if step > 1:
        return needs_reason(_("Melompati tahap wajib disertai alasan."))
    return None


def stage_targets(from_stage: str) -> list[tuple[str, str]]:
    """Stages a tenant may be moved to from `from_stage` (some of them only with a reason)."""
    refused = {(Stage.PRA_INKUBASI, Stage.MANDIRI), (Stage.GUGUR, Stage.MANDIRI)}
    return [(v, label) for v, label in Stage.choices if v != from_stage and (from_stage, v) not in refused]


@transaction.atomic
def tenant_move_stage(
    *, tenant: Tenant, by, to_stage: str, on: dt.date, reason: str = "", now=None
) -> TenantStageChange:
    """Move a tenant to another stage on a date, keeping the dated history."""
    tenant = Tenant.objects.select_for_update().select_related("centre").get(pk=tenant.pk)
    access.check(by, Perm.MANAGE_TENANTS, tenant.centre)
    problem = stage_move_problem(tenant.stage, to_stage, reason)
    if problem:
        raise problem
    if on > today(now):
        raise DomainError(_("Tanggal perubahan tahap tidak boleh di masa depan."), field="changed_on")
    if on < tenant.stage_since:
        raise DomainError(
            _("Tanggal perubahan tahap tidak boleh sebelum tahap saat ini dimulai (%(date)s).")
            % {"date": _date_label(tenant.stage_since)},
            field="changed_on",
        )
    change = TenantStageChange.objects.create(
        tenant=tenant, from_stage=tenant.stage, to_stage=to_stage, changed_on=on, reason=(reason or "").strip(), by=by
    )
    tenant.stage, tenant.stage_since = to_stage, on
    tenant.save(update_fields=["stage", "stage_since", "updated_at"])
    _changed(tenant, on)
    return change


# --- Aid -------------------------------------------------------------------------------------------


@transaction.atomic
def bantuan_add(*, tenant: Tenant, by, data: dict, now=None) -> tuple[Bantuan, list[str]]:
    """Record aid received. Returns the record and warnings (TKM Lanjutan without a new hire)."""
    access.check(by, Perm.MANAGE_TENANTS, tenant.centre)
    kind = data.get("kind")
    if kind not in BantuanKind.values:
        raise DomainError(_("Pilih jenis bantuan."), field="kind")
    amount = _money(data.get("amount"), field="amount", label=_("Nilai bantuan"))
    received_on = data.get("received_on")
    if not isinstance(received_on, dt.date):
        raise DomainError(_("Isi tanggal diterima."), field="received_on")
    if received_on > today(now):
        raise DomainError(_("Tanggal diterima tidak boleh di masa depan."), field="received_on")
    source = (data.get("source") or "").strip()
    if not source:
        raise DomainError(_("Isi sumber bantuan."), field="source")
    bantuan = Bantuan.objects.create(
        tenant=tenant,
        kind=kind,
        amount=amount,
        received_on=received_on,
        source=source[:200],
        notes=(data.get("notes") or "").strip(),
        created_by=by,
    )
    warnings = []
    if kind == BantuanKind.TKM_LANJUTAN:
        latest = tenant.progress.order_by("-month").values_list("workers", flat=True).first()
        if latest is None or latest <= tenant.baseline_workers:
            warnings.append(
                _(
                    "TKM Lanjutan mensyaratkan minimal satu tenaga kerja baru; "
                    "perkembangan terakhir belum menunjukkannya."
                )
            )
    _changed(tenant, received_on)
    return bantuan, warnings


# --- Monthly progress ------------------------------------------------------------------------------


def _codes(values, choices, *, field: str, label: str) -> list[str]:
    values = list(values or [])
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise DomainError(_("%(label)s tidak dikenal: %(v)s.") % {"label": label, "v": ", ".join(unknown)}, field=field)
    return [v for v in choices.values if v in values]  # stable order, no duplicates


@transaction.atomic
def progress_record(*, tenant: Tenant, by, month: dt.date, data: dict, now=None) -> tuple[TenantProgress, bool]:
    """Record (or correct) one month of a tenant's business. Returns the row and whether it is new.

    Refused: a month before the month of entry, a month that has not begun, a month after the
    tenant dropped out, negative omzet, fewer than one worker, a profit above the omzet."""
    access.check(by, Perm.RECORD_PROGRESS, tenant.centre)
    if not isinstance(month, dt.date):
        raise DomainError(_("Pilih bulan."), field="month")
    month = first_of_month(month)
    entry_month = first_of_month(tenant.entry_date)
    if month < entry_month:
        raise DomainError(
            _("%(month)s sebelum bulan masuk inkubator (%(entry)s); perkembangan tidak dapat dicatat.")
            % {"month": month_label(month), "entry": month_label(entry_month)},
            field="month",
        )
    if month > first_of_month(today(now)):
        raise DomainError(
            _("%(month)s belum tiba; perkembangan tidak dapat dicatat untuk bulan yang akan datang.")
            % {"month": month_label(month)},
            field="month",
        )
    if tenant.stage == Stage.GUGUR and month > first_of_month(tenant.stage_since):
        raise DomainError(
            _("Wirausaha ini gugur sejak %(date)s; perkembangan sesudahnya tidak dapat dicatat.")
            % {"date": _date_label(tenant.stage_since)},
            field="month",
        )
    omzet = _money(data.get("omzet"), field="omzet", label=_("Omzet"))
    profit = _money(data.get("profit"), field="profit", label=_("Laba"), allow_negative=True)
    if profit > omzet:
        raise DomainError(_("Laba tidak boleh lebih besar dari omzet."), field="profit")
    try:
        workers = int(data.get("workers"))
    except (TypeError, ValueError):
        raise DomainError(_("Isi jumlah tenaga kerja."), field="workers") from None
    if workers < 1:
        raise DomainError(_("Tenaga kerja minimal 1 (pemilik)."), field="workers")
    if workers > 10000:
        raise DomainError(_("Jumlah tenaga kerja terlalu besar."), field="workers")
    values = {
        "omzet": omzet,
        "profit": profit,
        "workers": workers,
        "market_channels": _codes(
            data.get("market_channels"), MarketChannel, field="market_channels", label=_("Saluran pemasaran")
        ),
        "keeps_records": bool(data.get("keeps_records")),
        "problem_tags": _codes(data.get("problem_tags"), ProblemTag, field="problem_tags", label=_("Kendala")),
        "problems": (data.get("problems") or "").strip(),
        "recorded_by": by,
    }
    try:
        with transaction.atomic():
            progress, created = TenantProgress.objects.update_or_create(tenant=tenant, month=month, defaults=values)
    except IntegrityError:
        # Someone saved the same month at the same moment: correct their row instead.
        progress, created = TenantProgress.objects.update_or_create(tenant=tenant, month=month, defaults=values)
    _changed(tenant, month)
    return progress, created


# --- Mentoring -------------------------------------------------------------------------------------


def centre_mentors(centre_id: int):
    return access.users_with_role(Role.MENTOR, centre_id=centre_id)


@transaction.atomic
def session_log(*, tenant: Tenant, by, data: dict, now=None) -> MentoringSession:
    """Log a mentoring session with a tenant. The mentor is an assigned mentor's account or a name."""
    access.check(by, Perm.LOG_MENTORING, tenant.centre)
    held_on = data.get("held_on")
    if not isinstance(held_on, dt.date):
        raise DomainError(_("Isi tanggal sesi."), field="held_on")
    if held_on > today(now):
        raise DomainError(_("Tanggal sesi tidak boleh di masa depan."), field="held_on")
    if held_on < tenant.entry_date:
        raise DomainError(
            _("Tanggal sesi tidak boleh sebelum tanggal masuk inkubator (%(date)s).")
            % {"date": _date_label(tenant.entry_date)},
            field="held_on",
        )
    try:
        duration = int(data.get("duration_minutes"))
    except (TypeError, ValueError):
        raise DomainError(_("Isi durasi dalam menit."), field="duration_minutes") from None
    if not 1 <= duration <= 24 * 60:
        raise DomainError(_("Durasi harus antara 1 dan 1440 menit."), field="duration_minutes")
    topic = (data.get("topic") or "").strip()
    if not topic:
        raise DomainError(_("Isi topik pendampingan."), field="topic")
    mentor = data.get("mentor")
    mentor_name = (data.get("mentor_name") or "").strip()
    if mentor is not None:
        if not centre_mentors(tenant.centre_id).filter(pk=mentor.pk).exists():
            raise DomainError(_("Mentor yang dipilih tidak ditugaskan di BLK ini."), field="mentor")
        mentor_name = mentor_name or mentor.display_name
    if not mentor_name:
        raise DomainError(_("Pilih mentor atau isi nama mentor."), field="mentor_name")
    session = MentoringSession.objects.create(
        tenant=tenant,
        held_on=held_on,
        mentor=mentor,
        mentor_name=mentor_name[:150],
        topic=topic[:200],
        duration_minutes=duration,
        notes=(data.get("notes") or "").strip(),
        logged_by=by,
    )
    _changed(tenant, held_on)
    return session
