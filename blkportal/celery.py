"""Celery application. Tasks are an interface: ids in, re-fetch, call one service.

Periodic tasks: each app may define BEAT_SCHEDULE (a dict in Celery's beat_schedule format) in
<app>/schedule.py; they are merged here, so no app edits this file to add a schedule.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blkportal.settings")

app = Celery("blkportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _merge_app_schedules(sender, **kwargs):
    from blkportal.plugins import modules

    schedule = dict(sender.conf.beat_schedule or {})
    for module in modules("schedule"):
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
