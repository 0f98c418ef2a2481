"""On a 360 px phone: the directorate sends an announcement to one province, a manager there reads it
from the home page, and the directorate sees the count change; anyone opens the public catalogue,
filters by province and opens a product."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from communication import services
from tests.browser.conftest import PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_announcement_to_one_province_read_on_home(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/pengumuman/")
    page.get_by_role("link", name="Tulis pengumuman").click()
    page.fill("#id_title", "Batas unggah laporan Desember")
    page.fill("#id_body", "Laporan Desember diunggah paling lambat 10 Januari. Panduan: https://kemnaker.go.id")
    page.uncheck("#id_all_provinces")
    page.select_option("#id_provinces", "32")
    shot(page, "communication-announcement-form-phone")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator("h1")).to_have_text("Batas unggah laporan Desember")
    expect(page.locator("#read-count")).to_have_text("0")
    expect(page.locator("#unread-centres")).to_contain_text(world.centre_a.name)
    expect(page.locator("#unread-centres")).not_to_contain_text(world.centre_b.name)
    detail_url = page.url

    # A manager in Jawa Barat sees it on the home page and marks it read; Jawa Timur never sees it.
    page.context.clear_cookies()
    login(page, world.manager_b)
    expect(page.get_by_text("Batas unggah laporan Desember")).to_have_count(0)
    page.context.clear_cookies()
    login(page, world.manager_a)
    item = page.locator(".announcement-item", has_text="Batas unggah laporan Desember")
    expect(item).to_be_visible()
    shot(page, "communication-home-announcement-phone")
    item.get_by_role("button", name="Tandai sudah dibaca").click()
    expect(page.locator(".alert-success")).to_contain_text("sudah dibaca")
    expect(page.locator(".announcement-item")).to_have_count(0)

    # The directorate sees the count change.
    page.context.clear_cookies()
    login(page, world.directorate)
    page.goto(detail_url)
    expect(page.locator("#read-count")).to_have_text("1")
    expect(page.locator("#unread-centres")).not_to_contain_text(world.centre_a.name)
    shot(page, "communication-read-count-phone")


def _public_product(by, centre, name, approver):
    product = services.product_save(
        by=by,
        centre=centre,
        data={"name": name, "description": f"{name}, buatan BLK.", "category": "makanan", "price_min": 15000},
        consent=True,
    )
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (180, 120, 60)).save(out, format="JPEG")
    services.product_photo_add(by=by, product=product, uploaded_file=SimpleUploadedFile("f.jpg", out.getvalue()))
    return services.product_review(by=approver, product=product, approve=True)


def test_public_catalogue_filter_and_product(page, world, live_server, shot):
    _public_product(world.manager_a, world.centre_a, "Keripik Singkong Hikmah", world.reviewer)
    _public_product(world.manager_b, world.centre_b, "Sambal Roa Nurul Huda", world.directorate)
    services.product_save(
        by=world.manager_a,
        centre=world.centre_a,
        data={"name": "Belum Disetujui", "description": "x", "category": "jasa"},
        consent=True,
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/katalog/")
    expect(page.locator(".product-card")).to_have_count(2)
    expect(page.get_by_text("Belum Disetujui")).to_have_count(0)
    page.select_option("#id_provinsi", "35")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".product-card")).to_have_count(1)
    assert "JAWA TIMUR" in page.title().upper()
    shot(page, "communication-catalogue-phone")
    page.get_by_role("link", name="Sambal Roa Nurul Huda").click()
    expect(page.locator("h1")).to_have_text("Sambal Roa Nurul Huda")
    assert page.title().startswith("Sambal Roa Nurul Huda")
    expect(page.locator("img.product-photo")).to_have_count(1)
    width = page_width(page)
    assert width <= 360
    shot(page, "communication-product-phone")
