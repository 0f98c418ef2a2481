"""Celery beat entries of the communication app (merged by blkportal/celery.py)."""

BEAT_SCHEDULE = {
    "communication-due-announcements": {
        "task": "communication.tasks.send_due_announcements",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
}
