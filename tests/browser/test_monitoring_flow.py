"""Real browser, one flow (issue 5): the directorate opens the national dashboard, sees the charts
drawn, drills down province → kab/kota → centre, starts an export from the centre's page and
watches the progress bar reach the download, on a phone-sized screen.

The export job runs in a background thread a moment after the request (`slow_worker`, standing in
for the worker), so the page really shows the progress bar before the download link replaces it.
"""

import datetime as dt
import re
from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import expect

from monitoring import services
from monitoring.models import ExportJob
from tests.browser.conftest import PHONE, page_width
from tests.browser.test_monitoring_dashboard import chart_drawn
from tests.browser.test_monitoring_export import slow_worker  # noqa: F401 (fixture)
from tests.monitoring.conftest import report

pytestmark = pytest.mark.django_db(transaction=True)

MONTH = "2024-03"


@pytest.fixture
def facts(world, settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"
    for m in range(1, 4):
        period = dt.date(2024, m, 1)
        report(world.centre_a, period, "approved", alumni_bekerja=6, alumni_belum_bekerja=2)
        report(world.centre_b, period, "submitted")
    report(world.centre_c, dt.date(2024, 3, 1), "submitted")
    services.facts_rebuild()
    return world


def no_sideways_scroll(page):
    return page_width(page) <= PHONE["width"] + 1


@pytest.mark.usefixtures("slow_worker")
def test_dashboard_to_centre_to_export_download_on_a_phone(page, facts, login, live_server, shot):
    centre = facts.centre_a
    page.set_viewport_size(PHONE)
    login(page, facts.directorate)

    # National dashboard: numbers and both charts drawn.
    page.goto(f"{live_server.url}/monitoring/?month={MONTH}")
    expect(page.locator("h1")).to_contain_text("Dasbor nasional")
    expect(page.locator("#kpi-reporting_rate .fig-frac")).to_have_text("3/3")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    # Reporting (reported, on time, verified, approved), completion and placement.
    assert chart_drawn(page, "chart-trend") == 6
    assert chart_drawn(page, "chart-bars") == 1
    expect(page.locator("#dashboard-export")).to_have_attribute(
        "href", f"/monitoring/ekspor/?jenis=reports&dari=2023-04&sampai={MONTH}"
    )
    shot(page, "flow-1-national-phone")
    assert no_sideways_scroll(page)

    # Province -> kab/kota -> centre, keeping the month.
    page.locator("#tabel-provinsi tbody tr", has_text="Jawa Barat").locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/provinsi/32/\?month={MONTH}"))
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    expect(page.locator("#dashboard-export")).to_have_attribute(
        "href", f"/monitoring/ekspor/?jenis=reports&dari=2023-04&sampai={MONTH}&provinsi=32"
    )
    shot(page, "flow-2-province-phone")
    assert no_sideways_scroll(page)
    page.locator("#tabel-kabupaten tbody tr").first.locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/kabupaten/{re.escape(centre.regency_id)}/"))
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    shot(page, "flow-3-regency-phone")
    assert no_sideways_scroll(page)
    page.locator("#tabel-blk tbody tr", has_text=centre.name).locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/blk/{centre.pk}/\?month={MONTH}"))
    expect(page.locator("h1")).to_have_text(centre.name)
    expect(page.locator("#chart-activity")).to_have_attribute("data-drawn", "1")
    # Reporting (reported, on time, verified, approved), completion and placement.
    assert chart_drawn(page, "chart-trend") == 6
    shot(page, "flow-4-centre-phone")
    assert no_sideways_scroll(page)

    # "Ekspor data" opens the export form filled for this centre and the 12 months shown.
    page.locator("#dashboard-export").click()
    expect(page).to_have_url(re.compile(r"/monitoring/ekspor/\?"))
    expect(page.locator("h1")).to_have_text("Ekspor data")
    expect(page.locator("#id_kind")).to_have_value("reports")
    expect(page.locator("#id_period_from")).to_have_value("2023-04")
    expect(page.locator("#id_period_to")).to_have_value(MONTH)
    expect(page.locator("#id_centre")).to_have_value(centre.reg_code)
    shot(page, "flow-5-export-form-phone")
    page.click("#export-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("antrean")
    job_row = page.locator(".export-job").first
    expect(job_row.locator(".progress")).to_be_visible()
    shot(page, "flow-6-export-progress-phone")
    job = ExportJob.objects.get()
    assert job.parameters == {"period_from": "2023-04", "period_to": MONTH, "centre": centre.pk}

    download_link = job_row.locator("a.export-download")
    expect(download_link).to_be_visible(timeout=20_000)
    expect(job_row.locator(".progress")).to_have_count(0)
    expect(job_row).to_contain_text("3 baris")
    shot(page, "flow-7-export-done-phone")
    assert no_sideways_scroll(page)

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as fh:
        sheet = openpyxl.load_workbook(BytesIO(fh.read())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    code = rows[0].index("Kode BLK")
    assert [row[code] for row in rows[1:]] == [centre.reg_code] * 3  # Jan-Mar 2024, centre A only
