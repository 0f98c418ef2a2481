"""Facts: hand-computed fixtures, the deadline and activation edges, refresh on change, rebuild."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from blkportal.core.months import add_months, deadline_date, first_of_month
from blkportal.registry.models import Regency
from incubator import indicators as incubator_indicators
from incubator.models import MentoringSession, Tenant
from monitoring import facts, services
from monitoring.facts import VALUE_FIELDS
from monitoring.indicators import aggregate, evaluate
from monitoring.models import CentreMonth
from reporting import services as reporting
from tests.factories import CentreFactory
from tests.monitoring.conftest import batch, report, tenant

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
MARCH = dt.date(2024, 3, 1)


def at(day, hour, minute, tz):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def fact(centre, month):
    return CentreMonth.objects.get(centre=centre, month=month)


def snapshot():
    return list(CentreMonth.objects.order_by("centre_id", "month").values("centre_id", "month", *VALUE_FIELDS))


@pytest.fixture
def march(world):
    """March 2024, computed by hand:

    expected: A, B, C, F (D activated 15 June, E deactivated 10 February) -> 4
    reported: A (approved), B (submitted), C (verified)                     -> 3
    on time:  A (5 April), C (10 April 23:30 WIT); B late (11 April 00:30 WIB) -> 2
    """
    w = world
    extra = {"regency": Regency.objects.get(code="32.04"), "cohort_year": 2024}
    w.centre_d = CentreFactory(reg_code="BLKK-D", activated_on=dt.date(2024, 6, 15), **extra)
    w.centre_e = CentreFactory(
        reg_code="BLKK-E", activated_on=dt.date(2019, 7, 1), deactivated_on=dt.date(2024, 2, 10), cohort_year=2019
    )
    w.centre_f = CentreFactory(reg_code="BLKK-F", activated_on=dt.date(2019, 7, 1), cohort_year=2019)
    report(
        w.centre_a,
        MARCH,
        "approved",
        at(dt.date(2024, 4, 5), 9, 0, WIB),
        partner="dudi",
        alumni_bekerja=6,
        alumni_wirausaha=2,
        alumni_studi=1,
        alumni_belum_bekerja=1,
        alumni_tidak_terlacak=2,
        own_income=Decimal(500_000),
        operating_cost=Decimal(2_000_000),
        permit_status="permit",
        instructors_count=3,
        instructors_certified=2,
    )
    report(w.centre_b, MARCH, "submitted", at(dt.date(2024, 4, 11), 0, 30, WIB))
    report(w.centre_c, MARCH, "verified", at(dt.date(2024, 4, 10), 23, 30, WIT))
    report(w.centre_f, dt.date(2024, 2, 1), "draft")
    batch(w.centre_a, dt.date(2024, 2, 20), dt.date(2024, 3, 25))  # 10+6; 14/1/1, 10 certified
    batch(w.centre_a, dt.date(2024, 3, 1), dt.date(2024, 4, 15), male=8, female=8, graduated=12, failed=2, withdrawn=2)
    t1 = tenant(
        w.centre_a,
        dt.date(2024, 1, 10),
        stages=[(dt.date(2024, 2, 1), "inkubasi")],
        baseline_workers=1,
        baseline_omzet=1_000_000,
        progress=[(dt.date(2024, 2, 1), 3, 2_000_000)],
    )
    tenant(
        w.centre_a,
        dt.date(2024, 2, 15),
        stages=[(dt.date(2024, 3, 20), "gugur")],
        baseline_workers=2,
        baseline_omzet=1_000_000,
        progress=[(dt.date(2024, 2, 1), 2, 1_500_000)],
    )
    tenant(w.centre_a, dt.date(2024, 3, 31))
    MentoringSession.objects.create(
        tenant=t1, held_on=dt.date(2024, 3, 12), mentor_name="Dr. Rina", topic="Pembukuan", duration_minutes=60
    )
    services.facts_rebuild()
    return w


def test_deadline_edges_in_the_centres_own_time_zone(march):
    # WIT centre at 23:30 local on deadline day: on time. WIB centre at 00:30 the next day: late.
    c = fact(march.centre_c, MARCH)
    assert c.reported and c.on_time and c.verified and c.state == "verified"
    b = fact(march.centre_b, MARCH)
    assert b.reported and not b.on_time and not b.verified
    assert fact(march.centre_a, MARCH).on_time


def test_centre_activated_mid_year_is_not_expected_before(march):
    d = march.centre_d
    assert not CentreMonth.objects.filter(centre=d, month__lt=dt.date(2024, 6, 1)).exists()
    assert fact(d, dt.date(2024, 6, 1)).expected  # activated 15 June: expected for June
    e = march.centre_e
    assert fact(e, dt.date(2024, 2, 1)).expected  # deactivated 10 February: still expected for February
    assert not CentreMonth.objects.filter(centre=e, month=MARCH).exists()


def test_reporting_and_on_time_rate_by_hand(march):
    figures = evaluate(aggregate(CentreMonth.objects.filter(month=MARCH))[0])
    rate, on_time = figures["reporting_rate"], figures["on_time_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (3, 4, Decimal("75.00"))
    assert (on_time.numerator, on_time.denominator, on_time.value) == (2, 4, Decimal("50.00"))
    # A draft is not reported: February has A..C, E, F expected and only drafts or nothing.
    feb = evaluate(aggregate(CentreMonth.objects.filter(month=dt.date(2024, 2, 1)))[0])["reporting_rate"]
    assert (feb.numerator, feb.denominator) == (0, 5)
    assert fact(march.centre_f, dt.date(2024, 2, 1)).state == "draft"


def test_training_outcome_and_kemandirian_by_hand(march):
    a = fact(march.centre_a, MARCH)
    assert (a.batches_active, a.trainees_active, a.batches_started, a.trainees_new, a.trainees_new_female) == (
        2,
        32,
        1,
        16,
        8,
    )
    assert (a.batches_ended, a.graduated, a.failed, a.withdrawn, a.certified) == (1, 14, 1, 1, 10)
    figures = evaluate(aggregate(CentreMonth.objects.filter(month=MARCH))[0])
    assert (figures["completion_rate"].numerator, figures["completion_rate"].denominator) == (14, 16)
    assert figures["completion_rate"].value == Decimal("87.50")
    assert (figures["placement_rate"].numerator, figures["placement_rate"].denominator) == (8, 10)
    assert (figures["known_status_share"].numerator, figures["known_status_share"].denominator) == (10, 12)
    assert figures["known_status_share"].value == Decimal(1000) / Decimal(12)  # unrounded: display rounds
    # A meets all five roadmap criteria; B and C reported nothing of section C.
    assert a.kemandirian_points == 5
    assert fact(march.centre_b, MARCH).kemandirian_points == 0
    assert (figures["kemandirian_score"].numerator, figures["kemandirian_score"].denominator) == (5, 15)
    april = fact(march.centre_a, dt.date(2024, 4, 1))
    assert (april.batches_active, april.batches_ended, april.graduated) == (1, 1, 12)
    assert april.expected


def test_incubator_counts_match_the_incubator_definitions(march):
    a = fact(march.centre_a, MARCH)
    # T1 active with February's progress carried forward; T2 dropped out on 20 March; T3 entered 31 March.
    assert (a.tenants_active, a.tenants_in_incubation, a.tenants_reporting) == (2, 2, 1)
    assert (a.tenant_workers, a.tenant_baseline_workers) == (3, 1)
    assert (a.tenant_omzet, a.tenant_baseline_omzet) == (Decimal(2_000_000), Decimal(1_000_000))
    assert a.mentoring_sessions == 1
    end = dt.date(2024, 3, 31)
    tenants = Tenant.objects.all()
    figures = evaluate(aggregate(CentreMonth.objects.filter(month=MARCH))[0])
    jobs = incubator_indicators.jobs_created(tenants=tenants, as_of=end)
    assert (figures["jobs_created"].numerator, figures["jobs_created"].denominator) == (jobs.numerator, 1)
    growth = incubator_indicators.omzet_growth(tenants=tenants, as_of=end)
    assert figures["omzet_growth"].numerator == growth.numerator == Decimal(1_000_000)
    assert figures["omzet_growth"].value == Decimal("100.00")
    target = incubator_indicators.active_vs_target(tenants=tenants, centre_count=1, as_of=end)
    assert (figures["tenant_target"].numerator, figures["tenant_target"].denominator) == (2, 10)
    assert target.numerator == 2 and target.denominator == 10
    feb = fact(march.centre_a, dt.date(2024, 2, 1))
    assert (feb.tenants_active, feb.tenants_reporting, feb.tenant_workers, feb.tenant_baseline_workers) == (2, 2, 5, 3)


def test_rebuild_is_idempotent_and_equals_refreshing_every_centre_month(march):
    first = snapshot()
    services.facts_rebuild()
    assert snapshot() == first
    first_month, last_month = facts.full_range()
    CentreMonth.objects.all().delete()
    month = first_month
    while month <= last_month:
        for centre_id in [march.centre_a.pk, march.centre_b.pk, march.centre_c.pk] + [
            march.centre_d.pk,
            march.centre_e.pk,
            march.centre_f.pk,
        ]:
            services.facts_refresh(centre_id=centre_id, month=month)
        month = add_months(month, 1)
    assert snapshot() == first
    assert len(first) > 0


def test_rebuild_by_spans_of_months_equals_one_piece(march, monkeypatch):
    """The full rebuild writes a span of months at a time to bound its memory; a batch or a tenant
    that runs across a span's edge must count the same as when every month is built at once."""
    from monitoring.models import CentreMonthKejuruan

    def kejuruan_snapshot():
        return list(CentreMonthKejuruan.objects.order_by("centre_id", "month", "kejuruan_id").values())

    monkeypatch.setattr(facts, "REBUILD_SPAN_MONTHS", 1000)
    services.facts_rebuild()
    one_piece, one_piece_kejuruan = snapshot(), kejuruan_snapshot()
    monkeypatch.setattr(facts, "REBUILD_SPAN_MONTHS", 1)
    services.facts_rebuild()
    first_month, last_month = facts.full_range()
    assert len(facts.rebuild_spans(first_month, last_month)) > 12  # one span per month, edges everywhere
    assert snapshot() == one_piece
    assert [{k: v for k, v in r.items() if k not in ("id", "refreshed_at")} for r in kejuruan_snapshot()] == [
        {k: v for k, v in r.items() if k not in ("id", "refreshed_at")} for r in one_piece_kejuruan
    ]
    assert any(r["batches_active"] for r in one_piece)


