"""Periodic tasks of monitoring (merged into Celery beat by blkportal/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Facts: the current month's expected rows exist from its first day (idempotent; daily so a
    # missed run is caught up the next day).
    "monitoring-facts-open-month": {
        "task": "monitoring.facts_open_month",
        "schedule": crontab(hour=0, minute=1),
        "options": {"queue": "facts"},
    },
    # Facts: full rebuild every night (then the live rankings from the fresh facts).
    "monitoring-facts-rebuild": {
        "task": "monitoring.facts_rebuild",
        "schedule": crontab(hour=1, minute=30),
        "options": {"queue": "facts"},
    },
    # Rankings: freeze the month before last on the 1st of each month, after the nightly rebuild.
    "monitoring-rankings-freeze": {
        "task": "monitoring.rankings_freeze",
        "schedule": crontab(day_of_month=1, hour=3, minute=0),
        "options": {"queue": "facts"},
    },
    # Exports: a job whose worker vanished is failed (with a retry button) within minutes.
    "monitoring-export-sweep": {
        "task": "monitoring.export_sweep",
        "schedule": 60.0,
        "options": {"queue": "default", "expires": 50},
    },
    # Exports: delete expired files hourly.
    "monitoring-export-expire": {
        "task": "monitoring.export_expire_old",
        "schedule": crontab(minute=17),
        "options": {"queue": "exports"},
    },
}
