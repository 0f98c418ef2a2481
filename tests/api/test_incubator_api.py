"""Wirausaha binaan through the API: the pages' scope, TenantFilter and incubator services."""

import datetime as dt

import pytest
from django.urls import reverse

from incubator import services
from incubator.models import Tenant
from tests.incubator.conftest import tenant_data

pytestmark = pytest.mark.django_db

TENANTS = "/api/v1/tenants/"


@pytest.fixture
def tenant(world):
    tenant, _ = services.tenant_register(centre=world.centre_a, data=tenant_data(), nik="", by=world.manager_a)
    return tenant


def payload(world, **overrides):
    data = {
        "centre": world.centre_a.pk,
        "owner_name": "Pak Budi",
        "owner_sex": "L",
        "business_name": "Bengkel Las Budi",
        "legal_form": "perorangan",
        "sector": "jasa",
        "entry_date": "2024-02-01",
        "baseline_omzet": 3000000,
        "baseline_workers": 2,
        "nik": "3204 0101 0101 0001",
    }
    return {**data, **overrides}


def test_register_stores_only_the_nik_hash(api_for, world):
    response = api_for("manager_a").post(TENANTS, payload(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert "nik" not in body and "nik_hash" not in body
    tenant = Tenant.objects.get(pk=body["id"])
    assert tenant.nik_hash and "3204" not in tenant.nik_hash
    assert body["stage"] == "pra_inkubasi" and body["stage_changes"][0]["to_stage"] == "pra_inkubasi"


def test_register_refuses_centres_outside_scope_and_non_incubators(api_for, world):
    manager = api_for("manager_b")  # centre B is not an incubator; centre A is not theirs
    assert manager.post(TENANTS, payload(world)).json()["errors"].keys() == {"centre"}
    assert manager.post(TENANTS, payload(world, centre=world.centre_b.pk)).status_code == 400
    assert api_for("reviewer").post(TENANTS, payload(world)).status_code == 404  # no manage_tenants


def test_bad_input_is_400_per_field(api_for, world):
    response = api_for("manager_a").post(
        TENANTS, payload(world, owner_sex="X", baseline_workers=0, entry_date="kemarin", nik="123", hobi="x")
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"owner_sex", "baseline_workers", "entry_date", "nik", "hobi"}
    assert not Tenant.objects.exists()


def test_list_is_what_the_page_shows(api_for, client_for, tenant, world):
    for persona in ("manager_a", "mentor_a", "reviewer", "fkn", "directorate", "manager_b"):
        page = client_for(persona).get(reverse("incubator:tenant_list"))
        api = api_for(persona).get(TENANTS)
        if page.status_code == 404:
            assert api.status_code == 404, persona
            continue
        assert [t["id"] for t in api.json()["results"]] == [t.pk for t in page.context["page"].object_list], persona
    assert api_for("directorate").get(TENANTS, {"stage": "mandiri"}).json()["count"] == 0
    assert api_for("directorate").get(TENANTS, {"stage": "juara"}).status_code == 400


def test_update_stage_bantuan_progress_and_sessions(api_for, tenant, world):
    manager, mentor = api_for("manager_a"), api_for("mentor_a")
    url = f"{TENANTS}{tenant.pk}/"
    changed = manager.patch(url, {"business_name": "Keripik Barokah Jaya", "has_pirt": True})
    assert changed.status_code == 200 and changed.json()["business_name"] == "Keripik Barokah Jaya"
    assert manager.patch(url, {"stage": "mandiri"}).status_code == 400  # stages move through the action

    skip = manager.post(f"{url}stage/", {"to_stage": "mandiri", "changed_on": "2024-01-01"})
    assert skip.status_code == 400 and "to_stage" in skip.json()["errors"]
    moved = manager.post(f"{url}stage/", {"to_stage": "inkubasi", "changed_on": "2024-01-01"})
    assert moved.status_code == 201 and moved.json()["from_stage"] == "pra_inkubasi"

    aid = manager.post(
        f"{url}bantuan/", {"kind": "tkm_pemula", "amount": 10000000, "received_on": "2024-02-01", "source": "Kemnaker"}
    )
    assert aid.status_code == 201, aid.content
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    late = manager.post(f"{url}bantuan/", {"kind": "peralatan", "amount": 1, "received_on": future, "source": "x"})
    assert late.status_code == 400 and "received_on" in late.json()["errors"]

    month = {"month": "2024-03", "omzet": 5000000, "profit": -250000, "workers": 2, "market_channels": ["media_sosial"]}
    first = manager.post(f"{url}progress/", month)
    assert first.status_code == 201, first.content
    again = manager.post(f"{url}progress/", {**month, "omzet": 5500000})
    assert again.status_code == 200 and again.json()["omzet"] == 5500000
    assert manager.post(f"{url}progress/", {**month, "profit": 9000000}).json()["errors"].keys() == {"profit"}

    session = {"held_on": "2024-03-05", "topic": "Pembukuan sederhana", "duration_minutes": 90}
    assert mentor.post(f"{url}sessions/", {**session, "mentor": world.mentor_a.pk}).status_code == 201
    assert mentor.post(f"{url}sessions/", {**session, "mentor": world.manager_b.pk}).status_code == 400
    assert mentor.post(f"{url}bantuan/", {"kind": "alat"}).status_code == 404  # a mentor logs, does not manage
    detail = api_for("reviewer").get(url).json()
    assert (len(detail["bantuan"]), len(detail["progress"]), len(detail["sessions"])) == (1, 1, 1)
    assert [c["to_stage"] for c in detail["stage_changes"]] == ["pra_inkubasi", "inkubasi"]


def test_out_of_scope_is_404(api_for, tenant):
    for persona in ("manager_b", "norole"):
        assert api_for(persona).get(f"{TENANTS}{tenant.pk}/").status_code == 404
    assert api_for("manager_b").patch(f"{TENANTS}{tenant.pk}/", {"owner_name": "x"}).status_code == 404
