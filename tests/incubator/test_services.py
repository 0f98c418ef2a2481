import datetime as dt
import hashlib
import hmac
from decimal import Decimal

import pytest

from blkportal.core.errors import DomainError
from blkportal.core.months import add_months, first_of_month
from incubator import services
from incubator.models import Bantuan, MentoringSession, Stage, Tenant, TenantProgress, TenantStageChange
from incubator.signals import tenant_changed
from tests.incubator.conftest import tenant_data

pytestmark = pytest.mark.django_db

NIK = "3204123456780001"


# --- NIK ---------------------------------------------------------------------------------------------


def test_nik_is_stored_only_as_keyed_hash(world, settings):
    settings.NIK_HASH_KEY = "kunci-rahasia-uji"
    tenant, warnings = services.tenant_register(
        centre=world.centre_a, data=tenant_data(), nik="3204 1234 5678 0001", by=world.manager_a
    )
    expected = hmac.new(b"kunci-rahasia-uji", NIK.encode(), hashlib.sha256).hexdigest()
    assert tenant.nik_hash == expected
    assert warnings == []
    # The raw NIK is nowhere in the row or its history.
    stored = Tenant.objects.filter(pk=tenant.pk).values().get()
    assert NIK not in " ".join(str(v) for v in stored.values())
    history = tenant.history.values().get()
    assert NIK not in " ".join(str(v) for v in history.values())
    # An unkeyed hash (what an attacker could compute from a list of NIKs) does not match.
    assert tenant.nik_hash != hashlib.sha256(NIK.encode()).hexdigest()


def test_nik_hash_depends_on_key(settings):
    settings.NIK_HASH_KEY = "kunci-a"
    a = services.nik_hash(NIK)
    settings.NIK_HASH_KEY = "kunci-b"
    assert services.nik_hash(NIK) != a


@pytest.mark.parametrize("bad", ["123", "32041234567800011", "3204-1234-5678-000X", "0000000000000000"])
def test_malformed_nik_is_refused_and_nothing_saved(world, bad):
    with pytest.raises(DomainError) as exc:
        services.tenant_register(by=world.manager_a, centre=world.centre_a, data=tenant_data(), nik=bad)
    assert exc.value.field == "nik"
    assert "16 digit" in exc.value.message
    assert not Tenant.objects.exists()


def test_same_person_elsewhere_warns_without_revealing_the_other_centre(world, make_tenant, centre_b_incubator):
    make_tenant(centre=centre_b_incubator, nik=NIK, business_name="Bengkel Las Rahasia", by=world.manager_b)
    tenant, warnings = services.tenant_register(centre=world.centre_a, data=tenant_data(), nik=NIK, by=world.manager_a)
    assert tenant.pk
    assert len(warnings) == 1
    text = warnings[0]
    assert "BLK lain" in text
    for secret in ("Bengkel Las Rahasia", centre_b_incubator.name, centre_b_incubator.reg_code, "Nurul Huda"):
        assert secret not in text


def test_same_person_twice_in_same_centre_is_refused(world, make_tenant):
    first = make_tenant(nik=NIK)
    with pytest.raises(DomainError) as exc:
        services.tenant_register(
            by=world.manager_a, centre=world.centre_a, data=tenant_data(business_name="Usaha Kedua"), nik=NIK
        )
    assert exc.value.field == "nik"
    assert first.business_name in exc.value.message
    assert Tenant.objects.count() == 1


# --- Registration ------------------------------------------------------------------------------------


def test_register_records_entry_in_stage_history_and_signals(world):
    seen = []

    def listener(sender, centre_id, month, **kwargs):
        seen.append((centre_id, month))

    tenant_changed.connect(listener)
    try:
        tenant, _ = services.tenant_register(
            centre=world.centre_a, data=tenant_data(), stage=Stage.INKUBASI, by=world.manager_a
        )
    finally:
        tenant_changed.disconnect(listener)
    change = tenant.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.changed_on) == ("", Stage.INKUBASI, dt.date(2023, 1, 10))
    assert tenant.stage_since == tenant.entry_date
    assert seen == [(world.centre_a.pk, dt.date(2023, 1, 1))]


