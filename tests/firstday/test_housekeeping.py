"""Issue 12, points 2 and 10: the login message, the favicon, links in e-mails, a quiet console."""

import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core import mail
from django.test import Client
from django.urls import reverse

from reporting import services
from tests.reporting.conftest import fill

ROOT = Path(__file__).resolve().parents[2]


def test_login_failure_message_reads_properly(world):
    response = Client().post(reverse("login"), {"username": "manager_a", "password": "salah-sekali"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "nama pengguna nama pengguna" not in text
    assert "Nama pengguna atau kata sandi salah." in text


def test_pages_link_a_favicon_that_exists(world):
    page = Client().get(reverse("login")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert finders.find("favicon.svg")
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def _return_report(world, last_month, capture, **extra):
    report = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    world.manager_a.email = "manager@example.test"
    world.manager_a.save()
    report = fill(report, world.manager_a)
    services.report_submit(report=report, by=world.manager_a, expected_version=report.version, explanation="")
    client = Client()
    client.force_login(world.reviewer)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            reverse("reporting:report_return", args=[report.pk]),
            {"reason": "Angka alumni belum sesuai data angkatan."},
            **extra,
        )
    assert response.status_code == 302
    return report


def test_email_links_follow_the_host_the_portal_runs_on(
    world, last_month, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = ""
    report = _return_report(world, last_month, django_capture_on_commit_callbacks, HTTP_HOST="localhost:8107")
    body = mail.outbox[-1].body
    assert f"http://localhost:8107/laporan/{report.pk}/" in body
    assert "127.0.0.1:8000" not in body


def test_email_links_use_portal_base_url_when_set(world, last_month, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://blkk.example.go.id/"
    report = _return_report(world, last_month, django_capture_on_commit_callbacks, HTTP_HOST="localhost:8107")
    assert f"https://blkk.example.go.id/laporan/{report.pk}/" in mail.outbox[-1].body


def test_management_commands_print_no_axes_banner():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert "AXES: BEGIN" not in result.stdout + result.stderr


def test_make_run_keeps_celery_to_warnings():
    script = (ROOT / "scripts" / "serve.sh").read_text()
    celery_lines = [line for line in script.splitlines() if "celery -A" in line]
    assert len(celery_lines) == 2
    for line in celery_lines:
        assert "--loglevel WARNING" in line and "--quiet" in line


def test_tasks_run_in_process_log_no_english_success_lines():
    import logging

    assert logging.getLogger("celery.app.trace").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("axes").getEffectiveLevel() >= logging.WARNING
