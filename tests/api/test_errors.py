"""Bad input gets a 4xx with {code, message, errors}, in Indonesian or English; never a 500."""

import json

import pytest

from blkportal.registry.models import Centre

pytestmark = pytest.mark.django_db

CENTRES = "/api/v1/centres/"


def valid_centre(**overrides):
    data = {
        "reg_code": "BLKK-ERR-1",
        "name": "BLK Komunitas Uji Galat",
        "host_name": "Pesantren Uji",
        "host_type": "pesantren",
        "regency": "32.04",
        "cohort_year": 2021,
        "activated_on": "2021-05-01",
    }
    return {**data, **overrides}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{bad json", "parse_error"),
        ('{"name": NaN}', "parse_error"),
        ("[" * 100_000 + "]" * 100_000, "parse_error"),
        (b"\xff\xfe\x00garbage", "parse_error"),
        ("[1, 2, 3]", "invalid"),
        ('"a string"', "invalid"),
        ("null", "invalid"),
    ],
)
def test_malformed_bodies_are_400(api_for, raw, code):
    response = api_for("directorate").post(CENTRES, raw=raw)
    assert_error(response, 400, code)
    assert not Centre.objects.filter(reg_code="BLKK-ERR-1").exists()


def test_wrong_types_and_unknown_fields_are_reported_per_field(api_for):
    body = assert_error(
        api_for("directorate").post(
            CENTRES, valid_centre(cohort_year="tahun depan", regency=32, kejuruan="las", nmae="salah ketik")
        ),
        400,
        "invalid",
    )
    assert set(body["errors"]) == {"cohort_year", "regency", "kejuruan", "nmae"}
    assert body["errors"]["nmae"] == ["Bidang tidak dikenal atau hanya-baca."]
    assert body["message"].startswith("Data yang dikirim tidak valid")


def test_read_only_fields_are_refused_not_silently_dropped(api_for, world):
    response = api_for("directorate").patch(f"{CENTRES}{world.centre_a.pk}/", {"province": "35", "id": 9})
    body = assert_error(response, 400, "invalid")
    assert set(body["errors"]) == {"province", "id"}
    world.centre_a.refresh_from_db()
    assert world.centre_a.province_id == "32"


def test_english_with_accept_language(api_for):
    body = assert_error(api_for("directorate", language="en").post(CENTRES, {"nmae": 1}), 400, "invalid")
    assert body["message"] == "Invalid data. Check the fields listed."
    assert body["errors"]["nmae"] == ["Unknown or read-only field."]
    assert body["errors"]["reg_code"] == ["This field is required."]
    body = assert_error(api_for("manager_a", language="en").get(f"{CENTRES}999999/"), 404, "not_found")
    assert body["message"] == "Not found."


def test_indonesian_by_default_for_framework_messages(api_for, world):
    client = api_for("manager_a")
    assert assert_error(client.get(CENTRES, {"page": "99"}), 404, "not_found")["message"] == "Halaman tidak ada."
    body = assert_error(client.delete(f"{CENTRES}{world.centre_a.pk}/"), 405, "method_not_allowed")
    assert body["message"] == 'Metode "DELETE" tidak diizinkan.'


def test_oversized_body_is_413(api_for):
    big = json.dumps(valid_centre(address="x" * (3 * 1024 * 1024)))
    assert_error(api_for("directorate").post(CENTRES, raw=big), 413, "payload_too_large")
    medium = json.dumps(valid_centre(address="x" * (1024 * 1024 + 10)))
    assert_error(api_for("directorate").post(CENTRES, raw=medium), 413, "payload_too_large")


def test_non_json_body_is_415(api_for):
    response = api_for("directorate").post(CENTRES, raw="name=x", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_domain_error_from_the_service_keeps_its_field_and_message(api_for, world):
    # The service refuses deactivating before activation, with the same message the page shows.
    response = api_for("directorate").post(
        f"{CENTRES}{world.centre_b.pk}/deactivate/", {"deactivated_on": "2019-01-01"}
    )
    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"deactivated_on": ["Tanggal nonaktif tidak boleh sebelum tanggal aktif."]}
    world.centre_b.refresh_from_db()
    assert world.centre_b.deactivated_on is None


def test_unknown_api_paths_answer_json(api_for):
    assert_error(api_for("manager_a").get("/api/v1/tidak/ada/"), 404, "not_found")
    assert_error(api_for("anon").get("/api/v1/tidak/ada/"), 404, "not_found")


@pytest.mark.parametrize(
    "query", ["cohort_year=abc", "is_incubator=mungkin", "ordering=password", "active=", "kejuruan=x"]
)
def test_bad_filters_are_400_not_ignored(api_for, query):
    response = api_for("manager_a").get(f"{CENTRES}?{query}")
    body = assert_error(response, 400, "invalid")
    assert query.split("=")[0] in body["errors"]


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "page_size=0", "page_size=201", "page_size=x"])
def test_bad_pagination_is_400(api_for, query):
    assert_error(api_for("manager_a").get(f"{CENTRES}?{query}"), 400, "invalid")


def test_session_writes_need_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.directorate)
    response = client.post(CENTRES, json.dumps(valid_centre()), content_type="application/json")
    assert_error(response, 403, "permission_denied")
    assert not Centre.objects.filter(reg_code="BLKK-ERR-1").exists()
