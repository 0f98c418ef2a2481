"""Refuse to serve a wrong deploy: unknown DJANGO_ENV, unapplied migrations (web and worker), and a
/sehat/ that says what is wrong with a 503."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from blkportal.core import deploy
from blkportal.core.models import OutboxTask
from tests.test_settings_production import SETUP, production_env, run

PRINT = SETUP + "; from django.conf import settings; print(settings.DJANGO_ENV, settings.DEBUG, settings.PRODUCTION)"


@pytest.mark.parametrize("value", ["Production", "PRODUCTION", " production "])
def test_django_env_is_case_insensitive(value):
    result = run([sys.executable, "-c", PRINT], production_env(DJANGO_ENV=value))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["production", "False", "True"]


@pytest.mark.parametrize("value", ["prod", "produktion", "staging", "dev"])
def test_unknown_django_env_is_refused(value):
    result = run([sys.executable, "-c", PRINT], production_env(DJANGO_ENV=value))
    assert result.returncode != 0
    assert f"DJANGO_ENV='{value}' is not one of development, test, production" in result.stderr


@pytest.fixture
def empty_database(tmp_path):
    return f"sqlite:///{tmp_path / 'behind.sqlite3'}"


def test_web_process_refuses_to_start_with_unapplied_migrations(empty_database):
    env = production_env(DATABASE_URL=empty_database)
    result = run([sys.executable, "-c", "import blkportal.wsgi"], env)
    assert result.returncode != 0
    assert "Refusing to start the web process" in result.stderr
    assert "Run `manage.py migrate` first." in result.stderr


def test_worker_refuses_to_start_with_unapplied_migrations(empty_database):
    celery = str(Path(sys.executable).parent / "celery")
    env = production_env(DATABASE_URL=empty_database)
    result = run([celery, "-A", "blkportal", "worker", "--pool", "solo", "--without-mingle"], env)
    assert result.returncode != 0
    assert "Refusing to start the Celery worker" in result.stdout + result.stderr


def test_migrated_production_database_starts(tmp_path):
    db = f"sqlite:///{tmp_path / 'ok.sqlite3'}"
    env = production_env(DATABASE_URL=db)
    migrate = run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    assert migrate.returncode == 0, migrate.stderr
    result = run([sys.executable, "-c", "import blkportal.wsgi; print('served')"], env)
    assert result.returncode == 0, result.stderr
    assert "served" in result.stdout


@pytest.mark.django_db
def test_health_reports_each_part(client, monkeypatch):
    monkeypatch.setattr(deploy, "_migrations_state", lambda: [])
    response = client.get(reverse("health"))
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "migrations", "redis", "facts"}
    assert checks["facts"]["pending_tasks"] == 0


@pytest.mark.django_db
def test_health_is_503_with_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(deploy, "_migrations_state", lambda: ["monitoring.0099_new"])
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "unapplied": ["monitoring.0099_new"]}


@pytest.mark.django_db
def test_health_is_503_when_redis_is_down(client, monkeypatch, settings):
    monkeypatch.setattr(deploy, "_migrations_state", lambda: [])
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


@pytest.mark.django_db
def test_health_is_503_when_fact_refreshes_wait_too_long(client, monkeypatch, settings):
    monkeypatch.setattr(deploy, "_migrations_state", lambda: [])
    settings.HEALTH_OUTBOX_MAX_AGE = 600
    row = OutboxTask.objects.create(
        task="monitoring.facts_refresh", args=[1, "2026-10-01"], available_at=timezone.now()
    )
    assert client.get(reverse("health")).status_code == 200
    OutboxTask.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    response = client.get(reverse("health"))
    assert response.status_code == 503
    facts = response.json()["checks"]["facts"]
    assert facts["pending_tasks"] == 1 and facts["oldest_pending_age_seconds"] >= 660


@pytest.mark.django_db
def test_health_checks_the_real_migration_state(client):
    response = client.get(reverse("health"))
    assert response.json()["checks"]["migrations"] == {"ok": True, "unapplied": []}