def _fill(report_obj, user):
    from tests.reporting.conftest import fill

    return fill(report_obj, user)


def test_changes_refresh_their_centre_month_on_commit(world, django_capture_on_commit_callbacks):
    """Submitting a report through the reporting services refreshes the fact on commit, and the
    refreshed table is what a full rebuild gives."""
    period = add_months(first_of_month(timezone.localdate()), -1)
    services.facts_rebuild()
    before = fact(world.centre_c, period)
    assert before.expected and not before.reported
    with django_capture_on_commit_callbacks(execute=True):
        draft = reporting.report_get_or_create_draft(centre=world.centre_c, period=period, by=world.manager_c)
        draft = _fill(draft, world.manager_c)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        when = at(deadline_date(period), 23, 30, WIT)
        reporting.report_submit(report=draft, by=world.manager_c, now=when)
    assert callbacks, "the submit enqueued a refresh on commit"
    after = fact(world.centre_c, period)
    assert after.reported and after.on_time and after.state == "submitted"
    assert after.batches_active == 1 and after.graduated == 14
    with django_capture_on_commit_callbacks(execute=True):
        draft_b = reporting.report_get_or_create_draft(centre=world.centre_b, period=period, by=world.manager_b)
        draft_b = _fill(draft_b, world.manager_b)
        late = at(deadline_date(period) + dt.timedelta(days=1), 0, 30, WIB)
        reporting.report_submit(report=draft_b, by=world.manager_b, now=late)
    assert fact(world.centre_b, period).reported and not fact(world.centre_b, period).on_time
    refreshed = snapshot()
    services.facts_rebuild()
    assert snapshot() == refreshed


