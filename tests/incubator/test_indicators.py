"""The incubator indicators on a small example worked out by hand (see the comments)."""

import datetime as dt

import pytest

from blkportal.core.months import today
from blkportal.registry.models import Centre
from incubator import indicators, services
from incubator.models import Stage, Tenant

pytestmark = pytest.mark.django_db

P, INK, PI, M, G = Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI, Stage.MANDIRI, Stage.GUGUR
AS_OF = dt.date(2024, 6, 30)


def d(y, m, day=1):
    return dt.date(y, m, day)


@pytest.fixture
def example(world, make_tenant, centre_b_incubator):
    """Centre A:
    T1 entry 2023-01-10 pra → inkubasi 04-01 → pasca 10-01 → mandiri 2024-03-01; 1 worker, Rp 2 jt at entry;
       2024-05: 3 workers, 5 jt; 2024-06: 4 workers, 6 jt; 2024-07: 9 workers (after AS_OF, ignored).
    T2 entry 2023-03-01 pra → gugur 2023-08-15 (within 12 months); 2 workers, 1 jt; 2023-04: 2 workers, 1.5 jt.
    T3 entry 2023-02-01 inkubasi → gugur 2024-05-01 (after 12 months); 2024-04: 2 workers, 0.8 jt.
    T4 entry 2024-01-15 pra, stays; 1 worker, 1 jt; 2024-06: 1 worker, 1 jt.
    T6 entry 2023-06-01 inkubasi → pasca 2024-02-01; 2 workers, 3 jt; no progress.
    Centre B: T7 entry 2023-05-01 inkubasi; 2 workers, 2 jt; 2024-06: 5 workers, 4 jt.
    """
    a = world.centre_a
    t1 = make_tenant(business_name="T1", entry_date=d(2023, 1, 10), baseline_workers=1, baseline_omzet=2_000_000)
    services.tenant_move_stage(by=world.admin, tenant=t1, to_stage=INK, on=d(2023, 4, 1))
    services.tenant_move_stage(by=world.admin, tenant=t1, to_stage=PI, on=d(2023, 10, 1))
    services.tenant_move_stage(by=world.admin, tenant=t1, to_stage=M, on=d(2024, 3, 1))
    for month, workers, omzet in [((2024, 5), 3, 5_000_000), ((2024, 6), 4, 6_000_000), ((2024, 7), 9, 9_000_000)]:
        services.progress_record(
            by=world.admin, tenant=t1, month=d(*month), data={"omzet": omzet, "profit": 0, "workers": workers}
        )

    t2 = make_tenant(business_name="T2", entry_date=d(2023, 3, 1), baseline_workers=2, baseline_omzet=1_000_000)
    services.progress_record(
        by=world.admin, tenant=t2, month=d(2023, 4), data={"omzet": 1_500_000, "profit": 0, "workers": 2}
    )
    services.tenant_move_stage(by=world.admin, tenant=t2, to_stage=G, on=d(2023, 8, 15), reason="Modal habis")

    t3 = make_tenant(
        business_name="T3", stage=INK, entry_date=d(2023, 2, 1), baseline_workers=1, baseline_omzet=500_000
    )
    services.progress_record(
        by=world.admin, tenant=t3, month=d(2024, 4), data={"omzet": 800_000, "profit": 0, "workers": 2}
    )
    services.tenant_move_stage(by=world.admin, tenant=t3, to_stage=G, on=d(2024, 5, 1), reason="Pindah kota")

    t4 = make_tenant(business_name="T4", entry_date=d(2024, 1, 15), baseline_workers=1, baseline_omzet=1_000_000)
    services.progress_record(
        by=world.admin, tenant=t4, month=d(2024, 6), data={"omzet": 1_000_000, "profit": 0, "workers": 1}
    )

    t6 = make_tenant(
        business_name="T6", stage=INK, entry_date=d(2023, 6, 1), baseline_workers=2, baseline_omzet=3_000_000
    )
    services.tenant_move_stage(by=world.admin, tenant=t6, to_stage=PI, on=d(2024, 2, 1))

    t7 = make_tenant(
        centre=centre_b_incubator,
        business_name="T7",
        stage=INK,
        entry_date=d(2023, 5, 1),
        baseline_workers=2,
        baseline_omzet=2_000_000,
    )
    services.progress_record(
        by=world.admin, tenant=t7, month=d(2024, 6), data={"omzet": 4_000_000, "profit": 0, "workers": 5}
    )

    def log(tenant, day):
        services.session_log(
            by=world.admin,
            tenant=tenant,
            data={"held_on": day, "mentor_name": "Dr. Rina", "topic": "Pemasaran", "duration_minutes": 60},
        )

    # Q2 2024 (April-June): in incubation at 30 June are T4 (pra) and T6 (pasca) -> their 3 sessions count.
    log(t4, d(2024, 4, 10))
    log(t4, d(2024, 5, 10))
    log(t6, d(2024, 6, 1))
    log(t6, d(2024, 3, 31))  # previous quarter
    log(t1, d(2024, 5, 5))  # T1 is mandiri: not in incubation
    log(t3, d(2024, 4, 15))  # T3 dropped out before the quarter ended
    return {"a": Tenant.objects.filter(centre=a), "centres_a": Centre.objects.filter(pk=a.pk)}


