"""Bad input of every kind gets a form error (200) or a 404, never a 500, and saves nothing."""

import pytest
from django.urls import reverse

from incubator.models import Bantuan, MentoringSession, Tenant, TenantProgress, TenantStageChange

pytestmark = pytest.mark.django_db

WEIRD = ["", " ", "abc", "-1", "1e9", "NaN", "Infinity", "9" * 40, "2024-02-30", "0000-00", "2024-13-01", "<b>x</b>"]


def _counts():
    return (
        Tenant.objects.count(),
        TenantStageChange.objects.count(),
        TenantProgress.objects.count(),
        Bantuan.objects.count(),
        MentoringSession.objects.count(),
    )


@pytest.mark.parametrize("value", WEIRD)
def test_weird_values_never_500(world, make_tenant, client_for, value):
    tenant = make_tenant()
    before = _counts()
    c = client_for("admin")
    posts = {
        reverse("incubator:progress_record", args=[tenant.pk]): {
            "month": value,
            "omzet": value,
            "profit": value,
            "workers": value,
            "market_channels": value,
            "problem_tags": value,
        },
        reverse("incubator:bantuan_create", args=[tenant.pk]): {
            "kind": value,
            "amount": value,
            "received_on": value,
            "source": "x",
        },
        reverse("incubator:session_create", args=[tenant.pk]): {
            "held_on": value,
            "mentor": value,
            "mentor_name": "A",
            "topic": "B",
            "duration_minutes": value,
        },
        reverse("incubator:tenant_stage", args=[tenant.pk]): {"to_stage": value, "changed_on": value},
        reverse("incubator:tenant_edit", args=[tenant.pk]): {
            "business_name": "X",
            "owner_name": "Y",
            "owner_sex": value,
            "owner_birth_year": value,
            "legal_form": value,
            "sector": value,
            "entry_date": value,
            "baseline_omzet": value,
            "baseline_workers": value,
            "kejuruan": value,
            "training_batch": value,
            "nik": value,
        },
        reverse("incubator:tenant_create", args=[world.centre_a.pk]): {
            "business_name": "X",
            "owner_name": "Y",
            "owner_sex": "L",
            "legal_form": "perorangan",
            "sector": "jasa",
            "entry_date": "2024-01-01",
            "stage": value or "x",
            "baseline_omzet": value,
            "baseline_workers": "1",
            "nik": value,
        },
    }
    for path, data in posts.items():
        response = c.post(path, data)
        assert response.status_code == 200, (path, value, response.status_code)
    for query in (
        {"bulan": value},
        {"page": value},
        {"cohort": value, "centre": value, "province": value, "stage": value, "sector": value, "ordering": value},
    ):
        assert c.get(reverse("incubator:progress_record", args=[tenant.pk]), query).status_code == 200
        assert c.get(reverse("incubator:tenant_list"), query).status_code == 200
        assert c.get(reverse("incubator:overview"), query).status_code == 200
    assert _counts() == before


def test_forged_ids_are_404(world, client_for):
    c = client_for("admin")
    for pk in ("0", "999999", "99999999999999999999"):
        assert c.get(f"/inkubator/wirausaha/{pk}/").status_code == 404
        assert c.get(f"/inkubator/blk/{pk}/").status_code == 404
        assert c.post(f"/inkubator/wirausaha/{pk}/pendampingan/baru/", {}).status_code == 404


def test_mentor_of_another_centre_cannot_be_named(world, make_tenant, centre_b_incubator, client_for):
    from blkportal.registry.models import Role
    from tests.factories import UserFactory, give_role

    mentor_b = UserFactory(username="mentor_b")
    give_role(mentor_b, Role.MENTOR, centre=centre_b_incubator)
    tenant = make_tenant()
    response = client_for("manager_a").post(
        reverse("incubator:session_create", args=[tenant.pk]),
        {"held_on": "2023-03-01", "mentor": str(mentor_b.pk), "topic": "X", "duration_minutes": "60"},
    )
    assert response.status_code == 200 and response.context["form"].errors["mentor"]
    assert not MentoringSession.objects.exists()
