"""Conversations: participants by role and scope, unread counts, e-mail notice at most hourly."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.models import RoleAssignment
from communication import selectors, services
from communication.models import Conversation

pytestmark = pytest.mark.django_db


def start(world, by=None, **kw):
    return services.conversation_start(
        by=by or world.manager_a,
        centre=kw.pop("centre", world.centre_a),
        counterpart=kw.pop("counterpart", Conversation.With.REVIEWERS),
        subject=kw.pop("subject", "Pertanyaan formulir laporan"),
        body=kw.pop("body", "Bagian B diisi bagaimana?"),
        **kw,
    )


def test_manager_gets_404_on_another_centres_conversation(world, client_for):
    c = start(world)
    url = reverse("communication:conversation_detail", args=[c.pk])
    assert client_for("manager_a").get(url).status_code == 200
    assert client_for("manager_b").get(url).status_code == 404
    assert client_for("manager_b").post(url, {"body": "menyusup"}).status_code == 404
    assert c.messages.count() == 1
    with pytest.raises(DomainError):
        services.message_post(by=world.manager_b, conversation=c, body="x")
    with pytest.raises(DomainError):
        start(world, by=world.manager_b)  # not their centre


def test_reviewer_moved_to_another_province_loses_access(world, client_for):
    c = start(world)
    url = reverse("communication:conversation_detail", args=[c.pk])
    assert client_for("reviewer").get(url).status_code == 200
    RoleAssignment.objects.filter(user=world.reviewer).update(province_id="35")
    access.forget(world.reviewer)
    assert client_for("reviewer").get(url).status_code == 404
    assert not selectors.conversations_for(world.reviewer).exists()


def test_directorate_conversation_hidden_from_provincial_reviewer(world):
    c = start(world, counterpart=Conversation.With.DIRECTORATE)
    assert selectors.conversations_for(world.directorate).filter(pk=c.pk).exists()
    assert not selectors.conversations_for(world.reviewer).filter(pk=c.pk).exists()
    with pytest.raises(DomainError):
        start(world, by=world.reviewer, counterpart=Conversation.With.DIRECTORATE)
    # A reviewer starts one with a centre of their province.
    mine = start(world, by=world.reviewer, subject="Mohon lengkapi bukti")
    assert selectors.conversations_for(world.manager_a).filter(pk=mine.pk).exists()


def test_unread_count_in_navigation(world, client_for):
    c = start(world)
    assert selectors.unread_count(world.reviewer) == 1
    assert selectors.unread_count(world.manager_a) == 0
    assert "Pesan (1)" in client_for("reviewer").get(reverse("home")).content.decode()
    client_for("reviewer").get(reverse("communication:conversation_detail", args=[c.pk]))
    assert selectors.unread_count(world.reviewer) == 0
    services.message_post(by=world.reviewer, conversation=c, body="Lihat panduan hal. 3")
    assert selectors.unread_count(world.manager_a) == 1


def test_email_notice_at_most_once_per_hour(world, time_machine, django_capture_on_commit_callbacks):
    t0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)
    time_machine.move_to(t0, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        c = start(world)
    assert [m.to for m in mail.outbox] == [[world.reviewer.email]]
    time_machine.move_to(t0 + dt.timedelta(minutes=20), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(by=world.reviewer, conversation=c, body="Balasan")
    assert len(mail.outbox) == 1
    time_machine.move_to(t0 + dt.timedelta(minutes=61), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(by=world.reviewer, conversation=c, body="Balasan lagi")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [world.manager_a.email]


def test_linked_report_and_report_comments_in_the_list(world, client_for):
    from reporting.models import Report, ReportComment

    report = Report.objects.create(centre=world.centre_a, period=dt.date(2026, 1, 1))
    other = Report.objects.create(centre=world.centre_b, period=dt.date(2026, 1, 1))
    with pytest.raises(DomainError):
        start(world, report=other)
    c = start(world, report=report)
    assert c.report == report
    ReportComment.objects.create(report=report, author=world.reviewer, body="Mohon cek angka")
    ReportComment.objects.create(report=other, author=world.manager_b, body="Lainnya")
    html = client_for("manager_a").get(reverse("communication:conversation_list")).content.decode()
    assert reverse("reporting:report_detail", args=[report.pk]) in html
    assert reverse("reporting:report_detail", args=[other.pk]) not in html


def test_message_text_is_escaped(world, client_for):
    c = start(world, body="<img src=x onerror=alert(1)>")
    html = client_for("reviewer").get(reverse("communication:conversation_detail", args=[c.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