def test_active_against_target(example):
    # On 30 June 2024: T1 mandiri, T4 pra, T6 pasca are active; T2 and T3 gugur. 3 of 10.
    r = indicators.active_vs_target(tenants=example["a"], centre_count=1, as_of=AS_OF)
    assert (r.numerator, r.denominator, r.percent) == (3, 10, 30.0)


def test_active_uses_the_stage_on_the_date(example):
    # On 30 June 2023: T1 inkubasi, T2 pra (drops out in August), T3 inkubasi, T6 inkubasi; T4 not yet entered.
    r = indicators.active_vs_target(tenants=example["a"], centre_count=1, as_of=d(2023, 6, 30))
    assert (r.numerator, r.denominator) == (4, 10)
    counts = indicators.stage_counts(tenants=example["a"], as_of=d(2023, 6, 30))
    assert counts == {P: 1, INK: 3, PI: 0, M: 0, G: 0}


def test_today_uses_current_stage(example):
    r = indicators.active_vs_target(tenants=example["a"], centre_count=1, as_of=today())
    assert r.numerator == 3


def test_jobs_created(example):
    # Active with progress by June 2024: T1 (4 now − 1 at entry = 3), T4 (1 − 1 = 0). T6 has no progress.
    r = indicators.jobs_created(tenants=example["a"], as_of=AS_OF)
    assert (r.numerator, r.denominator) == (3, 2)
    assert r.detail == {"workers_now": 5, "baseline": 2}


def test_omzet_growth(example):
    # (6 jt + 1 jt) now vs (2 jt + 1 jt) at entry: growth 4 jt / 3 jt = 133.3 %.
    r = indicators.omzet_growth(tenants=example["a"], as_of=AS_OF)
    assert (r.numerator, r.denominator) == (4_000_000, 3_000_000)
    assert r.percent == pytest.approx(400 / 3)  # unrounded: the page shows "133,3 %"


def test_survival_12_months(example):
    # Entered by 30 June 2023: T1, T2, T3, T6. T2 dropped out within 12 months of entry; T3 after 15 months.
    r = indicators.survival_12m(tenants=example["a"], as_of=AS_OF)
    assert (r.numerator, r.denominator) == (3, 4)


def test_sessions_per_tenant_per_quarter(example):
    r = indicators.sessions_per_tenant_quarter(tenants=example["a"], quarter=d(2024, 5, 15))
    assert (r.numerator, r.denominator, r.value) == (3, 2, 1.5)
    assert r.detail["start"] == d(2024, 4, 1) and r.detail["end"] == d(2024, 6, 30)


def test_stage_progression(example):
    # Entered by AS_OF: 5. Not dropped out and moved forward at least once: T1 and T6 (T4 has not moved).
    r = indicators.stage_progression(tenants=example["a"], as_of=AS_OF)
    assert (r.numerator, r.denominator) == (2, 5)


def test_national_scope_adds_centre_b(example, world):
    all_tenants = Tenant.objects.all()
    centres = Centre.objects.filter(is_incubator=True)
    s = indicators.summary(tenants=all_tenants, centres=centres, as_of=AS_OF)
    assert (s["active"].numerator, s["active"].denominator) == (4, 20)
    assert (s["centres_meeting_target"].numerator, s["centres_meeting_target"].denominator) == (0, 2)
    # T7 adds 5 − 2 = 3 jobs.
    assert (s["jobs_created"].numerator, s["jobs_created"].denominator) == (6, 3)
    assert s["stages"] == {P: 1, INK: 1, PI: 1, M: 1, G: 2}


def test_centre_meets_target_at_ten(world, make_tenant):
    for n in range(10):
        make_tenant(business_name=f"U{n}")
    r = indicators.centres_meeting_target(
        centres=Centre.objects.filter(pk=world.centre_a.pk), tenants=Tenant.objects.all(), as_of=today()
    )
    assert (r.numerator, r.denominator) == (1, 1)


def test_empty_scope_has_no_value_rather_than_zero(db):
    r = indicators.omzet_growth(tenants=Tenant.objects.none(), as_of=AS_OF)
    assert r.value is None and r.percent is None
