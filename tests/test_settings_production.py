"""Production settings: refuse to start without secrets; `check --deploy` is clean with real values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3Y-" + "pr0duksi-BLK-komunitas-" * 3  # 73 characters, many distinct ones
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'blkportal.settings'); django.setup()"
# Variables a developer or CI may have set that must not leak into these runs.
DROP = {
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DJANGO_DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "STATICFILES_BACKEND",
}


def production_env(**values):
    env = {k: v for k, v in os.environ.items() if k not in DROP and not k.startswith(("DJANGO_", "NIK_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="blkk.kemnaker.go.id",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://blkk.kemnaker.go.id",
        NIK_HASH_KEY="kunci-hash-nik-produksi-yang-panjang",
        MONITORING_FIRST_MONTH="2026-01",
    )
    for key, value in values.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args, env):
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set (at least 50 characters) in production."),
        ({"DJANGO_SECRET_KEY": "kependekan"}, "DJANGO_SECRET_KEY must be set (at least 50 characters) in production."),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must be set in production."),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must be set in production."),
        ({"NIK_HASH_KEY": None}, "NIK_HASH_KEY must be set in production."),
        (
            {"MONITORING_FIRST_MONTH": None},
            "MONITORING_FIRST_MONTH (YYYY-MM, the go-live month) must be set in production.",
        ),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    result = run([sys.executable, "-c", SETUP], production_env(**missing))
    assert result.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_production_starts_with_every_value_and_is_locked_down():
    probe = (
        SETUP + "; from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS, s.EMAIL_BACKEND)"
    )
    result = run([sys.executable, "-c", probe], production_env(EMAIL_URL="smtp+tls://u:p@smtp.contoh.id:587"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False True True True True ['blkk.kemnaker.go.id'] django.core.mail.backends.smtp.EmailBackend"
    )


def test_check_deploy_is_clean_with_production_values():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_defaults_need_nothing():
    env = {k: v for k, v in os.environ.items() if k not in DROP and not k.startswith(("DJANGO_", "NIK_"))}
    result = run([sys.executable, "-c", SETUP + "; from django.conf import settings as s; print(s.DEBUG)"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_no_secret_in_the_repository():
    # The only keys in settings are the labelled local-development defaults.
    text = (BASE_DIR / "blkportal" / "settings.py").read_text()
    assert "insecure-local-development-key-not-for-production-use" in text
    assert not (BASE_DIR / ".env").exists() or ".env" in (BASE_DIR / ".gitignore").read_text()
