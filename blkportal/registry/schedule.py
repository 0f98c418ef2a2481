"""Periodic tasks of the registry (listed in blkportal/celery.py)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Imports: delete the files of dry runs nobody confirmed in time, hourly.
    "registry-import-expire": {"task": "registry.import_expire_old", "schedule": crontab(minute=23)},
}
