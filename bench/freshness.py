"""Freshness: a verified report is approved while a real Celery worker runs; how long until the
monitoring fact, and then the centre dashboard served by gunicorn, show it (target ≤ 5 s)."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
APPROVED_BADGE = ">Disetujui<"


def _get(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def _start_worker() -> subprocess.Popen:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    log = open(ROOT / "var" / "bench" / "worker.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "blkportal",
            "worker",
            "-Q",
            "default,facts,exports",
            "-n",
            "bench@%h",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer a ping")


def measure() -> dict:
    from blkportal.celery import app
    from blkportal.registry.models import Role, RoleAssignment
    from monitoring.models import CentreMonth
    from reporting.models import Report
    from reporting.services.workflow import report_approve

    from .steps import bench_user, session_cookie

    user = bench_user()
    RoleAssignment.objects.get_or_create(user=user, role=Role.DIRECTORATE)
    report = (
        Report.objects.filter(status=Report.Status.VERIFIED).select_related("centre").order_by("-period", "pk").first()
    )
    if report is None:
        return {"skipped": "no verified report to approve"}
    app.control.purge()
    worker = _start_worker()
    try:
        _wait_ready(app)
        cookie = session_cookie()
        url = (
            f"http://127.0.0.1:{PORT}"
            + reverse("monitoring:dashboard_centre", args=[report.centre_id])
            + f"?month={report.period:%Y-%m}"
        )
        before = _get(url, cookie).count(APPROVED_BADGE)
        started = time.monotonic()
        report_approve(report=report, by=user)  # atomic; the fact refresh is enqueued on commit
        fact_seconds = page_seconds = None
        deadline = started + 30
        while time.monotonic() < deadline:
            if (
                fact_seconds is None
                and CentreMonth.objects.filter(
                    centre_id=report.centre_id, month=report.period, state="approved"
                ).exists()
            ):
                fact_seconds = time.monotonic() - started
            if fact_seconds is not None and _get(url, cookie).count(APPROVED_BADGE) > before:
                page_seconds = time.monotonic() - started
                break
            time.sleep(0.05)
        return {
            "report": report.pk,
            "where": f"centre dashboard of {report.centre.reg_code}, {report.period:%Y-%m}",
            "seconds_to_fact": None if fact_seconds is None else round(fact_seconds, 2),
            "seconds_to_page": None if page_seconds is None else round(page_seconds, 2),
            "target_seconds": 5,
        }
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
