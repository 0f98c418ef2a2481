"""Issue 12 in a real browser: rankings on a phone and a desktop, the approval queue, the report a
reviewer opens after a return, autosave signals, navigation. Screenshots at 360 and 1280 px."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from monitoring import services as monitoring_services
from tests.browser.conftest import DESKTOP, PHONE, page_width
from tests.monitoring.conftest import batch, report

pytestmark = pytest.mark.django_db(transaction=True)

# The text of a select's chosen option fits inside the select (not cut to "Oktober 2026 · v").
SELECT_TEXT_FITS = """sel => {
  const text = sel.options[sel.selectedIndex].text;
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = getComputedStyle(sel).font;
  const style = getComputedStyle(sel);
  const room = sel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return ctx.measureText(text).width <= room;
}"""
NO_SIDEWAYS_SCROLL = "el => el.scrollWidth <= el.clientWidth + 1"


@pytest.fixture
def ranking(world, settings):
    settings.MONITORING_FIRST_MONTH = "2024-01"
    for m in range(1, 4):
        period = dt.date(2024, m, 1)
        for centre in (world.centre_a, world.centre_b, world.centre_c):
            report(centre, period, "approved", alumni_bekerja=6, alumni_belum_bekerja=2)
    batch(world.centre_a, dt.date(2024, 3, 1), dt.date(2024, 3, 20))
    monitoring_services.facts_rebuild()
    version = monitoring_services.ranking_scheme_create(
        by=world.directorate,
        name="Kinerja",
        data={"window_months": 3, "min_verified_months": 2, "peer_by_cohort": True, "peer_by_kejuruan": False},
        weights={"reporting_rate": 60, "completion_rate": 40},
    )
    return monitoring_services.ranking_compute(version=version, period=dt.date(2024, 3, 1))


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_ranking_groups_rows_under_peer_groups_and_keeps_the_period_readable(
    page, world, ranking, login, live_server, shot, size
):
    page.set_viewport_size(size)
    login(page, world.fkn)
    page.goto(f"{live_server.url}/monitoring/peringkat/?snapshot={ranking.pk}")
    headings = page.locator("#ranking-table tr.peer-heading")
    # Three centres built in 2019, 2020 and 2021: three peer groups, each a visible heading.
    expect(headings).to_have_count(3)
    for i in range(3):
        expect(headings.nth(i)).to_be_visible()
        expect(headings.nth(i)).to_contain_text("Kelompok sebaya")
    assert page.locator("#id_snapshot").evaluate(SELECT_TEXT_FITS)
    name = "360" if size == PHONE else "1280"
    shot(page, f"first-day-ranking-{name}")
    assert page_width(page) <= size["width"] + 1

    page.locator("#ranking-table tr.rank-row a").first.click()
    expect(page.locator("h1")).to_have_text("Mengapa peringkat ini?")
    table = page.locator("#why-components")
    expect(table.locator("thead th", has_text="Poin")).to_be_visible()
    assert table.locator("xpath=..").evaluate(NO_SIDEWAYS_SCROLL), "the component table scrolls sideways"
    # "100,00 %" stays on one line.
    value = table.locator("tbody tr").first.locator("td").nth(3).locator("span.text-nowrap")
    assert value.evaluate("el => el.getClientRects().length") == 1
    assert value.evaluate("el => el.getBoundingClientRect().height") < 30
    shot(page, f"first-day-ranking-why-{name}")


NAME_FITS = "el => el.scrollWidth <= el.clientWidth + 1"


def test_desktop_menu_stays_on_one_row_with_name_and_role_apart(page, world, login, live_server, shot):
    for name, full in (("admin", "Dewi Lestari"), ("mentor_a", "Dr. Rina Wulandari")):
        user = world.users[name]
        user.full_name = full
        user.save()
    page.set_viewport_size(DESKTOP)
    login(page, world.admin)
    links = page.locator("#mainnav .navbar-nav.me-auto .nav-link")
    tops = links.evaluate_all("els => els.map(e => Math.round(e.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, f"menu wraps to {len(set(tops))} rows"
    expect(page.locator("#mainnav .navbar-nav.me-auto")).not_to_contain_text("Pengguna")
    expect(page.locator(".dropdown-menu .dropdown-item", has_text="Ekspor")).to_have_count(1)
    menu = page.locator(".user-menu")
    expect(menu.locator(".user-name")).to_have_text("Dewi Lestari")
    expect(menu.locator(".user-role")).to_have_text("Administrator")
    assert menu.locator(".user-name").evaluate(NAME_FITS), "the name is cut"
    menu.click()
    page.locator(".dropdown-menu .dropdown-item", has_text="Pengguna").click()
    expect(page.locator("h1")).to_contain_text("Pengguna")
    shot(page, "first-day-nav-1280")

    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    login(page, world.mentor_a)
    page.click(".navbar-toggler")
    name = page.locator(".user-menu .user-name")
    expect(name).to_have_text("Dr. Rina Wulandari")
    expect(page.locator(".user-menu .user-role")).to_have_text("Mentor inkubator")
    assert name.evaluate(NAME_FITS), "the name is cut on the phone menu"
    shot(page, "first-day-nav-360")


def test_autosave_marks_the_bad_field_and_keeps_its_value_after_a_reload(page, world, login, live_server, shot):
    from django.utils import timezone

    from blkportal.core.months import first_of_month
    from reporting import services as reporting_services
    from reporting.models import Report

    report = reporting_services.report_get_or_create_draft(
        centre=world.centre_a, period=first_of_month(timezone.localdate()), by=world.manager_a
    )
    page.set_viewport_size(PHONE)
    login(page, world.manager_a)
    page.goto(f"{live_server.url}/laporan/{report.pk}/isi/")
    expect(page.locator("#save-status")).not_to_contain_text("Terakhir disimpan")
    # A broken rule on the current month shows beside the field and in the summary while typing.
    page.fill("#id_instructors_count", "7")
    page.fill("#id_instructors_certified", "9")
    expect(page.locator("#id_instructors_certified_error")).to_contain_text("tidak boleh lebih dari jumlah instruktur")
    expect(page.locator("#rule-errors")).to_contain_text("Instruktur bersertifikat (9)")
    expect(page.locator("#id_instructors_certified")).to_have_class(re.compile("is-invalid"))
    # A value the server refuses: one red state, the field outlined, nothing green beside it.
    page.fill("#id_operating_cost", "satu juta")
    expect(page.locator("#save-invalid")).to_be_visible()
    expect(page.locator("#save-status")).not_to_contain_text("Terakhir disimpan")
    expect(page.locator("#id_operating_cost")).to_have_class(re.compile("is-invalid"))
    shot(page, "first-day-autosave-invalid-360")
    # After a reload the bad entry is still there (from this device) with its message.
    page.reload()
    expect(page.locator("#id_operating_cost")).to_have_value("satu juta")
    expect(page.locator("#id_operating_cost_error")).to_contain_text("Isi angka rupiah")
    expect(page.locator("#id_operating_cost")).to_have_class(re.compile("is-invalid"))
    # Fixing it saves it and clears the state.
    page.fill("#id_operating_cost", "1.000.000")
    expect(page.locator("#saved-at")).to_be_visible()
    expect(page.locator("#id_operating_cost")).not_to_have_class(re.compile("is-invalid"))
    assert Report.objects.get(pk=report.pk).operating_cost == 1_000_000


def test_trend_chart_draws_straight_segments_on_a_clamped_axis(page, world, ranking, login, live_server):
    page.set_viewport_size(DESKTOP)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/monitoring/?month=2024-03")
    expect(page.locator("#chart-trend")).to_have_attribute("data-drawn", "1")
    shape = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById("chart-trend"));
                   return { tensions: c.data.datasets.map(d => d.tension),
                            min: c.options.scales.y.min, max: c.options.scales.y.max }; }"""
    )
    assert shape["tensions"] and set(shape["tensions"]) == {0}
    assert (shape["min"], shape["max"]) == (0, 100)