def test_register_refuses_non_incubator_centre(world):
    with pytest.raises(DomainError, match="bukan inkubator"):
        services.tenant_register(by=world.admin, centre=world.centre_b, data=tenant_data())


def test_a_forged_call_from_outside_the_scope_is_refused(world, make_tenant):
    tenant = make_tenant()
    # manager_b runs centre B; a reviewer only reads; neither may write centre A's tenants.
    for intruder in (world.manager_b, world.reviewer):
        with pytest.raises(DomainError) as info:
            services.tenant_update(tenant=tenant, by=intruder, data={"business_name": "Dibajak"})
        assert info.value.code == "forbidden"
        with pytest.raises(DomainError, match="tidak berwenang"):
            services.progress_record(tenant=tenant, by=intruder, month=tenant.entry_date, data=GOOD)
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.tenant_register(by=world.manager_b, centre=world.centre_a, data=tenant_data())
    tenant.refresh_from_db()
    assert tenant.business_name != "Dibajak" and not tenant.progress.exists()
    assert Tenant.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"baseline_omzet": -5}, "baseline_omzet", "tidak boleh negatif"),
        ({"baseline_workers": 0}, "baseline_workers", "minimal 1"),
        ({"entry_date": dt.date(2100, 1, 1)}, "entry_date", "masa depan"),
        ({"entry_date": dt.date(2018, 1, 1)}, "entry_date", "sebelum BLK aktif"),
        ({"owner_birth_year": 2020}, "owner_birth_year", "tidak masuk akal"),
    ],
)
def test_register_refuses_bad_input(world, overrides, field, text):
    with pytest.raises(DomainError) as exc:
        services.tenant_register(by=world.manager_a, centre=world.centre_a, data=tenant_data(**overrides))
    assert exc.value.field == field
    assert text in exc.value.message
    assert not Tenant.objects.exists()


def test_register_cannot_start_as_mandiri_or_gugur(world):
    for stage in (Stage.MANDIRI, Stage.GUGUR):
        with pytest.raises(DomainError):
            services.tenant_register(by=world.manager_a, centre=world.centre_a, data=tenant_data(), stage=stage)


def test_kejuruan_is_dropped_for_non_alumni(world):
    from tests.factories import kejuruan

    tenant, _ = services.tenant_register(
        by=world.manager_a, centre=world.centre_a, data=tenant_data(is_alumnus=False, kejuruan=kejuruan("teknik-las"))
    )
    assert tenant.kejuruan is None


def test_update_cannot_move_entry_after_recorded_progress(world, make_tenant):
    tenant = make_tenant()
    services.progress_record(
        by=world.manager_a, tenant=tenant, month=dt.date(2023, 2, 1), data={"omzet": 1, "profit": 0, "workers": 1}
    )
    with pytest.raises(DomainError, match="Februari 2023"):
        services.tenant_update(by=world.manager_a, tenant=tenant, data={"entry_date": dt.date(2023, 5, 1)})
    tenant.refresh_from_db()
    assert tenant.entry_date == dt.date(2023, 1, 10)


def test_update_moves_entry_record_with_entry_date(world, make_tenant):
    tenant = make_tenant()
    services.tenant_update(
        by=world.manager_a, tenant=tenant, data={"entry_date": dt.date(2023, 1, 3), "business_name": "Baru"}
    )
    tenant.refresh_from_db()
    assert tenant.business_name == "Baru"
    assert tenant.stage_changes.get().changed_on == dt.date(2023, 1, 3)
    assert tenant.stage_since == dt.date(2023, 1, 3)
    assert tenant.history.count() == 2  # the previous values are kept


# --- Stage rules -------------------------------------------------------------------------------------

