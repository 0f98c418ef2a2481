"""A manager creates an API token on their profile (phone width), uses it, revokes it; Swagger UI
loads from the portal's own static files."""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)


def call_api(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_manager_creates_uses_and_revokes_a_token_on_a_phone(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.manager_a)
    page.goto(f"{live_server.url}/profil/")
    page.click("text=Kelola token API")
    page.fill("#id_name", "skrip laporan bulanan")
    page.click("button:has-text('Buat token')")
    expect(page.locator("#new-token")).to_contain_text("hanya ditampilkan sekali")
    token = page.input_value("#new-token-value")
    assert token.startswith("blk_")
    shot(page, "api-token-created-phone")
    assert page_width(page) <= PHONE["width"] + 1

    assert call_api(f"{live_server.url}/api/v1/me/", token) == 200

    page.reload()  # the token is never shown again
    expect(page.locator("#new-token")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Cabut')")
    expect(page.locator(".alert")).to_contain_text("dicabut")
    expect(page.locator("table .badge")).to_be_visible()
    expect(page.locator("table .badge")).to_contain_text("Dicabut")
    shot(page, "api-token-revoked-phone")
    assert call_api(f"{live_server.url}/api/v1/me/", token) == 401


def test_swagger_ui_renders_offline(page, world, login, live_server, shot):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("BLK Komunitas API", timeout=15000)
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    shot(page, "api-swagger-ui")
    assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside
