"""Incubator fixtures: tenants registered through the service (so their stage history exists)."""

import datetime as dt

import pytest

from incubator import services
from incubator.models import LegalForm, Sector, Sex


def tenant_data(**overrides):
    data = {
        "owner_name": "Ibu Sri Wahyuni",
        "owner_sex": Sex.P,
        "owner_birth_year": 1988,
        "owner_phone": "081234567890",
        "is_alumnus": False,
        "business_name": "Keripik Singkong Barokah",
        "legal_form": LegalForm.PERORANGAN,
        "sector": Sector.JASA_BOGA,
        "entry_date": dt.date(2023, 1, 10),
        "baseline_omzet": 2_000_000,
        "baseline_workers": 1,
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The national overview is cached; each test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_tenant(world):
    """make_tenant(centre=..., stage=..., nik=..., **fields) -> Tenant registered by manager_a (by the
    administrator in another centre, unless `by` says who)."""

    def make(centre=None, stage="pra_inkubasi", nik="", by=None, **fields):
        tenant, _warnings = services.tenant_register(
            centre=centre or world.centre_a,
            data=tenant_data(**fields),
            nik=nik,
            stage=stage,
            by=by or (world.admin if centre not in (None, world.centre_a) else world.manager_a),
        )
        return tenant

    return make


@pytest.fixture
def centre_b_incubator(world):
    """Centre B made an incubator too (with its own tenants, out of mentor_a's scope)."""
    world.centre_b.is_incubator = True
    world.centre_b.incubator_year = 2022
    world.centre_b.save()
    return world.centre_b
