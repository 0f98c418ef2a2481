"""Real browser: start an export from the page and watch the progress bar reach the download link.

The job runs in a background thread that starts a moment after the request (standing in for the
worker), so the page really shows the queued job and polls (htmx) until the link appears.
"""

import threading
import time
from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import expect

from monitoring.models import ExportJob
from tests.browser.conftest import PHONE, page_width
from tests.monitoring.test_export_helpers import make_reports

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_worker(monkeypatch):
    from django.db import connection

    from monitoring import services_exports
    from monitoring.tasks_exports import export_run_task

    threads = []

    def apply_async(args=(), kwargs=None, **options):
        (job_id,) = args

        def work():
            time.sleep(2)
            try:
                services_exports.export_run(job_id=job_id)
            finally:
                connection.close()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        threads.append(thread)

    # The outbox publishes the task with apply_async once the request's transaction commits.
    monkeypatch.setattr(export_run_task, "apply_async", apply_async)
    yield
    for thread in threads:
        thread.join(timeout=30)


def test_start_an_export_and_download_it_on_a_phone(page, world, login, live_server, shot, slow_worker):
    make_reports(world)
    page.set_viewport_size(PHONE)
    login(page, world.directorate)
    page.goto(f"{live_server.url}/monitoring/ekspor/")
    expect(page.locator("h1")).to_have_text("Ekspor data")
    expect(page.locator("#export-jobs-empty")).to_be_visible()

    # A malformed range is refused beside the field, and what was typed stays.
    page.select_option("#id_kind", "reports")
    page.fill("#id_period_from", "2024-03")
    page.fill("#id_period_to", "2024-01")
    page.click("#export-form button[type=submit]")
    expect(page.locator("#id_period_to_error")).to_contain_text("tidak boleh sebelum bulan awal")
    expect(page.locator("#id_period_from")).to_have_value("2024-03")
    assert not ExportJob.objects.exists()

    page.fill("#id_period_from", "2024-01")
    page.fill("#id_period_to", "2024-03")
    page.click("#export-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("antrean")
    job_row = page.locator(".export-job").first
    expect(job_row.locator(".progress")).to_be_visible()
    shot(page, "monitoring-export-progress-phone")

    download_link = job_row.locator("a.export-download")
    expect(download_link).to_be_visible(timeout=20_000)
    expect(job_row).to_contain_text("8 baris")
    expect(job_row.locator(".progress")).to_have_count(0)
    shot(page, "monitoring-export-done-phone")
    assert page_width(page) <= PHONE["width"] + 1

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert wb.worksheets[0].max_row == 9  # header + 8 reports
