"""Refuse to serve a wrong deploy: the web process and the worker check, at start, that every
migration is applied (in production), and /sehat/ reports the parts the portal depends on."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


class UnappliedMigrations(SystemExit):
    pass


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations on disk that the database has not applied ("app.name")."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def refuse_if_unmigrated(process: str) -> None:
    """Exit with a clear message when migrations are unapplied (production only, see settings)."""
    if not settings.REFUSE_UNAPPLIED_MIGRATIONS:
        return
    missing = unapplied_migrations()
    connections.close_all()
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise UnappliedMigrations(
            f"Refusing to start the {process}: {len(missing)} database migration(s) not applied ({shown}). "
            "Run `manage.py migrate` first."
        )


_migrations_cache: dict = {"at": 0.0, "missing": None}


def _migrations_state() -> list[str]:
    """Cached for a minute per process: loading the migration graph costs ~0.1 s."""
    if _migrations_cache["missing"] is None or time.monotonic() - _migrations_cache["at"] > 60:
        _migrations_cache["missing"] = unapplied_migrations()
        _migrations_cache["at"] = time.monotonic()
    return _migrations_cache["missing"]


def health() -> tuple[bool, dict]:
    """Each check as {"ok": bool, ...}; the portal is healthy when every one is ok."""
    from django.utils import timezone

    checks: dict = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:  # noqa: BLE001 - report, never raise
        checks["database"] = {"ok": False, "error": type(exc).__name__}
        return False, checks
    try:
        missing = _migrations_state()
        checks["migrations"] = {"ok": not missing, "unapplied": missing}
    except Exception as exc:  # noqa: BLE001
        checks["migrations"] = {"ok": False, "error": type(exc).__name__}
    redis_url = settings.REDIS_URL
    if redis_url:
        try:
            import redis

            client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
            client.ping()
            client.close()
            checks["redis"] = {"ok": True}
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = {"ok": False, "error": type(exc).__name__}
    else:
        checks["redis"] = {"ok": True, "note": "not configured (tasks run in-process)"}
    try:
        from .models import Heartbeat, OutboxTask

        now = timezone.now()
        last = (
            Heartbeat.objects.filter(name__startswith="monitoring.facts_refresh")
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        oldest = OutboxTask.objects.order_by("created_at").values_list("created_at", flat=True).first()
        pending_age = (now - oldest).total_seconds() if oldest else 0
        checks["facts"] = {
            "ok": pending_age <= settings.HEALTH_OUTBOX_MAX_AGE,
            "last_refresh_age_seconds": round((now - last).total_seconds()) if last else None,
            "pending_tasks": OutboxTask.objects.count(),
            "oldest_pending_age_seconds": round(pending_age),
        }
    except Exception as exc:  # noqa: BLE001
        checks["facts"] = {"ok": False, "error": type(exc).__name__}
    return all(c["ok"] for c in checks.values()), checks