def test_tenant_change_refreshes_from_its_month_on(world, django_capture_on_commit_callbacks):
    from incubator.signals import tenant_changed

    period = add_months(first_of_month(timezone.localdate()), -3)
    report(world.centre_a, period, "approved")
    services.facts_rebuild()
    t = tenant(world.centre_a, period, name="Keripik")
    with django_capture_on_commit_callbacks(execute=True):
        tenant_changed.send(sender=Tenant, centre_id=t.centre_id, month=period)
    for month in [period, add_months(period, 1), add_months(period, 2)]:
        assert fact(world.centre_a, month).tenants_active == 1


def test_centre_edit_refreshes_its_denormalised_columns(world, django_capture_on_commit_callbacks):
    report(world.centre_b, dt.date(2024, 5, 1), "approved")
    services.facts_rebuild()
    assert fact(world.centre_b, dt.date(2024, 5, 1)).kemandirian_class == ""
    with django_capture_on_commit_callbacks(execute=True):
        world.centre_b.kemandirian_class = "berkembang"
        world.centre_b.save()
    assert set(CentreMonth.objects.filter(centre=world.centre_b).values_list("kemandirian_class", flat=True)) == {
        "berkembang"
    }


def test_returned_report_stays_reported_and_on_time_as_first_judged(world):
    # Finding 2: a returned report was first submitted on time; it stays reported and on time.
    report(world.centre_a, MARCH, "returned", at(dt.date(2024, 4, 2), 8, 0, WIB))
    services.facts_rebuild()
    row = fact(world.centre_a, MARCH)
    assert row.state == "returned" and row.reported and row.on_time and not row.verified
    figures = evaluate(aggregate(CentreMonth.objects.filter(month=MARCH, centre=world.centre_a))[0])
    assert figures["reporting_rate"].numerator == 1 and figures["on_time_rate"].numerator == 1
    assert figures["verified_rate"].numerator == 0


