"""Celery beat entries of the reporting app (merged by blkportal/celery.py).

Reminders run once a day at 08:00 WIB (09:00 WITA, 10:00 WIT): the same calendar day in every
zone, so "3 days before", "on the day" and "3 days after" are each centre's own dates. A missed run
is caught up the next day (each kind has a window), and ReminderLog stops any second sending.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reporting-deadline-reminders": {
        "task": "reporting.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 6 * 3600},
    },
}