P, INK, PI, M, G = Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI, Stage.MANDIRI, Stage.GUGUR


@pytest.mark.parametrize(
    ("src", "dst", "reason", "allowed"),
    [
        (P, INK, "", True),
        (INK, PI, "", True),
        (PI, M, "", True),
        (P, PI, "", False),  # skipping a stage needs a reason
        (P, PI, "Sudah siap pasar", True),
        (INK, M, "", False),
        (INK, M, "Omzet melampaui syarat", True),
        (P, M, "Alasan apa pun", False),  # refused outright
        (M, PI, "", False),  # back from mandiri needs a reason
        (M, INK, "   ", False),  # whitespace is no reason
        (M, PI, "Usaha merosot, perlu pendampingan lagi", True),
        (INK, P, "", False),
        (INK, P, "Belum siap", True),
        (INK, G, "", False),  # dropping out needs a reason
        (M, G, "Usaha tutup", True),
        (G, INK, "", False),  # anything out of gugur needs a reason
        (G, P, "Kembali aktif", True),
        (G, M, "Alasan apa pun", False),
        (INK, INK, "x", False),
    ],
)
def test_stage_rules(src, dst, reason, allowed):
    problem = services.stage_move_problem(src, dst, reason)
    assert (problem is None) is allowed, problem and problem.message


def test_stage_move_records_dated_history(world, make_tenant):
    tenant = make_tenant()
    services.tenant_move_stage(tenant=tenant, to_stage=INK, on=dt.date(2023, 4, 1), by=world.manager_a)
    services.tenant_move_stage(
        by=world.manager_a, tenant=tenant, to_stage=G, on=dt.date(2023, 9, 1), reason="Pindah kota"
    )
    services.tenant_move_stage(
        by=world.manager_a, tenant=tenant, to_stage=INK, on=dt.date(2023, 11, 1), reason="Kembali ke desa"
    )
    tenant.refresh_from_db()
    assert (tenant.stage, tenant.stage_since) == (INK, dt.date(2023, 11, 1))
    history = list(tenant.stage_changes.values_list("from_stage", "to_stage", "changed_on", "reason"))
    assert history == [
        ("", P, dt.date(2023, 1, 10), "Masuk inkubator"),
        (P, INK, dt.date(2023, 4, 1), ""),
        (INK, G, dt.date(2023, 9, 1), "Pindah kota"),
        (G, INK, dt.date(2023, 11, 1), "Kembali ke desa"),
    ]


def test_refused_stage_move_changes_nothing(world, make_tenant):
    tenant = make_tenant(stage=PI)
    services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=M, on=dt.date(2024, 1, 5))
    with pytest.raises(DomainError) as exc:
        services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=INK, on=dt.date(2024, 2, 1))
    assert exc.value.field == "reason"
    assert "mandiri" in exc.value.message
    tenant.refresh_from_db()
    assert tenant.stage == M
    assert tenant.stage_changes.count() == 2


def test_stage_move_dates(world, make_tenant):
    tenant = make_tenant()
    with pytest.raises(DomainError, match="masa depan"):
        services.tenant_move_stage(
            by=world.manager_a, tenant=tenant, to_stage=INK, on=dt.date.today() + dt.timedelta(days=2)
        )
    with pytest.raises(DomainError, match="sebelum tahap saat ini"):
        services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=INK, on=dt.date(2022, 12, 31))
    assert TenantStageChange.objects.filter(tenant=tenant).count() == 1


# --- Progress ----------------------------------------------------------------------------------------

GOOD = {"omzet": Decimal(3_000_000), "profit": Decimal(-200_000), "workers": 2}


