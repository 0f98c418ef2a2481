"""Communication API: announcements (read, mark read) and the anonymous, throttled public catalogue."""

import pytest
from django.test import Client

from communication import selectors, services

pytestmark = pytest.mark.django_db


def _announce(world, provinces=("32",)):
    return services.announcement_create(
        by=world.directorate, title="Pengumuman API", body="Isi", all_provinces=False, province_codes=list(provinces)
    )


def test_announcements_list_and_mark_read(world, api_for):
    a = _announce(world)
    manager_a = api_for("manager_a")
    body = manager_a.get("/api/v1/announcements/").json()
    assert [(r["id"], r["is_read"]) for r in body["results"]] == [(a.pk, False)]
    response = manager_a.post(f"/api/v1/announcements/{a.pk}/read/")
    assert response.status_code == 200 and response.json() == {"id": a.pk, "is_read": True}
    assert manager_a.get(f"/api/v1/announcements/{a.pk}/").json()["is_read"] is True
    assert selectors.read_stats(a)["read"] == 1
    # Outside the audience: not listed, 404 on detail and on marking read.
    manager_b = api_for("manager_b")
    assert manager_b.get("/api/v1/announcements/").json()["results"] == []
    assert manager_b.get(f"/api/v1/announcements/{a.pk}/").status_code == 404
    assert manager_b.post(f"/api/v1/announcements/{a.pk}/read/").status_code == 404


def _public(world):
    p = services.product_save(
        by=world.manager_a,
        centre=world.centre_a,
        data={"name": "Madu", "description": "Asli", "category": "pertanian", "contact": "0812"},
        consent=True,
    )
    hidden = services.product_save(
        by=world.manager_a,
        centre=world.centre_a,
        data={"name": "Draf", "description": "x", "category": "jasa"},
        consent=True,
    )
    return services.product_review(by=world.reviewer, product=p, approve=True), hidden


def test_public_catalogue_is_anonymous_read_only_and_filtered(world):
    p, hidden = _public(world)
    client = Client()
    body = client.get("/api/v1/public/products/").json()
    assert [r["name"] for r in body["results"]] == ["Madu"]
    row = body["results"][0]
    assert row["province_code"] == "32" and row["contact"] == "0812"
    assert "owner_name" not in row and "nik_hash" not in row
    assert client.get("/api/v1/public/products/", {"province": "35"}).json()["results"] == []
    assert client.get(f"/api/v1/public/products/{hidden.pk}/").status_code == 404
    assert client.post("/api/v1/public/products/", {}, content_type="application/json").status_code == 405


def test_public_catalogue_is_throttled(world, settings):
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "3/minute"},
    }
    api_settings.reload()
    try:
        client = Client()
        codes = [client.get("/api/v1/public/products/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
    finally:
        api_settings.reload()


def test_endpoints_are_in_the_openapi_schema(client_for):
    # The schema is for signed-in users (unless API_DOCS_PUBLIC opens it).
    schema = client_for("manager_a").get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/announcements/",
        "/api/v1/announcements/{id}/read/",
        "/api/v1/public/products/",
        "/api/v1/public/products/{id}/",
    ):
        assert path in schema
