"""Celery application. Tasks are an interface: ids in, re-fetch, call one service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blkportal.settings")

app = Celery("blkportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
