"""Drafts survive a reload and a dropped connection; two tabs cannot overwrite each other."""

import time

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from blkportal.core.months import add_months, first_of_month
from reporting import services
from reporting.models import Report
from tests.browser.conftest import PHONE

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


@pytest.fixture
def draft(world):
    period = add_months(first_of_month(timezone.localdate()), -1)
    return services.report_get_or_create_draft(centre=world.centre_a, period=period, by=world.manager_a)


def test_two_tabs_the_later_save_is_refused_and_nothing_is_lost(page, world, login, live_server, draft, shot):
    page.set_viewport_size(PHONE)
    login(page, world.manager_a)
    url = f"{live_server.url}/laporan/{draft.pk}/isi/"
    page.goto(url)
    other = page.context.new_page()
    other.set_viewport_size(PHONE)
    other.goto(url)

    page.fill("#id_alumni_bekerja", "7")
    eventually(lambda: Report.objects.get(pk=draft.pk).alumni_bekerja == 7)
    other.fill("#id_alumni_bekerja", "9")
    expect(other.locator("#save-error")).to_contain_text("sudah diubah di tab lain")
    expect(other.locator("#id_alumni_bekerja")).to_have_value("9")  # the typing stays on screen
    shot(other, "reporting-stale-tab-phone")
    eventually(lambda: Report.objects.get(pk=draft.pk).alumni_bekerja == 7)  # the first save is intact


def test_a_dropped_connection_keeps_the_typing_and_saves_it_later(page, world, login, live_server, draft, shot):
    page.set_viewport_size(PHONE)
    login(page, world.manager_a)
    page.goto(f"{live_server.url}/laporan/{draft.pk}/isi/")
    page.route("**/simpan/", lambda route: route.abort("internetdisconnected"))
    page.fill("#id_alumni_studi", "4")
    expect(page.locator("#save-status")).to_contain_text("koneksi terputus")
    shot(page, "reporting-offline-phone")
    eventually(lambda: Report.objects.get(pk=draft.pk).alumni_studi is None)

    # The tab is reloaded (or reopened) while saving still fails: the typing comes back.
    page.reload()
    expect(page.locator("#id_alumni_studi")).to_have_value("4")
    expect(page.locator("#save-status")).to_contain_text("koneksi terputus")

    # The connection returns: the pending save goes through.
    page.unroute("**/simpan/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    eventually(lambda: Report.objects.get(pk=draft.pk).alumni_studi == 4)
    expect(page.locator("#save-status")).to_contain_text("Terakhir disimpan")
