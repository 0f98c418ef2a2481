"""Every registry page at phone (360 px) and desktop (1280 px) width, and the registry filters."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)

# (screenshot name, persona, path built from world)
PAGES = [
    ("centre-list", "directorate", lambda w: "/blk/"),
    ("centre-list-manager", "manager_a", lambda w: "/blk/"),
    ("centre-detail", "directorate", lambda w: f"/blk/{w.centre_a.pk}/"),
    ("centre-create", "directorate", lambda w: "/blk/baru/"),
    ("centre-edit", "directorate", lambda w: f"/blk/{w.centre_a.pk}/ubah/"),
    ("centre-deactivate", "directorate", lambda w: f"/blk/{w.centre_b.pk}/nonaktifkan/"),
    ("user-list", "admin", lambda w: "/pengguna/"),
    ("user-create", "admin", lambda w: "/pengguna/baru/"),
    ("user-edit", "admin", lambda w: f"/pengguna/{w.manager_a.pk}/"),
    ("profile", "manager_a", lambda w: "/profil/"),
]
SIZES = [("phone", PHONE), ("desktop", DESKTOP)]


def no_horizontal_scroll(page, width):
    assert page_width(page) <= width + 1


@pytest.mark.parametrize(("name", "persona", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_registry_pages_at_phone_and_desktop_width(page, world, login, live_server, shot, name, persona, path):
    login(page, world.users[persona])
    for size_name, size in SIZES:
        page.set_viewport_size(size)
        response = page.goto(f"{live_server.url}{path(world)}")
        assert response.status == 200
        expect(page.locator("h1")).to_be_visible()
        no_horizontal_scroll(page, size["width"])
        shot(page, f"registry-{name}-{size_name}")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("login", "/masuk/"),
        ("password-reset", "/kata-sandi/lupa/"),
        ("password-reset-bad-link", "/kata-sandi/atur/MQ/x/"),
    ],
)
def test_sign_in_pages_at_phone_width(page, live_server, shot, name, path):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("h1")).to_be_visible()
    no_horizontal_scroll(page, PHONE["width"])
    shot(page, f"registry-{name}-phone")


def test_centre_form_errors_beside_fields_on_a_phone(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/blk/baru/")
    page.fill("#id_reg_code", "BLKK-A")
    page.fill("#id_name", "BLK Komunitas Coba")
    page.fill("#id_host_name", "Pondok Pesantren Coba")
    page.select_option("#id_host_type", "pesantren")
    page.select_option("#id_regency", "32.04")
    page.fill("#id_latitude", "45")  # north of Indonesia
    page.fill("#id_cohort_year", "2022")
    page.fill("#id_activated_on", "2021-01-01")
    page.check("#id_is_incubator")
    page.click("main button[type=submit]")
    expect(page.locator("#id_reg_code_error")).to_contain_text("sudah dipakai")
    expect(page.locator("#id_latitude_error")).to_contain_text("lebih kecil dari atau sama dengan 6")
    expect(page.locator("#id_incubator_year_error")).to_contain_text("wajib diisi")
    expect(page.locator("#id_name")).to_have_value("BLK Komunitas Coba")
    expect(page.locator("#id_latitude")).to_have_value("45")
    expect(page.locator("#id_reg_code")).to_have_class(re.compile("is-invalid"))
    no_horizontal_scroll(page, PHONE["width"])
    shot(page, "registry-centre-create-errors-phone")


def test_phone_filter_regency_follows_province(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/blk/")
    # On a phone the less-used filters are folded behind one button; province stays in view.
    expect(page.locator("#id_province")).to_be_visible()
    expect(page.locator("#id_is_incubator")).to_be_hidden()
    page.click("button[data-bs-target='#more-filters']")
    expect(page.locator("#id_is_incubator")).to_be_visible()
    # Without a province there is no long kabupaten/kota list to scroll.
    expect(page.locator("#id_regency option")).to_have_count(1)
    expect(page.locator("#id_regency option")).to_have_text("Pilih provinsi")

    page.select_option("#id_province", "32")
    expect(page.locator("#id_regency option")).to_have_count(28)  # 27 in Jawa Barat + "Semua"
    expect(page.locator("#centre-table tbody tr")).to_have_count(1)
    page.select_option("#id_regency", "32.04")
    expect(page).to_have_url(re.compile(r"regency=32\.04"))
    expect(page.locator("#centre-table")).to_contain_text("Al-Hikmah")

    # A new province drops the old kabupaten/kota and loads its own.
    page.select_option("#id_province", "35")
    expect(page.locator("#id_regency option").nth(1)).not_to_have_text("Kabupaten Bandung")
    expect(page.locator("#centre-table")).to_contain_text("Nurul Huda")
    expect(page.locator("#centre-table tbody tr")).to_have_count(1)
    expect(page).not_to_have_url(re.compile(r"regency=32"))
    assert page.locator("#id_regency").input_value() == ""
    assert "Kabupaten Jombang" in page.locator("#id_regency").inner_text()

    page.select_option("#id_is_incubator", "false")
    expect(page.locator("#centre-table")).to_contain_text("Nurul Huda")
    page.select_option("#id_is_incubator", "true")
    expect(page.locator("#centre-table")).to_contain_text("Tidak ada BLK")
    no_horizontal_scroll(page, PHONE["width"])
    shot(page, "registry-filter-dependent-phone")

    # Reloading the page keeps the filters (the URL was pushed) and shows the folded ones in use.
    page.reload()
    expect(page.locator("#id_is_incubator")).to_be_visible()
    expect(page.locator("button[data-bs-target='#more-filters'] .badge")).to_have_text("1")
    expect(page.locator("#id_province")).to_have_value("35")
    expect(page.locator("#id_is_incubator")).to_have_value("true")


def test_sorting_by_column_header_and_select(page, world, login, live_server, shot):
    page.set_viewport_size(DESKTOP)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/blk/")
    first_codes = page.locator("#centre-table tbody tr td:first-child")
    expect(first_codes).to_have_text(["BLKK-A", "BLKK-B", "BLKK-C"])
    page.click("th >> text=Kode")
    expect(first_codes).to_have_text(["BLKK-A", "BLKK-B", "BLKK-C"])
    page.click("th >> text=Kode")  # again: descending
    expect(first_codes).to_have_text(["BLKK-C", "BLKK-B", "BLKK-A"])
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Kode")
    # The select sorts too, through htmx, and agrees with the header.
    page.select_option("#id_ordering", "-cohort_year")
    expect(first_codes).to_have_text(["BLKK-C", "BLKK-B", "BLKK-A"])
    page.select_option("#id_ordering", "cohort_year")
    expect(first_codes).to_have_text(["BLKK-A", "BLKK-B", "BLKK-C"])
    expect(page).to_have_url(re.compile(r"ordering=cohort_year"))
    shot(page, "registry-sorted-desktop")
