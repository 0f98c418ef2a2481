"""A worker killed with SIGKILL in the middle of an export (as the out-of-memory killer does): the job
ends `done` on a retry or `failed` (with a retry button) within 2 minutes, and no partial file is
ever downloadable. Real Celery worker and Redis (REDIS_URL), PostgreSQL (DATABASE_URL)."""

import os
import signal
import subprocess
import time

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from monitoring import services_exports
from monitoring.models import ExportStatus
from tests.monitoring.test_celery_worker_exports import worker_queues  # noqa: F401 - fixture
from tests.monitoring.test_export_helpers import make_reports, read_xlsx

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_export_survives_its_worker_being_killed(world, worker_queues, client_for):  # noqa: F811
    proc, log = worker_queues
    make_reports(world)
    s = connection.settings_dict
    # Hold the reports table so the export blocks inside its run (status running, file half-written).
    blocker = psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"] or "postgres", dbname=s["NAME"]
    )
    blocker.execute("LOCK TABLE reporting_report IN ACCESS EXCLUSIVE MODE")
    try:
        job = services_exports.export_request(
            by=world.directorate, kind="reports", parameters={"period_from": "2024-01", "period_to": "2024-03"}
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == ExportStatus.RUNNING:
                break
            time.sleep(0.2)
        log.seek(0)
        from blkportal.core.models import OutboxTask

        assert job.status == ExportStatus.RUNNING, (list(OutboxTask.objects.values()), log.read()[-3000:])
        children = _pool_children(proc.pid)
        assert children, "no pool process found"
        time.sleep(1)
        client = client_for("directorate")
        assert client.get(reverse("monitoring:export_download", args=[job.pk])).status_code == 404
        for child in children:
            os.kill(child, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        services_exports.export_sweep()  # the beat task of every minute
        job.refresh_from_db()
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            break
        time.sleep(1)
    log.seek(0)
    output = log.read()[-4000:]
    assert job.status in (ExportStatus.DONE, ExportStatus.FAILED), output
    tmp = os.path.dirname(services_exports._partial_path(job.pk))
    assert not os.path.exists(tmp) or os.listdir(tmp) == []
    response = client.get(reverse("monitoring:export_download", args=[job.pk]))
    if job.status == ExportStatus.DONE:
        assert job.attempts >= 2, output  # it ran again after the kill
        assert response.status_code == 200
        assert read_xlsx(job).worksheets[0].max_row == 9  # header + 8 reports: complete
    else:
        assert response.status_code == 404
        page = client.get(reverse("monitoring:export_list")).content.decode()
        assert reverse("monitoring:export_retry", args=[job.pk]) in page