def test_progress_upserts_one_row_per_month(world, make_tenant):
    tenant = make_tenant()
    row, created = services.progress_record(
        by=world.manager_a,
        tenant=tenant,
        month=dt.date(2023, 3, 17),
        data={**GOOD, "market_channels": ["marketplace", "langsung"], "problem_tags": ["pasar", "sdm"]},
    )
    assert created and row.month == dt.date(2023, 3, 1)
    assert row.profit == -200_000  # a loss is allowed
    assert row.market_channels == ["langsung", "marketplace"]
    assert row.has_internal_problem and row.has_external_problem
    row2, created = services.progress_record(
        by=world.manager_a, tenant=tenant, month=dt.date(2023, 3, 1), data={**GOOD, "workers": 3}
    )
    assert not created and row2.pk == row.pk
    assert TenantProgress.objects.get().workers == 3


@pytest.mark.parametrize(
    ("month", "data", "field", "text"),
    [
        (dt.date(2022, 12, 1), GOOD, "month", "sebelum bulan masuk"),
        ("next month", GOOD, "month", "belum tiba"),
        (dt.date(2023, 2, 1), {**GOOD, "omzet": -1}, "omzet", "tidak boleh negatif"),
        (dt.date(2023, 2, 1), {**GOOD, "profit": 4_000_000}, "profit", "lebih besar dari omzet"),
        (dt.date(2023, 2, 1), {**GOOD, "workers": 0}, "workers", "minimal 1"),
        (dt.date(2023, 2, 1), {**GOOD, "market_channels": ["teleportasi"]}, "market_channels", "tidak dikenal"),
    ],
)
def test_progress_refuses_bad_input(world, make_tenant, month, data, field, text):
    if month == "next month":  # read from the test's clock, not at collection time
        month = add_months(first_of_month(dt.date.today()), 1)
    tenant = make_tenant()
    with pytest.raises(DomainError) as exc:
        services.progress_record(by=world.manager_a, tenant=tenant, month=month, data=data)
    assert exc.value.field == field
    assert text in exc.value.message
    assert not TenantProgress.objects.exists()


def test_no_progress_after_dropping_out(world, make_tenant):
    tenant = make_tenant()
    services.tenant_move_stage(
        by=world.manager_a, tenant=tenant, to_stage=G, on=dt.date(2023, 5, 20), reason="Modal habis"
    )
    tenant.refresh_from_db()
    services.progress_record(
        by=world.manager_a, tenant=tenant, month=dt.date(2023, 5, 1), data=GOOD
    )  # the month it dropped out
    with pytest.raises(DomainError, match="gugur sejak"):
        services.progress_record(by=world.manager_a, tenant=tenant, month=dt.date(2023, 6, 1), data=GOOD)


# --- Aid and sessions --------------------------------------------------------------------------------


def test_bantuan(world, make_tenant):
    tenant = make_tenant()
    aid, warnings = services.bantuan_add(
        by=world.manager_a,
        tenant=tenant,
        data={"kind": "tkm_lanjutan", "amount": 15_000_000, "received_on": dt.date(2023, 6, 1), "source": "Kemnaker"},
    )
    assert aid.amount == 15_000_000
    assert "tenaga kerja baru" in warnings[0]  # no new hire recorded yet
    with pytest.raises(DomainError, match="tidak boleh negatif"):
        services.bantuan_add(
            by=world.manager_a,
            tenant=tenant,
            data={"kind": "modal", "amount": -1, "received_on": dt.date(2023, 6, 1), "source": "CSR"},
        )
    with pytest.raises(DomainError, match="masa depan"):
        services.bantuan_add(
            by=world.manager_a,
            tenant=tenant,
            data={"kind": "modal", "amount": 1, "received_on": dt.date.today() + dt.timedelta(days=1), "source": "X"},
        )
    assert Bantuan.objects.count() == 1


