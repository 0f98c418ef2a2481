"""Exports when a worker or the database fails: lost jobs are failed with a retry button within
minutes, a job that never started holds no slot, no temporary file stays behind."""

import datetime as dt
import os

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from monitoring import services_exports
from monitoring.exporters import base
from monitoring.models import ExportJob, ExportStatus
from tests.monitoring.test_export_helpers import make_reports

pytestmark = pytest.mark.django_db


def test_a_job_that_never_started_does_not_hold_a_slot(world, client_for, settings):
    old = timezone.now() - dt.timedelta(minutes=services_exports.QUEUED_SLOT_MINUTES + 1)
    for _ in range(settings.EXPORT_MAX_OPEN_JOBS):
        ExportJob.objects.create(owner=world.fkn, kind="tenants", created_at=old)
    response = client_for("fkn").post(reverse("monitoring:export_list"), {"kind": "tenants", "file_format": "xlsx"})
    assert response.status_code == 302
    assert ExportJob.objects.filter(owner=world.fkn).count() == settings.EXPORT_MAX_OPEN_JOBS + 1


def test_a_job_whose_worker_vanished_is_failed_within_minutes_and_can_be_retried(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    make_reports(world)
    settings.EXPORT_HEARTBEAT_TIMEOUT = 120
    now = timezone.now()
    job = ExportJob.objects.create(
        owner=world.fkn_jabar,
        kind="reports",
        parameters={"period_from": "2024-01", "period_to": "2024-03"},
        status=ExportStatus.RUNNING,
        progress=25,
        started_at=now - dt.timedelta(minutes=3),
        heartbeat_at=now - dt.timedelta(minutes=3),
    )
    partial = services_exports._partial_path(job.pk)
    os.makedirs(os.path.dirname(partial), exist_ok=True)
    with open(partial, "wb") as f:
        f.write(b"half a workbook")
    fresh = ExportJob.objects.create(
        owner=world.fkn_jabar, kind="tenants", status=ExportStatus.RUNNING, heartbeat_at=now - dt.timedelta(seconds=20)
    )

    from monitoring.tasks_exports import export_sweep_task

    assert export_sweep_task.delay().get() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "terhenti" in job.error_message
    assert fresh.status == ExportStatus.RUNNING  # its worker is alive
    assert not os.path.exists(partial)
    client = client_for("fkn_jabar")
    assert client.get(reverse("monitoring:export_download", args=[job.pk])).status_code == 404
    page = client.get(reverse("monitoring:export_list")).content.decode()
    assert reverse("monitoring:export_retry", args=[job.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:export_retry", args=[job.pk]))
    assert response.status_code == 302
    again = ExportJob.objects.filter(owner=world.fkn_jabar, kind="reports").exclude(pk=job.pk).get()
    assert again.parameters == job.parameters
    assert again.status == ExportStatus.DONE  # eager in tests: it ran on commit
    # A job that did not fail cannot be "retried" into a duplicate.
    client.post(reverse("monitoring:export_retry", args=[again.pk]))
    assert ExportJob.objects.filter(owner=world.fkn_jabar, kind="reports").count() == 2


def test_a_redelivered_job_starts_over_and_leaves_no_temporary_file(world):
    make_reports(world)
    job = ExportJob.objects.create(
        owner=world.directorate,
        kind="reports",
        parameters={"period_from": "2024-01", "period_to": "2024-03"},
        status=ExportStatus.RUNNING,
        progress=40,
        attempts=1,
    )
    partial = services_exports._partial_path(job.pk)
    os.makedirs(os.path.dirname(partial), exist_ok=True)
    with open(partial, "wb") as f:
        f.write(b"left by a killed worker")
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE and job.attempts == 2 and job.row_count == 8
    assert not os.path.exists(partial)
    assert os.listdir(os.path.dirname(partial)) == []


def test_a_job_interrupted_too_often_is_failed_not_looped(world):
    job = ExportJob.objects.create(
        owner=world.fkn, kind="tenants", status=ExportStatus.RUNNING, attempts=services_exports.MAX_ATTEMPTS
    )
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED and "berulang kali" in job.error_message


def test_a_failing_writer_leaves_no_temporary_file(world, monkeypatch):
    make_reports(world)

    def broken(exporter, path, progress):
        with open(path, "wb") as f:
            f.write(b"partial")
        raise MemoryError("simulated")

    monkeypatch.setitem(base.WRITERS, "xlsx", broken)
    monkeypatch.setattr(services_exports, "WRITERS", base.WRITERS)
    job = ExportJob.objects.create(owner=world.fkn, kind="tenants")
    assert services_exports.export_run(job_id=job.pk).status == ExportStatus.FAILED
    assert not os.path.exists(services_exports._partial_path(job.pk))


@pytest.mark.django_db(transaction=True)
def test_fail_does_not_reuse_a_dead_connection(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (a server-side terminated connection)")
    import psycopg

    make_reports(world)
    s = connection.settings_dict

    def killer(exporter, path, progress):
        pid = connection.connection.info.backend_pid
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"], autocommit=True
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        raise ValueError("the writer failed while the database connection was cut")

    monkeypatch.setitem(base.WRITERS, "xlsx", killer)
    job = ExportJob.objects.create(owner=world.fkn, kind="tenants")
    services_exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "kesalahan" in job.error_message
