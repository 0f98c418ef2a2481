"""Regions, kejuruan and centres through the API: the same scope, filters and services as the pages."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from blkportal.registry.models import Centre
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

CENTRES = "/api/v1/centres/"
ROOT = Path(__file__).resolve().parents[2]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "persona",
    ["manager_a", "manager_b", "mentor_a", "reviewer", "fkn_jabar", "fkn", "directorate", "admin"],
)
@pytest.mark.parametrize("query", ["", "province=32", "q=nurul", "is_incubator=true", "ordering=-cohort_year"])
def test_centre_list_is_exactly_what_the_page_shows(api_for, client_for, persona, query):
    page = client_for(persona).get(f"{reverse('registry:centre_list')}?{query}")
    api = api_for(persona).get(f"{CENTRES}?{query}")
    if not page.context["filter"].is_valid():
        # The page shows the FilterSet's error beside the field (e.g. a province outside the user's
        # scope is not a choice); the API answers 400 with the same field.
        assert api.status_code == 400 and set(api.json()["errors"]) == set(page.context["filter"].errors)
        return
    assert ids(api) == [c.pk for c in page.context["page"].object_list]


def test_scope_hides_other_centres_as_404(api_for, world):
    client = api_for("manager_a")
    assert client.get(f"{CENTRES}{world.centre_a.pk}/").status_code == 200
    assert client.get(f"{CENTRES}{world.centre_b.pk}/").status_code == 404
    assert client.get(f"{CENTRES}999999/").status_code == 404
    reviewer = api_for("reviewer")
    assert ids(reviewer.get(CENTRES)) == [world.centre_a.pk]
    assert reviewer.get(f"{CENTRES}{world.centre_c.pk}/").status_code == 404


def test_ordering_is_stable_across_pages(api_for, world):
    for n in range(7):
        CentreFactory(name="BLK Sama Nama", cohort_year=2019, reg_code=f"BLKK-SAME-{n}")
    client = api_for("directorate")
    seen = []
    for page in (1, 2, 3, 4):
        seen += ids(client.get(CENTRES, {"ordering": "cohort_year", "page_size": 3, "page": page}))
    assert len(seen) == len(set(seen)) == Centre.objects.count()


def test_reference_data_for_every_signed_in_user(api_for):
    client = api_for("norole")
    provinces = client.get("/api/v1/provinces/").json()
    assert len(provinces) == 38 and provinces[0]["code"] == "11"
    regencies = client.get("/api/v1/regencies/", {"province": "32", "page_size": 200}).json()
    assert regencies["count"] == 27 and all(r["province"] == "32" for r in regencies["results"])
    assert client.get("/api/v1/regencies/32.04/").json()["name"] == "Kabupaten Bandung"
    assert client.get("/api/v1/kejuruan/teknik-las/").json()["name"] == "Teknik Las"
    assert client.get("/api/v1/centres/").status_code == 404  # but no centre data without a role


def test_create_goes_through_the_service_and_records_history(api_for, world):
    client = api_for("directorate")
    response = client.post(
        CENTRES,
        {
            "reg_code": "BLKK-API-9",
            "name": "BLK Komunitas Lewat API",
            "host_name": "Pesantren API",
            "host_type": "pesantren",
            "regency": "35.07",
            "cohort_year": 2022,
            "activated_on": "2022-02-01",
            "kejuruan": ["teknik-las", "menjahit"],
            "is_incubator": True,
            "incubator_year": 2023,
        },
    )
    assert response.status_code == 201, response.content
    centre = Centre.objects.get(reg_code="BLKK-API-9")
    assert centre.province_id == "35"
    assert sorted(centre.kejuruan.values_list("code", flat=True)) == ["menjahit", "teknik-las"]
    assert response.json()["province"] == "35"
    # The change history names the token's owner, as it would name the person on the page.
    assert centre.history.first().history_user == world.directorate


def test_form_rules_apply_through_the_api(api_for, world):
    client = api_for("directorate")
    body = client.patch(f"{CENTRES}{world.centre_b.pk}/", {"is_incubator": True}).json()
    assert "incubator_year" in body["errors"]
    body = client.patch(f"{CENTRES}{world.centre_b.pk}/", {"activated_on": "2015-01-01"}).json()
    assert body["errors"] == {"activated_on": ["Tanggal aktif tidak boleh sebelum tahun dibangun."]}
    world.centre_b.refresh_from_db()
    assert not world.centre_b.is_incubator and world.centre_b.activated_on.year == 2020


def test_patch_changes_only_what_was_sent(api_for, world):
    client = api_for("admin")
    response = client.patch(f"{CENTRES}{world.centre_a.pk}/", {"contact_name": "Ibu Sari", "kejuruan": ["menjahit"]})
    assert response.status_code == 200, response.content
    assert response.json()["kejuruan"] == ["menjahit"]
    world.centre_a.refresh_from_db()
    assert world.centre_a.contact_name == "Ibu Sari" and world.centre_a.name == "BLK Komunitas Al-Hikmah"


def test_duplicate_reg_code_is_400(api_for, world):
    response = api_for("directorate").patch(f"{CENTRES}{world.centre_b.pk}/", {"reg_code": "BLKK-A"})
    assert response.status_code == 400
    assert "reg_code" in response.json()["errors"]


def test_deactivate(api_for, world):
    client = api_for("directorate")
    response = client.post(f"{CENTRES}{world.centre_b.pk}/deactivate/", {"deactivated_on": "2024-06-30"})
    assert response.status_code == 200
    assert response.json()["deactivated_on"] == "2024-06-30" and response.json()["active"] is False
    again = client.post(f"{CENTRES}{world.centre_b.pk}/deactivate/", {"deactivated_on": "2024-07-30"})
    assert again.status_code == 400 and again.json()["errors"] == {"deactivated_on": ["BLK ini sudah nonaktif."]}


def test_me_tells_roles_and_permissions(api_for, world):
    body = api_for("reviewer").get("/api/v1/me/").json()
    assert body["roles"] == [
        {"role": "reviewer", "role_label": "Verifikator wilayah", "centre": None, "province": "32"}
    ]
    assert "verify_reports" in body["permissions"] and "approve_reports" not in body["permissions"]


def _api_modules():
    for path in [ROOT / "blkportal" / "registry" / "api.py", *ROOT.glob("*/api.py"), *ROOT.glob("*/api/*.py")]:
        if path.exists() and ".venv" not in path.parts:
            yield path


def test_no_viewset_starts_from_objects_all():
    """Design rule: every API query starts from access; `Model.objects.all()` appears only as the
    argument access narrows (access.filter_by_scope(Model.objects.all(), user, perm)). Reference data
    (regions, kejuruan) starts from an explicit order_by."""
    offenders = []
    for path in _api_modules():
        tree = ast.parse(path.read_text())
        scoped = {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("filter_by_scope", "get_object_or_404")
            for arg in node.args[:1]
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "all"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "objects"
                and id(node) not in scoped
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "queryset" for t in node.targets
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} (class-level queryset)")
    assert not offenders, offenders
