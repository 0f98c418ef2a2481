"""Periodic tasks of the core (merged into Celery beat by blkportal/celery.py)."""

BEAT_SCHEDULE = {
    # The outbox relay: publishes what a commit's kick could not (broker down, kick lost).
    "core-outbox-relay": {
        "task": "core.outbox_relay",
        "schedule": 10.0,
        "options": {"queue": "facts", "expires": 30},
    },
}
