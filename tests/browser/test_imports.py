"""The accounts import as the directorate does it on a phone: found from the user list, a rejected
row explained, the fixed file confirmed; the list of imports."""

import pytest
from playwright.sync_api import expect

from blkportal.registry.models import User
from tests.browser.conftest import PHONE, page_width
from tests.imports.test_accounts import account, accounts_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_accounts_at_phone_width(page, world, login, live_server, shot, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/pengguna/")
    page.click("text=Impor dari Excel")
    expect(page.locator("h1")).to_have_text("Impor akun dari Excel")

    bad = tmp_path / "akun.xlsx"
    rows = [
        account("rina@contoh.id", "Koordinator FKN", centre=None, province="32"),
        account("x@contoh.id", "Administrator", centre=None),
    ]
    bad.write_bytes(accounts_file(rows).read())
    page.set_input_files("#id_file", str(bad))
    page.click("text=Unggah dan periksa")
    expect(page.locator("#import-problems-list")).to_contain_text("tidak dapat diberikan lewat impor")
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    assert page_width(page) <= PHONE["width"] + 1
    shot(page, "accounts-import-rejected-phone")

    good = tmp_path / "akun-2.xlsx"
    good.write_bytes(accounts_file(rows[:1]).read())
    page.click("text=Unggah berkas yang sudah diperbaiki")
    page.set_input_files("#id_file", str(good))
    page.click("text=Unggah dan periksa")
    expect(page.locator('[data-count="create"]')).to_have_text("1")
    page.check("#id_confirm")
    page.click("text=Terapkan impor")
    expect(page.locator("#import-applied")).to_be_visible()
    assert User.objects.filter(email="rina@contoh.id").exists()
    shot(page, "accounts-import-applied-phone")

    page.goto(f"{live_server.url}/impor/")
    expect(page.locator("#import-kinds")).to_contain_text("Impor akun dari Excel")
    assert page_width(page) <= PHONE["width"] + 1
    shot(page, "import-list-phone")
