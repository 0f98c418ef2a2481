import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("persona", ["manager_a", "reviewer", "directorate", "fkn", "mentor_a", "admin"])
def test_each_role_logs_in_and_sees_its_home(page, world, login, shot, persona):
    page.set_viewport_size(PHONE)
    login(page, world.users[persona])
    expect(page.locator("h1")).to_contain_text("Selamat datang")
    shot(page, f"home-{persona}-phone")


def test_wrong_password_shows_message_in_indonesian(page, world, live_server):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "manager_a")
    page.fill("#id_password", "salah-sekali")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("kata sandi salah")
    # What the user typed stays.
    expect(page.locator("#id_username")).to_have_value("manager_a")


def test_directorate_filters_registry_on_a_phone(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/blk/")
    expect(page.locator("#centre-table tbody tr")).to_have_count(3)
    page.select_option("#id_province", "35")
    expect(page.locator("#centre-table tbody tr")).to_have_count(1)
    expect(page.locator("#centre-table")).to_contain_text("Nurul Huda")
    expect(page).to_have_url(re.compile(r"province=35"))
    page.fill("#id_q", "tidak-ada-yang-cocok")
    expect(page.locator("#centre-table")).to_contain_text("Tidak ada BLK")
    shot(page, "registry-filter-phone")
    # No horizontal scrolling at phone width.
    assert page_width(page) <= PHONE["width"] + 1
