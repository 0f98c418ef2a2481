"""Export requests are bounded per user: a few in progress at once and a number per hour, each with a
clear Indonesian message; other users are not affected."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from monitoring.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def post_export(client):
    return client.post(reverse("monitoring:export_list"), {"file_format": "xlsx", "kind": "tenants"})


def test_hourly_export_limit_per_user(world, client_for, settings, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA), tick=False)
    settings.EXPORT_MAX_PER_HOUR = 4
    client = client_for("fkn")
    for _ in range(4):
        # Each one finishes at once (eager tasks), so the in-progress limit never applies.
        with django_capture_on_commit_callbacks(execute=True):
            assert post_export(client).status_code == 302
    assert ExportJob.objects.filter(owner=world.fkn, status=ExportStatus.DONE).count() == 4
    refused = post_export(client)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "sudah meminta 4 ekspor dalam satu jam terakhir" in body and "setelah pukul 10:00" in body
    assert ExportJob.objects.filter(owner=world.fkn).count() == 4
    # Someone else may still export.
    assert post_export(client_for("directorate")).status_code == 302
    # An hour later the user may again.
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 1, tzinfo=JAKARTA), tick=False)
    assert post_export(client).status_code == 302


def test_in_progress_limit_comes_from_settings(world, client_for, settings):
    settings.EXPORT_MAX_OPEN_JOBS = 1
    ExportJob.objects.create(owner=world.fkn, kind="tenants")
    response = post_export(client_for("fkn"))
    assert "Masih ada 1 ekspor yang sedang diproses" in response.content.decode()
    assert ExportJob.objects.filter(owner=world.fkn).count() == 1
