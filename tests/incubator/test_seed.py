from types import SimpleNamespace

import pytest
from django.db.models import Max, Min

from blkportal.core.months import add_months, first_of_month, today
from blkportal.registry.models import Centre
from incubator import seed
from incubator.models import Bantuan, MentoringSession, Stage, Tenant, TenantProgress, TenantStageChange

pytestmark = pytest.mark.django_db


def _ctx(world, seed_value=1):
    ids = list(Centre.objects.order_by("pk").values_list("pk", flat=True))
    return SimpleNamespace(centres=3, months=18, seed=seed_value, log=lambda m: None, centre_ids=ids)


def test_seed_ten_tenants_per_incubator_with_consistent_history(world):
    seed.seed(_ctx(world))
    assert Tenant.objects.filter(centre=world.centre_a).count() == 10
    assert not Tenant.objects.exclude(centre=world.centre_a).exists()  # B and C are not incubators
    last_month = add_months(first_of_month(today()), -1)
    for tenant in Tenant.objects.all():
        changes = list(tenant.stage_changes.order_by("changed_on", "pk"))
        assert changes[0].from_stage == "" and changes[0].changed_on == tenant.entry_date
        assert (changes[-1].to_stage, changes[-1].changed_on) == (tenant.stage, tenant.stage_since)
        for prev, nxt in zip(changes, changes[1:], strict=False):
            assert nxt.from_stage == prev.to_stage
        span = tenant.progress.aggregate(first=Min("month"), last=Max("month"))
        if span["first"]:
            assert span["first"] >= first_of_month(tenant.entry_date)
            assert span["last"] <= last_month
        if tenant.stage == Stage.GUGUR:
            assert span["last"] is None or span["last"] <= first_of_month(tenant.stage_since)
    # Up to three years of monthly progress, and aid and sessions for everyone.
    months = TenantProgress.objects.values("month").distinct().count()
    assert 24 <= months <= 36
    assert Bantuan.objects.values("tenant").distinct().count() == 10
    assert MentoringSession.objects.exists()
    assert TenantProgress.objects.filter(omzet__lt=0).count() == 0


def test_seed_is_idempotent_and_deterministic(world):
    seed.seed(_ctx(world))
    first = list(Tenant.objects.order_by("pk").values_list("business_name", "stage", "entry_date"))
    counts = (TenantProgress.objects.count(), TenantStageChange.objects.count())
    seed.seed(_ctx(world))
    assert (TenantProgress.objects.count(), TenantStageChange.objects.count()) == counts
    Tenant.objects.all().delete()
    seed.seed(_ctx(world))
    again = list(Tenant.objects.order_by("pk").values_list("business_name", "stage", "entry_date"))
    assert again == first
