"""Celery tasks of the reporting app: ids in, re-read, one job out."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from blkportal.core import links

from . import notify


@shared_task(
    name="reporting.tasks.send_report_notice",
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def send_report_notice(kind: str, report_id: int, actor_id: int | None = None, object_id: int | None = None):
    """One notice e-mail about a report to the side that should act on it."""
    from .models import CorrectionRequest, Report, ReportComment

    report = Report.objects.select_related("centre__province").filter(pk=report_id).first()
    if report is None:
        return 0
    centre = report.centre
    to_reviewers = notify.province_reviewers(centre.province_id)
    to_managers = notify.centre_managers(centre.pk)
    extra = {}
    if kind in ("submitted", "correction_requested"):
        recipients = notify.emails(to_reviewers, actor_id)
    elif kind == "comment":
        comment = ReportComment.objects.select_related("author").filter(pk=object_id).first()
        if comment is None:
            return 0
        recipients = notify.emails(to_reviewers if comment.from_centre else to_managers, actor_id)
        extra["comment"] = comment
    else:
        recipients = notify.emails(to_managers, actor_id)
    if kind in ("correction_requested", "correction_decided"):
        extra["correction"] = CorrectionRequest.objects.filter(pk=object_id).first()
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "centre": centre,
            "url": links.absolute(reverse("reporting:report_detail", args=[report.pk])),
            **extra,
        }
        subject = render_to_string(f"reporting/email/{kind}_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string(f"reporting/email/{kind}.txt", context)
    return send_mail(subject, body, None, recipients)


@shared_task
def send_deadline_reminders():
    """Daily: reminders before, on and after the deadline; the late list to reviewers."""
    from .services.reminders import reminders_send

    return reminders_send()
