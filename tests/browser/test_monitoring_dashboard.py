"""Real browser: the national dashboard draws its charts, sorts the province table, and drills down
province → kab/kota → centre, on a phone-sized screen."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from monitoring import services
from tests.browser.conftest import DESKTOP, PHONE, page_width
from tests.monitoring.conftest import batch, report

pytestmark = pytest.mark.django_db(transaction=True)

MONTH = "2024-03"


@pytest.fixture
def facts(world, settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"
    for m in range(1, 4):
        period = dt.date(2024, m, 1)
        report(world.centre_a, period, "approved", alumni_bekerja=6, alumni_belum_bekerja=2)
        if m != 2:
            report(world.centre_b, period, "submitted")
    batch(world.centre_a, dt.date(2024, 3, 1), dt.date(2024, 3, 20))
    services.facts_rebuild()
    return world


def chart_drawn(page, canvas_id):
    """A Chart instance exists on the canvas and has data."""
    return page.evaluate(
        """id => { const c = Chart.getChart(document.getElementById(id));
                  return c ? c.data.datasets.length : 0; }""",
        canvas_id,
    )


def test_national_dashboard_draws_charts_and_drills_down_to_a_centre(page, facts, login, live_server, shot):
    page.set_viewport_size(PHONE)
    login(page, facts.directorate)
    page.goto(f"{live_server.url}/monitoring/?month={MONTH}")
    expect(page.locator("h1")).to_contain_text("Dasbor nasional")
    # March: A and B of three expected centres reported -> 66,7 %, 2/3 beside it.
    expect(page.locator("#kpi-reporting_rate .kpi")).to_have_text("66,7 %")
    expect(page.locator("#kpi-reporting_rate .fig-frac")).to_have_text("2/3")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    # Reporting (reported, on time, verified, approved), completion and placement.
    assert chart_drawn(page, "chart-trend") == 6
    assert chart_drawn(page, "chart-bars") == 1
    shot(page, "monitoring-national-phone")
    assert page_width(page) <= PHONE["width"] + 1

    # Sort the province table by reporting rate (descending on the second click).
    table = page.locator("#tabel-provinsi")
    header = table.locator("thead th").nth(2).locator("button")
    header.click()
    header.click()
    expect(table.locator("thead th").nth(2)).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr").first).to_contain_text("Jawa Barat")  # 100 %
    expect(table.locator("tbody tr").last).to_contain_text("Papua Tengah")  # 0 %

    # Drill down: province -> kab/kota -> centre, keeping the month.
    table.locator("tbody tr", has_text="Jawa Barat").locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/provinsi/32/\?month={MONTH}"))
    expect(page.locator("h1")).to_contain_text("Jawa Barat")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    shot(page, "monitoring-province-phone")
    page.locator("#tabel-kabupaten tbody tr").first.locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/monitoring/kabupaten/32\.04/"))
    page.locator("#tabel-blk tbody tr").first.locator("td").first.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/monitoring/blk/{facts.centre_a.pk}/\?month={MONTH}"))
    expect(page.locator("h1")).to_have_text(facts.centre_a.name)
    expect(page.locator("#chart-activity")).to_have_attribute("data-drawn", "1")
    assert chart_drawn(page, "chart-activity") == 2
    expect(page.locator("#tabel-riwayat tbody tr.table-active")).to_contain_text("14/16")
    shot(page, "monitoring-centre-phone")
    assert page_width(page) <= PHONE["width"] + 1


def test_bad_month_shows_a_message_and_manager_lands_on_own_centre(page, facts, login, live_server, shot):
    page.set_viewport_size(DESKTOP)
    login(page, facts.directorate)
    page.goto(f"{live_server.url}/monitoring/?month=2024-13")
    expect(page.locator("#id_month_error")).to_contain_text("format TTTT-BB")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    shot(page, "monitoring-national-desktop-bad-month")
    page.context.clear_cookies()
    login(page, facts.manager_b)
    page.goto(f"{live_server.url}/monitoring/?month={MONTH}")
    expect(page).to_have_url(re.compile(rf"/monitoring/blk/{facts.centre_b.pk}/"))
    expect(page.locator("h1")).to_have_text(facts.centre_b.name)


def test_ranking_page_and_why_this_rank_on_a_phone(world, page, facts, login, live_server, shot):
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Kinerja",
        data={"window_months": 3, "min_verified_months": 2, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 60, "completion_rate": 40},
    )
    snapshot = services.ranking_compute(version=version, period=dt.date(2024, 3, 1))
    page.set_viewport_size(PHONE)
    login(page, facts.fkn)
    page.goto(f"{live_server.url}/monitoring/peringkat/")
    page.select_option("#id_snapshot", str(snapshot.pk))
    page.click("#ranking-filter button[type=submit]")
    rows = page.locator("#ranking-table tbody tr.rank-row")
    expect(rows).to_have_count(3)
    # A: 3/3 months approved (60 points) + 14/16 graduated (35 points); B has no verified month.
    expect(rows.first).to_contain_text(facts.centre_a.name)
    expect(rows.first.locator("td").first).to_contain_text("1/1")
    expect(rows.first.locator("td").nth(2)).to_have_text("95")
    shot(page, "monitoring-ranking-phone")
    rows.first.locator("td").nth(1).locator("a").click()
    expect(page.locator("h1")).to_have_text("Mengapa peringkat ini?")
    components = page.locator("#why-components tbody tr")
    expect(components).to_have_count(2)
    expect(components.first).to_contain_text("60 %")
    expect(components.first).to_contain_text("3/3")  # numerator/denominator beside the value on a phone
    expect(page.locator("#why-summary")).to_contain_text("95")
    shot(page, "monitoring-why-phone")
    assert page_width(page) <= PHONE["width"] + 1
    # Editing the scheme: a sum that is not 100 % gets its message beside the weights.
    page.goto(f"{live_server.url}/monitoring/skema/{version.scheme_id}/ubah/")
    page.fill("#id_weight_reporting_rate", "50")
    page.fill("#id_change_note", "Coba bobot baru")
    expect(page.locator("#weights-total")).to_have_text("90")
    page.click("#scheme-form button[type=submit]")
    expect(page.locator("#weights-error")).to_contain_text("sekarang 90 %")
    expect(page.locator("#id_change_note")).to_have_value("Coba bobot baru")
    shot(page, "monitoring-scheme-form-phone")
