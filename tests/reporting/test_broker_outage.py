"""Redis down, then back (issue "keep working when a part fails"): every write answers success while
the broker and the cache are away; the fact refreshes and e-mail notices recorded in the outbox run
once Redis returns, within 30 s, without a rebuild.

A real redis-server of its own on 127.0.0.1:6390 (stopped and restarted inside the test), a real
Celery worker with beat, PostgreSQL (DATABASE_URL). Skips when they are missing, except in CI.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from blkportal.core.models import OutboxTask
from monitoring.models import CentreMonth
from reporting.models import Report
from tests.monitoring.test_celery_worker_exports import _database_url, _require

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("OUTAGE_REDIS_PORT", "6390"))
URL = f"redis://127.0.0.1:{PORT}/0"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _redis(*args) -> subprocess.CompletedProcess:
    return subprocess.run(["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, timeout=10)


def _start_redis():
    subprocess.run(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--daemonize", "yes"],
        check=True,
        timeout=10,
    )
    for _ in range(50):
        if _redis("ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def _stop_redis():
    _redis("shutdown", "nosave")
    for _ in range(50):
        if _redis("ping").stdout.strip() != "PONG":
            return
        time.sleep(0.1)


@pytest.fixture
def own_redis(settings, monkeypatch):
    _require(shutil.which("redis-server") is not None, "redis-server is not installed")
    _require(connection.vendor == "postgresql", "the outage test needs PostgreSQL (set DATABASE_URL)")
    if _redis("ping").stdout.strip() != "PONG":
        _start_redis()
    _redis("flushall")
    from blkportal.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "blkportal.core.cache.FailSoftRedisCache",
            "LOCATION": URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app.conf, "broker_url", URL)
    monkeypatch.setattr(app.conf, "broker_transport_options", settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    monkeypatch.setattr(app, "_pool", None)
    app.__dict__.pop("connection_for_write", None)
    yield
    _stop_redis()
    monkeypatch.setattr(app, "_pool", None)


@pytest.fixture
def worker(settings, tmp_path):
    procs = []

    def start():
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": URL,
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "blkportal.settings",
            "DB_CONN_MAX_AGE": "0",
            "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",  # four slashes: an absolute path
        }
        env.pop("PORTAL_TEST_TODAY", None)
        env.pop("DATABASE_REPLICA_URL", None)  # the worker reads the test database on the primary
        log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "blkportal", "worker", "-B"]
            + ["-s", str(tmp_path / "beat-schedule"), "--scheduler", "celery.beat:PersistentScheduler"]
            + ["-Q", "default,facts,exports", "--concurrency", "1", "--without-gossip", "--without-mingle"]
            + ["--loglevel", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append((proc, log))
        return proc, log

    yield start
    for proc, log in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_writes_succeed_while_redis_is_down_and_everything_catches_up_after(
    world, filled, own_redis, worker, client_for, tmp_path
):
    report = filled
    _stop_redis()
    assert _redis("ping").stdout.strip() != "PONG"

    manager, reviewer, directorate = client_for("manager_a"), client_for("reviewer"), client_for("directorate")
    report.refresh_from_db()
    before = list(OutboxTask.objects.values_list("pk", "touched_at"))
    # Autosave of a draft: saved, acknowledged, and no fact refresh (a draft's values are not counted).
    response = manager.post(
        reverse("reporting:report_autosave", args=[report.pk]),
        {"version": report.version, "notes": "disimpan saat Redis mati"},
        **HTMX,
    )
    assert response.status_code == 200 and "Terakhir disimpan" in response.content.decode()
    report.refresh_from_db()
    assert report.notes == "disimpan saat Redis mati"
    assert list(OutboxTask.objects.values_list("pk", "touched_at")) == before

    response = manager.post(reverse("reporting:report_submit", args=[report.pk]), {"version": report.version})
    assert response.status_code == 302
    response = reviewer.post(reverse("reporting:report_verify", args=[report.pk]))
    assert response.status_code == 302
    response = directorate.post(reverse("reporting:report_approve", args=[report.pk]))
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == Report.Status.APPROVED
    # Pages built from the cache fall back to the database.
    assert directorate.get(reverse("home")).status_code == 200
    assert directorate.get(reverse("monitoring:dashboard")).status_code == 200

    # Nothing ran, nothing was lost: the refresh (coalesced to one row) and two notices wait.
    pending = list(OutboxTask.objects.values_list("task", "key"))
    facts_key = f"facts:{report.centre_id}:{report.period.isoformat()}"
    assert [k for _t, k in pending if k == facts_key] == [facts_key]
    notices = [t for t, _k in pending if t == "reporting.tasks.send_report_notice"]
    assert len(notices) == 2  # submitted (to the reviewers) and approved (to the managers)

    # Redis returns; the worker (with beat) drains the outbox: no rebuild, no kick from a request.
    _start_redis()
    proc, log = worker()
    started = time.monotonic() + 90
    while time.monotonic() < started and proc.poll() is None:
        log.seek(0)
        if " ready." in log.read():
            break
        time.sleep(0.2)
    # From the moment a worker is up: 30 s.
    deadline = time.monotonic() + 30
    fact = None
    while time.monotonic() < deadline and proc.poll() is None:
        fact = CentreMonth.objects.filter(centre_id=report.centre_id, month=report.period).first()
        mails = list((tmp_path / "mail").glob("*")) if (tmp_path / "mail").exists() else []
        if fact and fact.state == Report.Status.APPROVED and len(mails) >= 2 and not OutboxTask.objects.exists():
            break
        time.sleep(0.5)
    log.seek(0)
    output = log.read()[-4000:]
    assert fact is not None and fact.state == Report.Status.APPROVED, output
    mails = sorted(p.read_text() for p in (tmp_path / "mail").glob("*"))
    assert len(mails) == 2, output
    assert any("diajukan" in m.lower() for m in mails) and any("disetujui" in m.lower() for m in mails), mails
    assert not OutboxTask.objects.exists(), list(OutboxTask.objects.values("task", "key", "last_error"))