def _verified(world, centre, manager, period, days):
    from django.utils import timezone as tz

    from reporting import services as reporting_services
    from reporting.models import Report
    from tests.reporting.conftest import fill

    report = reporting_services.report_get_or_create_draft(centre=centre, period=period, by=manager)
    report = fill(report, manager)
    report = reporting_services.report_submit(report=report, by=manager).report
    report = reporting_services.report_verify(report=report, by=world.admin)
    Report.objects.filter(pk=report.pk).update(verified_at=tz.now() - dt.timedelta(days=days))
    return report


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_approval_queue_oldest_first_and_bulk_approve(page, world, login, live_server, shot, size):
    from django.utils import timezone as tz

    from blkportal.core.months import add_months, first_of_month
    from reporting.models import Report

    last_month = add_months(first_of_month(tz.localdate()), -1)
    recent = _verified(world, world.centre_b, world.manager_b, last_month, 1)
    oldest = _verified(world, world.centre_a, world.manager_a, last_month, 12)
    page.set_viewport_size(size)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/laporan/antrean/")
    items = page.locator(".queue-item")
    expect(items.first).to_contain_text(world.centre_a.name)
    expect(items.first).to_contain_text("Menunggu 1")
    name = "360" if size == PHONE else "1280"
    shot(page, f"first-day-approval-queue-{name}")
    assert page_width(page) <= size["width"] + 1
    page.check(f"#pick-{oldest.pk}")
    page.check(f"#pick-{recent.pk}")
    page.click("#bulk-approve-submit")
    expect(page.locator("h1")).to_contain_text("Setujui 2 laporan?")
    shot(page, f"first-day-approval-confirm-{name}")
    page.click("#bulk-confirm-submit")
    expect(page.locator(".alert-success")).to_contain_text("2 laporan disetujui.")
    assert set(Report.objects.filter(pk__in=[oldest.pk, recent.pk]).values_list("status", flat=True)) == {"approved"}


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_reviewer_sees_the_reason_and_the_changes_after_a_return(page, world, login, live_server, shot, size):
    from django.utils import timezone as tz

    from blkportal.core.months import add_months, first_of_month
    from reporting import services as reporting_services
    from tests.reporting.conftest import fill

    last_month = add_months(first_of_month(tz.localdate()), -1)
    report = reporting_services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    report = fill(report, world.manager_a, alumni_bekerja=0, alumni_tidak_terlacak=7)
    report = reporting_services.report_submit(report=report, by=world.manager_a).report
    report = reporting_services.report_return(
        report=report, by=world.reviewer, reason="Alumni bekerja belum sesuai data penempatan bulan ini."
    )
    report = reporting_services.report_save_draft(
        report=report,
        by=world.manager_a,
        data={"alumni_bekerja": 4, "alumni_tidak_terlacak": 3},
        expected_version=report.version,
    )
    reporting_services.report_submit(report=report, by=world.manager_a)
    page.set_viewport_size(size)
    login(page, world.reviewer)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    card = page.locator("#since-return")
    expect(card).to_contain_text("Alumni bekerja belum sesuai data penempatan bulan ini.")
    diff = page.locator("#return-diff tbody tr")
    expect(diff.filter(has_text="Alumni bekerja")).to_contain_text("4")
    expect(page.locator("#verify-btn")).to_be_visible()
    name = "360" if size == PHONE else "1280"
    shot(page, f"first-day-report-after-return-{name}")
    assert page_width(page) <= size["width"] + 1
