"""The registry import as the directorate does it on a phone: template, upload, rejected cells,
fixed file, confirmation."""

import pytest
from playwright.sync_api import expect

from blkportal.registry.models import Centre
from tests.browser.conftest import PHONE, page_width
from tests.registry.import_files import row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_a_registry_file_at_phone_width(page, world, login, live_server, shot, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/blk/")
    page.click("text=Impor dari Excel")
    with page.expect_download() as download:
        page.click("#import-template")
    assert download.value.suggested_filename == "templat-registri-blk.xlsx"

    bad = tmp_path / "registri.xlsx"
    bad.write_bytes(xlsx([row("BLKK-W1"), row("BLKK-W2", regency="Kab. Labuhan Batuu")]).read())
    page.set_input_files("#id_file", str(bad))
    page.click("text=Unggah dan periksa")
    expect(page.locator("#import-problems-list")).to_contain_text("Kabupaten Labuhanbatu (12.10")
    expect(page.locator('[data-count="rejected"]')).to_have_text("1")
    expect(page.locator("#import-confirm")).to_have_count(0)
    assert page_width(page) <= PHONE["width"] + 1
    shot(page, "registry-import-rejected-phone")

    good = tmp_path / "registri-2.xlsx"
    good.write_bytes(xlsx([row("BLKK-W1"), row("BLKK-W2", regency="Kab. Labuhan Batu")]).read())
    page.click("text=Unggah berkas yang sudah diperbaiki")
    page.set_input_files("#id_file", str(good))
    page.click("text=Unggah dan periksa")
    expect(page.locator('[data-count="create"]')).to_have_text("2")
    assert not Centre.objects.filter(reg_code__startswith="BLKK-W").exists()
    page.check("#id_confirm")
    shot(page, "registry-import-confirm-phone")
    page.click("text=Terapkan impor")
    expect(page.locator("#import-applied")).to_be_visible()
    assert set(Centre.objects.filter(reg_code__startswith="BLKK-W").values_list("regency_id", flat=True)) == {
        "32.04",
        "12.10",
    }
    shot(page, "registry-import-applied-phone")
