"""The whole monthly-report loop in a real browser on a phone-sized screen.

manager fills and submits → regional reviewer returns with a reason → manager sees the reason,
fixes and resubmits → reviewer verifies → directorate approves → manager requests a correction,
the reviewer unlocks it, the manager changes a value and resubmits → the reviewer sees the diff.
"""

import re
import time

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from blkportal.core.months import add_months, first_of_month
from reporting.models import Report
from tests.browser.conftest import PHONE, page_width

pytestmark = pytest.mark.django_db(transaction=True)


def eventually(check, timeout=10.0):
    """Wait until `check()` is true (the server saved what the browser sent).

    With SQLite's shared in-memory test database a read can meet the server thread's write lock
    ("database table is locked"): that read is simply tried again.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OperationalError:
            pass
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def no_sideways_scroll(page):
    assert page_width(page) <= PHONE["width"] + 1


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_whole_report_loop_on_a_phone(page, world, login, live_server, shot):
    page.set_viewport_size(PHONE)
    period = add_months(first_of_month(timezone.localdate()), -1)

    # --- the manager starts last month's report from the to-do list on the home page --------------
    login(page, world.manager_a)
    todo = page.locator(f"#manager-todo .todo-due[data-period='{period:%Y-%m}']")
    expect(todo).to_be_visible()
    shot(page, "reporting-01-manager-home-phone")
    todo.locator("a").first.click()
    page.get_by_role("button", name="Mulai isi laporan").click()
    expect(page).to_have_url(re.compile(r"/laporan/\d+/isi/$"))
    found = []
    eventually(lambda: found.append(Report.objects.get(centre=world.centre_a, period=period)) is None)
    report = found[0]

    # Section A: add the month's training batch.
    page.get_by_role("link", name="+ Tambah angkatan").click()
    page.select_option("#id_kejuruan", label="Teknik Las")
    page.fill("#id_program_name", "Pengelasan SMAW Angkatan 3")
    page.select_option("#id_funding_source", "apbn")
    page.fill("#id_start_date", f"{period:%Y-%m}-02")
    page.fill("#id_end_date", f"{period:%Y-%m}-25")
    page.fill("#id_hours_jp", "240")
    page.fill("#id_enrolled_male", "12")
    page.fill("#id_enrolled_female", "4")
    page.fill("#id_santri_count", "10")
    page.fill("#id_umum_count", "6")
    page.fill("#id_graduated", "20")  # more than enrolled: refused beside the field
    page.click("#batch-save")
    expect(page.locator("#id_graduated_error, .errorlist").first).to_contain_text("tidak boleh lebih")
    expect(page.locator("#id_program_name")).to_have_value("Pengelasan SMAW Angkatan 3")  # typing kept
    page.fill("#id_graduated", "14")
    page.fill("#id_failed", "1")
    page.fill("#id_withdrawn", "1")
    page.fill("#id_certified", "10")
    page.click("#batch-save")
    expect(page.locator("#batch-table")).to_contain_text("Pengelasan SMAW Angkatan 3")

    # Sections B and C autosave as the manager types.
    values = {
        "#id_alumni_bekerja": "5",
        "#id_alumni_wirausaha": "3",
        "#id_alumni_studi": "1",
        "#id_alumni_belum_bekerja": "3",
        "#id_alumni_tidak_terlacak": "2",
        "#id_permit_number": "563/12/2024",
        "#id_managers_count": "3",
        "#id_instructors_count": "4",
        "#id_instructors_certified": "2",
        "#id_operating_cost": "2.500.000",
    }
    page.select_option("#id_permit_status", "permit")
    for selector, value in values.items():
        page.fill(selector, value)
    eventually(lambda: Report.objects.get(pk=report.pk).operating_cost == 2_500_000)
    eventually(lambda: Report.objects.get(pk=report.pk).alumni_tidak_terlacak == 2)
    expect(page.locator("#save-status")).to_contain_text("Terakhir disimpan")
    # A reload shows what was saved on the server.
    page.reload()
    expect(page.locator("#id_alumni_bekerja")).to_have_value("5")
    expect(page.locator("#id_operating_cost")).to_have_value("2.500.000")
    no_sideways_scroll(page)
    shot(page, "reporting-02-edit-phone")

    page.click("#go-submit")
    expect(page.locator("body")).to_contain_text("Semua isian wajib sudah lengkap")
    page.click("#submit-report")
    expect(page.locator(".report-status").first).to_have_text("Diajukan")
    eventually(lambda: Report.objects.get(pk=report.pk).status == "submitted")
    assert any(world.reviewer.email in m.to for m in mail.outbox)

    # --- the regional reviewer returns it with a reason ------------------------------------------
    switch_user(page, login, world.reviewer)
    page.goto(f"{live_server.url}/laporan/antrean/")
    item = page.locator(".queue-item", has_text=world.centre_a.name)
    expect(item).to_be_visible()
    shot(page, "reporting-03-queue-phone")
    item.click()
    page.click("#return-btn")
    page.click("#reason-submit")  # empty reason: refused
    expect(page.locator(".errorlist").first).to_contain_text("wajib diisi")
    page.fill("#id_reason", "Jumlah alumni bekerja belum sesuai daftar penempatan; mohon dicek.")
    page.click("#reason-submit")
    expect(page).to_have_url(re.compile(r"/laporan/antrean/"))  # one click back to the queue
    eventually(lambda: Report.objects.get(pk=report.pk).status == "returned")
    assert any(world.manager_a.email in m.to and "belum sesuai" in m.body for m in mail.outbox)

    # --- the manager sees the reason, fixes and resubmits ----------------------------------------
    switch_user(page, login, world.manager_a)
    returned = page.locator("#manager-todo .todo-returned")
    expect(returned).to_contain_text("belum sesuai daftar penempatan")
    shot(page, "reporting-04-returned-home-phone")
    returned.locator("a").click()
    expect(page.locator("#return-reason")).to_contain_text("belum sesuai daftar penempatan")
    page.fill("#id_alumni_bekerja", "4")
    page.fill("#id_alumni_belum_bekerja", "4")
    eventually(lambda: Report.objects.get(pk=report.pk).alumni_belum_bekerja == 4)
    page.click("#go-submit")
    page.click("#submit-report")
    expect(page.locator(".report-status").first).to_have_text("Diajukan")

    # --- the reviewer verifies -------------------------------------------------------------------
    switch_user(page, login, world.reviewer)
    page.goto(f"{live_server.url}/laporan/antrean/")
    page.locator(".queue-item", has_text=world.centre_a.name).click()
    page.click("#verify-btn")
    expect(page).to_have_url(re.compile(r"/laporan/antrean/"))
    expect(page.locator(".alert-success")).to_contain_text("diverifikasi")

    # --- the directorate approves ----------------------------------------------------------------
    switch_user(page, login, world.directorate)
    page.goto(f"{live_server.url}/laporan/antrean/")
    page.locator(".queue-item", has_text=world.centre_a.name).click()
    page.click("#approve-btn")
    expect(page.locator(".alert-success")).to_contain_text("disetujui")
    eventually(lambda: Report.objects.get(pk=report.pk).status == "approved")

    # --- the manager requests a correction -------------------------------------------------------
    switch_user(page, login, world.manager_a)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    page.click("#correction-btn")
    page.fill("#id_reason", "Satu alumni ternyata sudah diterima bekerja di bengkel las.")
    page.click("#reason-submit")
    expect(page.locator("#correction")).to_contain_text("Menunggu keputusan")

    switch_user(page, login, world.reviewer)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    page.click("#correction-approve")
    expect(page.locator("#correction")).to_contain_text("Diizinkan")

    switch_user(page, login, world.manager_a)
    page.goto(f"{live_server.url}/laporan/{report.pk}/isi/")
    page.fill("#id_alumni_bekerja", "5")
    page.fill("#id_alumni_belum_bekerja", "3")
    eventually(lambda: Report.objects.get(pk=report.pk).alumni_belum_bekerja == 3)
    page.click("#go-submit")
    page.click("#submit-report")
    expect(page.locator(".report-status").first).to_have_text("Diajukan")

    # --- the reviewer sees exactly what changed --------------------------------------------------
    switch_user(page, login, world.reviewer)
    page.goto(f"{live_server.url}/laporan/{report.pk}/")
    diff = page.locator("#correction-diff")
    expect(diff).to_contain_text("Alumni bekerja")
    expect(diff.locator("tbody tr")).to_have_count(2)
    expect(diff.locator("tbody tr", has_text="Alumni bekerja")).to_contain_text("4")
    expect(diff.locator("tbody tr", has_text="Alumni bekerja")).to_contain_text("5")
    no_sideways_scroll(page)
    shot(page, "reporting-05-correction-diff-phone")
    page.click("text=Riwayat")
    expect(page.locator("#history")).to_contain_text("Dikembalikan")
    expect(page.locator("#history")).to_contain_text("Koreksi diizinkan")
    shot(page, "reporting-06-history-phone")
