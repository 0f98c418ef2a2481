"""Celery tasks of the communication app: ids in, re-read, e-mail out in batches."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

BATCH = 100
NOTICE_EVERY = dt.timedelta(hours=1)


def _url(name, *args):
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=args)


def _send_batched(subject: str, body: str, emails: list[str]) -> int:
    """One message per recipient (addresses stay private), sent over one connection per batch."""
    sent = 0
    for start in range(0, len(emails), BATCH):
        batch = [EmailMessage(subject, body, None, [to]) for to in emails[start : start + BATCH]]
        with get_connection() as connection:
            sent += connection.send_messages(batch) or 0
    return sent


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_announcement_emails(announcement_id: int) -> int:
    """E-mail a live announcement to everyone it addresses, once."""
    from . import selectors
    from .models import Announcement

    now = timezone.now()
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update()
            .filter(selectors.live_q(now), pk=announcement_id, emailed_at__isnull=True)
            .first()
        )
        if announcement is None:
            return 0
        Announcement.objects.filter(pk=announcement.pk).update(emailed_at=now)
    emails = sorted(set(selectors.recipients(announcement).values_list("email", flat=True)))
    with translation.override(settings.LANGUAGE_CODE):
        context = {"announcement": announcement, "url": _url("communication:announcement_detail", announcement.pk)}
        subject = render_to_string("communication/email/announcement_subject.txt", context).strip()
        body = render_to_string("communication/email/announcement.txt", context)
    return _send_batched(subject.replace("\n", " "), body, emails)


@shared_task
def send_due_announcements() -> int:
    """Beat: scheduled announcements whose time has come and were not e-mailed yet."""
    from . import selectors
    from .models import Announcement

    ids = list(
        Announcement.objects.filter(selectors.live_q(), emailed_at__isnull=True).values_list("pk", flat=True)[:50]
    )
    for pk in ids:
        send_announcement_emails.delay(pk)
    return len(ids)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_conversation(conversation_id: int, message_id: int) -> int:
    """Notice of a new message to the other participants, at most once per conversation per hour."""
    from blkportal.registry import access
    from blkportal.registry.models import Role

    from .models import Conversation, Message

    now = timezone.now()
    claimed = Conversation.objects.filter(
        Q(last_notified_at__isnull=True) | Q(last_notified_at__lte=now - NOTICE_EVERY), pk=conversation_id
    ).update(last_notified_at=now)
    if not claimed:
        return 0
    conversation = Conversation.objects.select_related("centre").get(pk=conversation_id)
    message = Message.objects.select_related("author").filter(pk=message_id).first()
    if message is None:
        return 0
    people = set(access.users_with_role(Role.MANAGER, centre_id=conversation.centre_id))
    if conversation.counterpart == Conversation.With.REVIEWERS:
        people |= set(access.users_with_role(Role.REVIEWER, province_id=conversation.centre.province_id))
    else:
        people |= set(access.users_with_role(Role.DIRECTORATE))
    emails = sorted({u.email for u in people if u.email and u.pk != message.author_id})
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "conversation": conversation,
            "message": message,
            "url": _url("communication:conversation_detail", conversation.pk),
        }
        subject = render_to_string("communication/email/message_subject.txt", context).strip()
        body = render_to_string("communication/email/message.txt", context)
    return _send_batched(subject.replace("\n", " "), body, emails)
