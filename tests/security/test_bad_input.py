"""A NUL byte anywhere in the request is a 400, never a 500; API failures answer in the API's JSON
shape even when the failure is a bug."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("directorate", "/laporan/terlambat/?province=%00"),
        ("directorate", "/monitoring/provinsi/%00/"),
        ("admin", "/pengguna/?q=%00"),
        ("directorate", "/blk/?q=abc%00def"),
        ("directorate", "/laporan/antrean/?%00=1"),
    ],
)
def test_nul_in_a_page_url_is_a_400_page(client_for, persona, url):
    response = client_for(persona).get(url)
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/api/v1/facts/?province=%00", "/api/v1/kejuruan/%00/", "/api/v1/centres/?q=%00"])
def test_nul_in_an_api_url_is_a_json_400(client_for, url):
    response = client_for("directorate").get(url)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "errors"} and body["code"] == "invalid"
    assert "NUL" in body["message"]


def test_nul_in_a_form_field_is_refused_and_nothing_is_saved(client_for, world):
    response = client_for("admin").post(
        f"/pengguna/{world.manager_a.pk}/",
        {"action": "profile", "full_name": "Nama\x00Baru", "email": "baru@contoh.id", "is_active": "on"},
    )
    assert response.status_code == 400
    world.manager_a.refresh_from_db()
    assert world.manager_a.full_name != "Nama\x00Baru" and world.manager_a.email != "baru@contoh.id"


def test_nul_in_the_login_form_is_a_400():
    assert Client().post("/masuk/", {"username": "a\x00b", "password": "x"}).status_code == 400


def test_an_unexpected_api_failure_is_json_in_the_error_shape(client_for, monkeypatch):
    from blkportal.api import views

    def broken(self, request):
        raise RuntimeError("bug")

    monkeypatch.setattr(views.MeView, "get", broken)
    client = client_for("directorate")
    client.raise_request_exception = False
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {"code": "server_error", "message": "Terjadi kesalahan pada server.", "errors": {}}


def test_nul_in_an_api_json_body_is_a_400_not_a_500(api_for, world):
    response = api_for("directorate").patch(f"/api/v1/centres/{world.centre_a.pk}/", {"name": "BLK\u0000X"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "name" in response.json()["errors"]
    world.centre_a.refresh_from_db()
    assert "\x00" not in world.centre_a.name