def test_no_facts_after_the_current_month(world):
    future_end = add_months(first_of_month(timezone.localdate()), 2)
    batch(world.centre_a, timezone.localdate(), future_end)
    services.facts_rebuild()
    assert not CentreMonth.objects.filter(month__gt=first_of_month(timezone.localdate())).exists()
    services.facts_refresh(centre_id=world.centre_a.pk, month=future_end)
    assert not CentreMonth.objects.filter(month__gt=first_of_month(timezone.localdate())).exists()


def test_batch_and_progress_services_refresh_every_month_they_touch(world, django_capture_on_commit_callbacks):
    from blkportal.registry.models import Kejuruan
    from incubator import services as incubator_services

    this_month = first_of_month(timezone.localdate())
    start = add_months(this_month, -2)  # the batch ends last month: never past the lock date
    report(world.centre_a, start, "approved")
    services.facts_rebuild()
    t = tenant(world.centre_a, start, name="Kopi")
    data = {
        "kejuruan": Kejuruan.objects.get(code="teknik-las"),
        "program_name": "Las dasar",
        "funding_source": "apbn",
        "start_date": start + dt.timedelta(days=20),
        "end_date": add_months(start, 1) + dt.timedelta(days=15),
        "hours_jp": 200,
        "enrolled_male": 10,
        "enrolled_female": 6,
        "graduated": 15,
        "failed": 1,
        "withdrawn": 0,
        "certified": 9,
    }
    with django_capture_on_commit_callbacks(execute=True):
        reporting.batch_create(centre=world.centre_a, by=world.admin, data=data)
    assert fact(world.centre_a, start).batches_active == 1 and fact(world.centre_a, start).trainees_new == 16
    assert fact(world.centre_a, add_months(start, 1)).graduated == 15
    with django_capture_on_commit_callbacks(execute=True):
        incubator_services.progress_record(
            by=world.admin,
            tenant=t,
            month=add_months(start, 1),
            data={"omzet": 3_000_000, "profit": 500_000, "workers": 3},
        )
    # The progress carries forward: every month from the one recorded counts the tenant as reporting.
    assert fact(world.centre_a, start).tenants_reporting == 0
    for month in [add_months(start, 1), this_month]:
        row = fact(world.centre_a, month)
        assert (row.tenants_reporting, row.tenant_workers, row.tenant_omzet) == (1, 3, Decimal(3_000_000))
    refreshed = snapshot()
    services.facts_rebuild()
    assert snapshot() == refreshed
