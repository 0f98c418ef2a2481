"""The monthly report filled offline in a spreadsheet, on a phone: download it pre-filled, type the
month's values as one would in Excel (one of them wrong), upload, see the bad cell named, fix it,
upload again, submit."""

import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blkportal.core.months import add_months, first_of_month
from reporting import services
from reporting.models import Report
from tests.browser.conftest import PHONE, page_width
from tests.reporting.conftest import make_batch
from tests.reporting.workbook_files import report_cell, table_cell

pytestmark = pytest.mark.django_db(transaction=True)


def no_sideways_scroll(page):
    assert page_width(page) <= PHONE["width"] + 1


def test_fill_the_monthly_spreadsheet_offline_on_a_phone(page, world, login, live_server, shot, tmp_path):
    page.set_viewport_size(PHONE)
    period = add_months(first_of_month(timezone.localdate()), -1)
    draft = services.report_get_or_create_draft(centre=world.centre_a, period=period, by=world.manager_a)
    make_batch(world.centre_a, period)

    login(page, world.manager_a)
    page.goto(f"{live_server.url}/laporan/{draft.pk}/isi/")
    with page.expect_download() as download:
        page.click("#workbook-download")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == f"laporan-blkk-a-{period:%Y-%m}.xlsx"

    # In "Excel": the month's values, a number typed with thousands dots, one count typed in words.
    book = openpyxl.load_workbook(path)
    values = {
        "alumni_bekerja": 5,
        "alumni_wirausaha": 3,
        "alumni_studi": 1,
        "alumni_belum_bekerja": 3,
        "alumni_tidak_terlacak": 2,
        "permit_status": "Izin operasional",
        "permit_number": "563/123/2024",
        "managers_count": "tiga",
        "instructors_count": 4,
        "instructors_certified": 2,
        "operating_cost": "Rp 2.500.000",
    }
    for name, value in values.items():
        report_cell(book, name).value = value
    table_cell(book, "income", 1, "source").value = "Jasa"
    table_cell(book, "income", 1, "amount").value = "1.500.000"
    wrong_cell = report_cell(book, "managers_count").coordinate
    book.save(path)

    page.set_input_files("#id_file", str(path))
    page.click("#workbook-submit")
    expect(page.locator("#workbook-problems")).to_contain_text(f"Laporan!{wrong_cell}")
    expect(page.locator("#workbook-problems")).to_contain_text("Isi dengan angka bulat")
    expect(page.locator("#id_managers_count_error")).to_contain_text(f"Berkas Excel, sel Laporan!{wrong_cell}")
    expect(page.locator("#id_managers_count")).to_have_class(re.compile(r"\bis-invalid\b"))
    no_sideways_scroll(page)
    shot(page, "reporting-workbook-cell-error-phone")
    assert Report.objects.get(pk=draft.pk).alumni_bekerja is None  # nothing saved

    report_cell(book, "managers_count").value = 3
    book.save(path)
    page.set_input_files("#id_file", str(path))
    page.click("#workbook-submit")
    expect(page.locator("#workbook-applied")).to_contain_text("Lembar kerja diterapkan ke draf: 11 isian diubah")
    expect(page.locator("#id_managers_count")).to_have_value("3")
    expect(page.locator("#own-income-total")).to_contain_text("1.500.000")
    no_sideways_scroll(page)
    shot(page, "reporting-workbook-applied-phone")

    page.click("#go-submit")
    page.click("#submit-report")
    expect(page.locator(".alert-success").first).to_contain_text("diajukan")
    no_sideways_scroll(page)
    shot(page, "reporting-workbook-submitted-phone")
    report = Report.objects.get(pk=draft.pk)
    assert (report.status, report.managers_count, report.operating_cost, report.own_income) == (
        "submitted",
        3,
        2_500_000,
        1_500_000,
    )
