"""Announcements: audiences, scheduling, read tracking, e-mail in batches, escaping."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from blkportal.core.errors import DomainError
from communication import selectors, services
from communication.models import Announcement

pytestmark = pytest.mark.django_db


def send(by, **kw):
    kw.setdefault("title", "Rapat koordinasi")
    kw.setdefault("body", "Isi pengumuman")
    kw.setdefault("all_provinces", False)
    kw.setdefault("province_codes", ["32"])
    return services.announcement_create(by=by, **kw)


def visible_to(user):
    return set(selectors.announcements_for(user).values_list("title", flat=True))


def test_centre_outside_the_audience_never_sees_it(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(world.directorate, title="Untuk Jawa Barat")
    assert visible_to(world.manager_a) == {"Untuk Jawa Barat"}
    assert visible_to(world.manager_b) == set()
    assert visible_to(world.manager_c) == set()
    # Not on the home page, not in the list, and its page is a 404 for the centre outside.
    a = Announcement.objects.get()
    home_b = client_for("manager_b").get(reverse("home"))
    assert "Untuk Jawa Barat" not in home_b.content.decode()
    assert client_for("manager_b").get(reverse("communication:announcement_detail", args=[a.pk])).status_code == 404
    assert client_for("manager_b").post(reverse("communication:announcement_read", args=[a.pk])).status_code == 404
    assert "Untuk Jawa Barat" in client_for("manager_a").get(reverse("home")).content.decode()


def test_cohort_incubator_and_role_audiences(world):
    send(world.directorate, title="Angkatan 2020", all_provinces=True, province_codes=[], cohort_years=[2020])
    send(
        world.directorate,
        title="Inkubator",
        all_provinces=True,
        province_codes=[],
        incubators_only=True,
        roles=["mentor"],
    )
    send(world.directorate, title="Verifikator", all_provinces=True, province_codes=[], roles=["reviewer"])
    assert visible_to(world.manager_a) == set()  # built 2019; incubator notice is for mentors only
    assert visible_to(world.mentor_a) == {"Inkubator"}
    assert visible_to(world.manager_b) == {"Angkatan 2020"}
    assert visible_to(world.manager_c) == set()
    assert visible_to(world.reviewer) == {"Verifikator"}
    assert visible_to(world.fkn) == set()


def test_audience_that_matches_no_centre_is_refused(world):
    with pytest.raises(DomainError) as exc:
        send(world.directorate, cohort_years=[2030])
    assert "Tidak ada BLK" in exc.value.message
    assert not Announcement.objects.exists()


def test_provincial_fkn_only_within_province(world):
    with pytest.raises(DomainError):
        send(world.fkn_jabar, province_codes=["35"])
    with pytest.raises(DomainError):
        send(world.fkn_jabar, all_provinces=True, province_codes=[])
    send(world.fkn_jabar, title="Jabar")
    with pytest.raises(DomainError):
        send(world.manager_a)


def test_schedule_and_expiry(world, time_machine):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    send(
        world.directorate,
        title="Nanti",
        publish_at=start + dt.timedelta(days=1),
        expires_at=start + dt.timedelta(days=3),
    )
    assert visible_to(world.manager_a) == set()
    assert len(mail.outbox) == 0
    time_machine.move_to(start + dt.timedelta(days=1, minutes=1), tick=False)
    assert visible_to(world.manager_a) == {"Nanti"}
    from communication.tasks import send_due_announcements

    send_due_announcements()
    assert [m.to for m in mail.outbox] == [[world.manager_a.email]]
    send_due_announcements()  # never twice
    assert len(mail.outbox) == 1
    time_machine.move_to(start + dt.timedelta(days=3, minutes=1), tick=False)
    assert visible_to(world.manager_a) == set()


def test_read_tracking_counts_by_province_and_unread_centres(world, client_for):
    a = send(world.directorate, all_provinces=True, province_codes=[])
    stats = selectors.read_stats(a)
    assert (stats["total"], stats["read"]) == (3, 0)
    assert {c.name for c in stats["unread_centres"]} == {world.centre_a.name, world.centre_b.name, world.centre_c.name}
    response = client_for("manager_a").post(
        reverse("communication:announcement_read", args=[a.pk]), {"next": reverse("home")}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert a.title not in client_for("manager_a").get(reverse("home")).content.decode()
    stats = selectors.read_stats(a)
    assert (stats["total"], stats["read"]) == (3, 1)
    by_province = {r["province_id"]: (r["total"], r["read"]) for r in stats["provinces"]}
    assert by_province == {"32": (1, 1), "35": (1, 0), "94": (1, 0)}
    assert world.centre_a.name not in {c.name for c in stats["unread_centres"]}
    page = client_for("directorate").get(reverse("communication:announcement_detail", args=[a.pk])).content.decode()
    assert '<strong id="read-count">1</strong>' in page


def test_emails_go_in_batches_on_commit(world, django_capture_on_commit_callbacks, monkeypatch):
    from communication import tasks

    monkeypatch.setattr(tasks, "BATCH", 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(world.directorate, all_provinces=True, province_codes=[], roles=["manager", "reviewer"])
    assert len(mail.outbox) == 0  # nothing inside the request's transaction
    for cb in callbacks:
        cb()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(u.email for u in [world.manager_a, world.manager_b, world.manager_c, world.reviewer])
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_text_is_escaped_and_links_work(world, client_for):
    a = send(world.directorate, title="<b>Judul</b>", body="<script>alert(1)</script> lihat https://kemnaker.go.id")
    html = client_for("manager_a").get(reverse("communication:announcement_detail", args=[a.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;Judul&lt;/b&gt;" in html
    assert 'href="https://kemnaker.go.id"' in html


def test_attachment_checked_by_content_and_private(world, client_for):
    fake = SimpleUploadedFile("surat.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        send(world.directorate, files=[fake])
    assert exc.value.field == "attachments"
    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", content_type="application/pdf")
    a = send(world.directorate, files=[pdf])
    att = a.attachments.get()
    url = reverse("communication:announcement_attachment", args=[att.pk])
    assert client_for("manager_a").get(url).status_code == 200
    assert client_for("manager_b").get(url).status_code == 404
    assert client_for("anon").get(url).status_code == 302


def test_create_form_shows_errors_beside_fields(world, client_for):
    response = client_for("directorate").post(
        reverse("communication:announcement_create"),
        {"title": "T", "body": "B", "cohort_years": "dua ribu", "roles": ["manager"], "all_provinces": "on"},
    )
    assert response.status_code == 200
    assert "Tulis tahun empat angka" in response.content.decode()
    response = client_for("directorate").post(
        reverse("communication:announcement_create"),
        {"title": "T", "body": "B", "cohort_years": "2031", "roles": ["manager"], "all_provinces": "on"},
    )
    assert "Tidak ada BLK yang cocok" in response.content.decode()
    response = client_for("directorate").post(
        reverse("communication:announcement_create"),
        {"title": "Halo", "body": "B", "roles": ["manager"], "provinces": ["35"]},
    )
    assert response.status_code == 302
    assert visible_to(world.manager_b) == {"Halo"}
    assert timezone.now() >= Announcement.objects.get().publish_at
