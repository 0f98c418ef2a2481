"""A centre manager on a phone registers a tenant, records two months, moves its stage, sees the chart."""

import re

import pytest
from playwright.sync_api import expect

from blkportal.core.months import add_months, first_of_month, today
from incubator.models import Stage, Tenant
from tests.browser.conftest import DESKTOP, PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_register_progress_stage_and_chart(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, world.manager_a)

    # From the home panel to the centre's incubator summary.
    panel = page.locator("#incubator-panel")
    expect(panel).to_contain_text("0")
    panel.get_by_role("link", name=world.centre_a.name).click()
    expect(page.locator("h1")).to_contain_text(world.centre_a.name)
    expect(page.locator("#kpi-active")).to_contain_text("0")
    page.get_by_role("link", name="Daftarkan wirausaha").click()

    # Register.
    two_months_ago = add_months(first_of_month(today()), -2)
    last_month = add_months(two_months_ago, 1)
    page.fill("#id_business_name", "Keripik Tempe Barokah")
    page.select_option("#id_legal_form", "kelompok")
    page.select_option("#id_sector", "jasa_boga")
    page.fill("#id_owner_name", "Ibu Siti Rahmawati")
    page.select_option("#id_owner_sex", "P")
    page.fill("#id_owner_birth_year", "1987")
    page.fill("#id_nik", "3204 1234 5678 0001")
    page.fill("#id_entry_date", two_months_ago.isoformat())
    page.fill("#id_baseline_omzet", "2.000.000")
    page.fill("#id_baseline_workers", "1")
    page.check("#id_has_pirt")
    shot(page, "incubator-register-phone")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".alert-success")).to_contain_text("Keripik Tempe Barokah terdaftar")
    expect(page.locator("#no-progress")).to_be_visible()
    tenant = Tenant.objects.get()
    assert tenant.nik_hash and tenant.stage == Stage.PRA_INKUBASI

    # Record two months; a negative omzet is refused first, with what was typed kept.
    def record(month, omzet, profit, workers):
        page.get_by_role("link", name="Catat perkembangan").click()
        page.fill("#id_month", month.strftime("%Y-%m"))
        page.fill("#id_omzet", omzet)
        page.fill("#id_profit", profit)
        page.fill("#id_workers", workers)
        page.check("#id_market_channels_0")
        page.get_by_role("button", name="Simpan").click()

    record(two_months_ago, "-2.500.000", "300.000", "1")
    expect(page.locator("#id_omzet_error")).to_have_text("Omzet tidak boleh negatif.")
    expect(page.locator("#id_omzet")).to_have_value("-2.500.000")
    expect(page.locator("#id_workers")).to_have_value("1")
    shot(page, "incubator-progress-error-phone")
    page.fill("#id_omzet", "2.500.000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".alert-success")).to_contain_text("dicatat")
    record(last_month, "3.200.000", "-150.000", "3")
    expect(page.locator("#progress-table tbody tr")).to_have_count(2)

    # Move the stage: skipping to pasca-inkubasi without a reason is refused; one step is fine.
    page.get_by_role("link", name="Pindah tahap").click()
    page.select_option("#id_to_stage", "pasca_inkubasi")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#id_reason_error")).to_have_text("Melompati tahap wajib disertai alasan.")
    page.select_option("#id_to_stage", "inkubasi")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".alert-success")).to_contain_text("Inkubasi")
    expect(page.locator("h1 .stage-badge")).to_have_text("Inkubasi")
    expect(page.locator("#timeline")).to_contain_text("Pra-inkubasi → Inkubasi")

    # The chart is drawn with both months.
    canvas = page.locator("#tenant-chart")
    expect(canvas).to_have_attribute("data-ready", "1")
    expect(canvas).to_have_attribute("data-points", "2")
    box = canvas.bounding_box()
    assert box and box["width"] > 250 and box["height"] > 200
    assert page_width(page) <= PHONE["width"] + 1
    shot(page, "incubator-tenant-detail-phone")

    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(page.locator("#tenant-chart")).to_have_attribute("data-ready", "1")
    shot(page, "incubator-tenant-detail-desktop")

    # The summary now counts one active tenant against the target of ten.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=world.centre_a.name).click()
    expect(page.locator("#kpi-active")).to_contain_text(re.compile(r"1\s*/\s*10"))
    shot(page, "incubator-centre-summary-desktop")


def test_directorate_overview_and_filters_on_phone(page, world, login, live_server, shot):
    from incubator import services
    from tests.incubator.conftest import tenant_data

    services.tenant_register(
        by=world.manager_a, centre=world.centre_a, data=tenant_data(business_name="Batik Tulis Jabar")
    )
    services.tenant_register(
        by=world.manager_a,
        centre=world.centre_a,
        data=tenant_data(business_name="Lele Segar", sector="perikanan"),
        stage="inkubasi",
    )
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/inkubator/")
    expect(page.locator("h1")).to_contain_text("nasional")
    expect(page.locator("#centre-table")).to_contain_text(world.centre_a.name)
    shot(page, "incubator-overview-phone")
    page.get_by_role("link", name="Daftar wirausaha binaan").click()
    expect(page.locator("#tenant-table tbody tr")).to_have_count(2)
    # The rows are there before htmx has bound the filter form (it starts on "load"); a change made
    # earlier is lost, as a person's would be on a slow phone.
    page.wait_for_load_state("load")
    page.select_option("#id_sector", "perikanan")
    expect(page.locator("#tenant-table tbody tr")).to_have_count(1)
    expect(page.locator("#tenant-table")).to_contain_text("Lele Segar")
    expect(page).to_have_url(re.compile(r"sector=perikanan"))
    shot(page, "incubator-tenant-list-phone")
    assert page_width(page) <= PHONE["width"] + 1
