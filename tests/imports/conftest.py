"""Imports of accounts, past reports and training batches: a fixed clock, jobs run as the worker
would run them, and spreadsheets built as people make them."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from blkportal.core.models import ImportJob

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# Every test here runs on this day: nothing depends on the real date.
TODAY = dt.datetime(2026, 3, 16, 10, 0, tzinfo=JAKARTA)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine, settings):
    time_machine.move_to(TODAY, tick=False)
    settings.MONITORING_FIRST_MONTH = "2025-06"


@pytest.fixture(autouse=True)
def _run_jobs(django_capture_on_commit_callbacks, monkeypatch):
    """Run the jobs queued in the outbox (eager in tests) when each request's transaction commits,
    as the worker would right after it."""
    from django.test import Client

    post = Client.post

    def post_and_run(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_run)


def sheet(headers: list[str], rows: list, *, title: str, name: str = "impor.xlsx", prepare=None) -> SimpleUploadedFile:
    """An .xlsx with one sheet: a header row, then rows (lists, or dicts keyed by header)."""
    book = Workbook()
    ws = book.active
    ws.title = title
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers] if isinstance(values, dict) else values)
    if prepare:
        prepare(book, ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, url: str, file) -> ImportJob:
    response = client.post(url, {"file": file})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("pk")
    job.refresh_from_db()
    return job


def confirm(client, job: ImportJob) -> ImportJob:
    response = client.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def problems(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in job.problems]


def page(client, job: ImportJob) -> str:
    return client.get(reverse("registry:import_job", args=[job.pk])).content.decode()
