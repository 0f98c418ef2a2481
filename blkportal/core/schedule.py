"""Periodic tasks of the core (merged into Celery beat by blkportal/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Imports: delete the files of dry runs nobody confirmed in time, hourly.
    "core-import-expire": {"task": "core.import_expire_old", "schedule": crontab(minute=23)},
    # The outbox relay: publishes what a commit's kick could not (broker down, kick lost).
    "core-outbox-relay": {
        "task": "core.outbox_relay",
        "schedule": 10.0,
        "options": {"queue": "facts", "expires": 30},
    },
}
