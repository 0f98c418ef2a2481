"""An export end to end through a real Celery worker and Redis (issue 5, "Done when").

Needs REDIS_URL and PostgreSQL (DATABASE_URL): the worker is a separate process and must see the
test database. Skips with the reason when they are missing, except in CI (CI=true), where a missing
service is a failure. Queue names are unique per run, so parallel runs never take each other's tasks.
"""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from monitoring import services_exports
from monitoring.models import ExportJob, ExportStatus
from reporting.models import Report
from tests.monitoring.test_export_helpers import as_dicts, make_reports, read_xlsx

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run the real-worker test)")
    pytest.skip(reason)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s.get("USER") or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture
def worker_queues(settings, monkeypatch):
    """Start `celery worker` on unique queues against the test database; stop it afterwards."""
    redis_url = os.environ.get("REDIS_URL", "")
    _require(bool(redis_url), "REDIS_URL is not set: no Redis for a real Celery worker")
    _require(connection.vendor == "postgresql", "the real-worker test needs PostgreSQL (set DATABASE_URL)")
    from blkportal.celery import app
    from blkportal.core.tasks import outbox_relay, outbox_run
    from monitoring.tasks_exports import export_run_task

    prefix = f"t{uuid.uuid4().hex[:10]}"
    queues = {name: f"{prefix}-{name}" for name in ("exports", "default", "facts")}
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    monkeypatch.setattr(app.conf, "task_default_queue", queues["default"])
    monkeypatch.setattr(export_run_task, "queue", queues["exports"])
    # The outbox relay publishes the job; it and the runner of coalesced tasks use the facts queue.
    monkeypatch.setattr(outbox_relay, "queue", queues["facts"])
    monkeypatch.setattr(outbox_run, "queue", queues["facts"])
    # Celery caches a task's routing options on first use (an eager run in an earlier test counts).
    for task in (export_run_task, outbox_relay, outbox_run):
        monkeypatch.setattr(task, "_exec_options", None)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "blkportal.settings",
        "DB_CONN_MAX_AGE": "0",
    }
    env.pop("DATABASE_REPLICA_URL", None)  # the worker reads the test database on the primary
    log = open(Path(str(settings.PRIVATE_MEDIA_ROOT)).parent / "worker.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "blkportal",
            "worker",
            "-Q",
            ",".join(queues.values()),
            "-n",
            f"{prefix}@%h",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_export_runs_through_a_real_worker(world, worker_queues):
    proc, log = worker_queues
    make_reports(world)
    job = services_exports.export_request(
        by=world.directorate, kind="reports", parameters={"period_from": "2024-01", "period_to": "2024-03"}
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished or proc.poll() is not None:
            break
        time.sleep(0.3)
    log.seek(0)
    assert job.status == ExportStatus.DONE, (
        f"status {job.status} {job.error_message}\nworker log:\n{log.read()[-4000:]}"
    )
    assert job.progress == 100
    rows = as_dicts(read_xlsx(job).worksheets[0])
    expected = Report.objects.filter(period__range=(dt.date(2024, 1, 1), dt.date(2024, 3, 1)))
    assert job.row_count == len(rows) == expected.count() == 8
    assert {r["ID laporan"]: r["Pendapatan mandiri (Rp)"] for r in rows} == {r.pk: r.own_income for r in expected}
    # The worker, not this process, did the work.
    log.seek(0)
    assert "monitoring.export_run[" in log.read()
    assert ExportJob.objects.filter(pk=job.pk, started_at__isnull=False).exists()