def test_session_log(world, make_tenant):
    tenant = make_tenant()
    session = services.session_log(
        tenant=tenant,
        data={"held_on": dt.date(2023, 2, 1), "mentor": world.mentor_a, "topic": "Pembukuan", "duration_minutes": 90},
        by=world.mentor_a,
    )
    assert session.mentor_name == world.mentor_a.display_name
    with pytest.raises(DomainError, match="tidak ditugaskan"):
        services.session_log(
            by=world.manager_a,
            tenant=tenant,
            data={"held_on": dt.date(2023, 2, 1), "mentor": world.manager_b, "topic": "X", "duration_minutes": 30},
        )
    with pytest.raises(DomainError, match="sebelum tanggal masuk"):
        services.session_log(
            by=world.manager_a,
            tenant=tenant,
            data={"held_on": dt.date(2022, 2, 1), "mentor_name": "A", "topic": "X", "duration_minutes": 30},
        )
    with pytest.raises(DomainError, match="antara 1 dan 1440"):
        services.session_log(
            by=world.manager_a,
            tenant=tenant,
            data={"held_on": dt.date(2023, 2, 1), "mentor_name": "A", "topic": "X", "duration_minutes": 0},
        )
    assert MentoringSession.objects.count() == 1


def test_training_batch_must_be_of_the_same_centre(world):
    from reporting.models import TrainingBatch
    from tests.factories import kejuruan

    def batch(centre):
        return TrainingBatch.objects.create(
            centre=centre,
            kejuruan=kejuruan("teknik-las"),
            program_name="Las dasar",
            funding_source="apbn",
            start_date=dt.date(2022, 3, 1),
            end_date=dt.date(2022, 4, 15),
        )

    own, other = batch(world.centre_a), batch(world.centre_b)
    with pytest.raises(DomainError) as exc:
        services.tenant_register(
            by=world.manager_a, centre=world.centre_a, data=tenant_data(is_alumnus=True, training_batch=other)
        )
    assert exc.value.field == "training_batch"
    tenant, _ = services.tenant_register(
        by=world.manager_a, centre=world.centre_a, data=tenant_data(is_alumnus=True, training_batch=own)
    )
    assert tenant.training_batch == own
    assert tenant.kejuruan == own.kejuruan  # taken from the batch when not given


def test_every_service_signals_centre_and_month(world, make_tenant):
    tenant = make_tenant()
    seen = []

    def listener(sender, centre_id, month, **kwargs):
        seen.append((centre_id, month))

    tenant_changed.connect(listener)
    try:
        services.tenant_update(by=world.manager_a, tenant=tenant, data={"business_name": "Baru"})
        services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=INK, on=dt.date(2023, 4, 9))
        services.bantuan_add(
            by=world.manager_a,
            tenant=tenant,
            data={"kind": "modal", "amount": 1, "received_on": dt.date(2023, 5, 9), "source": "CSR"},
        )
        services.progress_record(by=world.manager_a, tenant=tenant, month=dt.date(2023, 6, 1), data=GOOD)
        services.session_log(
            by=world.manager_a,
            tenant=tenant,
            data={"held_on": dt.date(2023, 7, 9), "mentor_name": "A", "topic": "B", "duration_minutes": 30},
        )
    finally:
        tenant_changed.disconnect(listener)
    a = world.centre_a.pk
    assert seen == [
        (a, dt.date(2023, 1, 1)),
        (a, dt.date(2023, 4, 1)),
        (a, dt.date(2023, 5, 1)),
        (a, dt.date(2023, 6, 1)),
        (a, dt.date(2023, 7, 1)),
    ]


def test_the_future_is_judged_at_the_moment_given(world, make_tenant):
    import zoneinfo

    tenant = make_tenant(entry_date=dt.date(2023, 1, 10))

    def move_on_1_april(seen_on: dt.date):
        at = dt.datetime.combine(seen_on, dt.time(12), tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
        services.tenant_move_stage(
            tenant=tenant, by=world.manager_a, to_stage=Stage.INKUBASI, on=dt.date(2023, 4, 1), now=at
        )

    with pytest.raises(DomainError, match="masa depan"):
        move_on_1_april(dt.date(2023, 3, 31))
    move_on_1_april(dt.date(2023, 4, 1))
    tenant.refresh_from_db()
    assert tenant.stage == Stage.INKUBASI
