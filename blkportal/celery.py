"""Celery application. Tasks are an interface: ids in, re-fetch, call one service.

Periodic tasks: an app with periodic tasks defines BEAT_SCHEDULE (a dict in Celery's beat_schedule
format) in <app>/schedule.py, and it is listed below.
"""

import os

from celery import Celery
from celery.signals import worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blkportal.settings")

app = Celery("blkportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unmigrated(**kwargs):
    from blkportal.core.deploy import refuse_if_unmigrated

    refuse_if_unmigrated("Celery worker")


@worker_ready.connect
def _relay_on_start(**kwargs):
    # A worker that (re)starts publishes what waited in the outbox at once, not at beat's next tick.
    from blkportal.core.outbox import kick

    kick()


@app.on_after_finalize.connect
def _beat_schedule(sender, **kwargs):
    """The periodic tasks of every app (imported once the app is finalized, when settings are loaded)."""
    import blkportal.core.schedule
    import communication.schedule
    import monitoring.schedule
    import reporting.schedule

    sender.conf.beat_schedule = {
        **(sender.conf.beat_schedule or {}),
        **blkportal.core.schedule.BEAT_SCHEDULE,
        **reporting.schedule.BEAT_SCHEDULE,
        **monitoring.schedule.BEAT_SCHEDULE,
        **communication.schedule.BEAT_SCHEDULE,
    }
