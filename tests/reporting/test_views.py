"""Pages: bad input gets a clear Indonesian message (or 404 out of scope) and nothing saved is lost."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from blkportal.core.months import add_months, first_of_month
from reporting import services
from reporting.models import EvidenceFile, Report, TrainingBatch
from tests.reporting.conftest import fill, make_batch

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"IEND\xaeB`\x82"


def autosave(client, report, **data):
    return client.post(reverse("reporting:report_autosave", args=[report.pk]), data, **HTMX)


# --- autosave -----------------------------------------------------------------------------------


def test_autosave_saves_and_says_when(client_for, draft):
    response = autosave(client_for("manager_a"), draft, version=draft.version, alumni_bekerja="4", notes="ok")
    assert response.status_code == 200
    assert "Terakhir disimpan" in response.content.decode()
    assert 'value="2"' in response.content.decode()  # the new version travels back to the form
    report = Report.objects.get(pk=draft.pk)
    assert (report.alumni_bekerja, report.notes) == (4, "ok")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("alumni_bekerja", "lima", "angka bulat"),
        ("alumni_bekerja", "-3", "Tidak boleh negatif"),
        ("managers_count", "9999999", "terlalu besar"),
        ("permit_expiry", "2025-02-30", "tanggal yang valid"),
        ("operating_cost", "1,5 juta", "tanpa sen"),
        ("operating_cost", "-500", "tidak boleh negatif"),
        ("permit_status", "bogus", "pilihan yang valid"),
    ],
)
def test_bad_values_get_a_message_beside_the_field_and_the_rest_is_saved(client_for, draft, field, value, message):
    response = autosave(
        client_for("manager_a"), draft, version=draft.version, notes="tetap tersimpan", **{field: value}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in body and message in body
    report = Report.objects.get(pk=draft.pk)
    assert report.notes == "tetap tersimpan"
    assert getattr(report, field) in (None, "")


def test_rupiah_with_thousand_dots_is_understood(client_for, draft):
    autosave(client_for("manager_a"), draft, version=draft.version, operating_cost="Rp 1.500.000")
    assert Report.objects.get(pk=draft.pk).operating_cost == 1_500_000


def test_stale_autosave_is_refused_with_409_and_changes_nothing(client_for, draft):
    client = client_for("manager_a")
    autosave(client, draft, version=draft.version, alumni_bekerja="7")
    response = autosave(client, draft, version=draft.version, alumni_bekerja="9")
    assert response.status_code == 409
    assert "sudah diubah di tab lain" in response.content.decode()
    assert Report.objects.get(pk=draft.pk).alumni_bekerja == 7


def test_plain_post_without_javascript_keeps_what_was_typed(client_for, draft):
    response = client_for("manager_a").post(
        reverse("reporting:report_autosave", args=[draft.pk]),
        {"version": draft.version, "alumni_bekerja": "abc", "alumni_studi": "2"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="abc"' in body and "angka bulat" in body
    assert Report.objects.get(pk=draft.pk).alumni_studi == 2


def test_forged_report_id_is_404(client_for, world, last_month):
    other = services.report_get_or_create_draft(centre=world.centre_b, period=last_month, by=world.manager_b)
    response = autosave(client_for("manager_a"), other, version=1, notes="x")
    assert response.status_code == 404
    assert Report.objects.get(pk=other.pk).notes == ""
    assert client_for("manager_a").post(reverse("reporting:report_autosave", args=[999999]), {}).status_code == 404


def test_autosave_on_a_submitted_report_is_refused(client_for, submitted):
    response = autosave(client_for("manager_a"), submitted, version=submitted.version, notes="x")
    assert response.status_code == 409
    assert "sudah diajukan" in response.content.decode()


# --- opening a month ----------------------------------------------------------------------------


def test_future_month_shows_why_and_creates_nothing(client_for, world):
    future = add_months(first_of_month(timezone.localdate()), 2)
    url = reverse("reporting:report_open", args=[world.centre_a.pk, future.year, future.month])
    client = client_for("manager_a")
    assert "belum dibuka" in client.get(url).content.decode()
    response = client.post(url)
    assert "belum dibuka" in response.content.decode()
    assert not Report.objects.exists()


def test_month_outside_active_dates_shows_why(client_for, world):
    url = reverse("reporting:report_open", args=[world.centre_b.pk, 2020, 6])
    response = client_for("manager_b").post(url)
    assert "tidak aktif" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(("year", "month"), [(2025, 13), (2025, 0), (1999, 5), (99999, 1)])
def test_impossible_month_is_404(client_for, world, year, month):
    url = reverse("reporting:report_open", args=[world.centre_a.pk, year, month])
    assert client_for("manager_a").get(url).status_code == 404


def test_forged_centre_id_is_404(client_for, world, last_month):
    url = reverse("reporting:report_open", args=[world.centre_b.pk, last_month.year, last_month.month])
    assert client_for("manager_a").post(url).status_code == 404
    assert not Report.objects.exists()


def test_start_creates_the_draft_and_opens_the_form(client_for, world, last_month):
    url = reverse("reporting:report_open", args=[world.centre_a.pk, last_month.year, last_month.month])
    response = client_for("manager_a").post(url)
    report = Report.objects.get(centre=world.centre_a, period=last_month)
    assert response.url == reverse("reporting:report_edit", args=[report.pk])


# --- submit page --------------------------------------------------------------------------------


def test_submit_page_lists_hard_errors_and_links_to_the_fields(client_for, draft):
    client = client_for("manager_a")
    body = client.get(reverse("reporting:report_submit", args=[draft.pk])).content.decode()
    assert "perlu diperbaiki" in body and "Wajib diisi" in body
    edit = client.get(reverse("reporting:report_edit", args=[draft.pk]) + "?periksa=1").content.decode()
    assert 'id="id_alumni_bekerja_error"' in edit and "rule-error" in edit


def test_double_clicked_submit_is_one_submission(client_for, filled):
    client = client_for("manager_a")
    url = reverse("reporting:report_submit", args=[filled.pk])
    first = client.post(url, {"version": filled.version})
    second = client.post(url, {"version": filled.version})
    assert first.status_code == second.status_code == 302
    assert Report.objects.get(pk=filled.pk).status == "submitted"
    assert filled.transitions.filter(action="submit").count() == 1


def test_submit_with_a_forged_version_is_refused(client_for, filled):
    response = client_for("manager_a").post(reverse("reporting:report_submit", args=[filled.pk]), {"version": "abc"})
    assert response.status_code == 200
    assert "Muat ulang halaman" in response.content.decode()
    assert Report.objects.get(pk=filled.pk).status == "draft"


def test_current_month_submit_is_explained(client_for, world):
    now = first_of_month(timezone.localdate())
    report = services.report_get_or_create_draft(centre=world.centre_a, period=now, by=world.manager_a)
    body = client_for("manager_a").get(reverse("reporting:report_submit", args=[report.pk])).content.decode()
    assert "setelah bulannya berakhir" in body


# --- review pages -------------------------------------------------------------------------------


def test_queue_filters_by_scope_province_status_and_period(client_for, world, submitted, last_month):
    other = services.report_get_or_create_draft(centre=world.centre_b, period=last_month, by=world.manager_b)
    fill(other, world.manager_b)
    services.report_submit(report=other, by=world.manager_b)
    reviewer = client_for("reviewer").get(reverse("reporting:queue")).content.decode()
    assert world.centre_a.name in reviewer and world.centre_b.name not in reviewer
    url = reverse("reporting:queue")
    directorate = client_for("directorate")
    assert world.centre_b.name in directorate.get(url, {"status": "submitted"}).content.decode()
    only_jatim = directorate.get(url, {"status": "submitted", "province": "35"}).content.decode()
    assert world.centre_b.name in only_jatim and world.centre_a.name not in only_jatim
    earlier = directorate.get(url, {"status": "", "period": "2020-01"}).content.decode()
    assert "Tidak ada laporan" in earlier
    bad = directorate.get(url, {"period": "2025-13"})
    assert bad.status_code == 200 and "TTTT-BB" in bad.content.decode()


def test_queue_to_report_and_back_in_one_click(client_for, submitted):
    client = client_for("reviewer")
    queue = client.get(reverse("reporting:queue"), {"status": "submitted"}).content.decode()
    detail_url = reverse("reporting:report_detail", args=[submitted.pk])
    assert detail_url + "?back=" in queue
    back = "/laporan/antrean/?status=submitted"
    detail = client.get(detail_url, {"back": back}).content.decode()
    assert 'id="back-link" href="/laporan/antrean/?status=submitted"' in detail
    response = client.post(reverse("reporting:report_verify", args=[submitted.pk]), {"back": back})
    assert response.url == back
    forged = client.get(detail_url, {"back": "https://evil.example/"}).content.decode()
    assert 'id="back-link"' not in forged


def test_return_without_reason_changes_nothing(client_for, submitted):
    client = client_for("reviewer")
    response = client.post(reverse("reporting:report_return", args=[submitted.pk]), {"reason": "  "})
    assert "Alasan wajib diisi" in response.content.decode()
    assert Report.objects.get(pk=submitted.pk).status == "submitted"
    client.post(reverse("reporting:report_return", args=[submitted.pk]), {"reason": "Lampirkan daftar hadir."})
    assert Report.objects.get(pk=submitted.pk).return_reason == "Lampirkan daftar hadir."


def test_directorate_cannot_verify_and_reviewer_cannot_approve_through_pages(client_for, submitted, world):
    assert client_for("directorate").post(reverse("reporting:report_verify", args=[submitted.pk])).status_code == 404
    services.report_verify(report=submitted, by=world.reviewer)
    assert client_for("reviewer").post(reverse("reporting:report_approve", args=[submitted.pk])).status_code == 404
    assert Report.objects.get(pk=submitted.pk).status == "verified"


def test_verify_twice_shows_a_message(client_for, submitted, world):
    services.report_verify(report=submitted, by=world.reviewer)
    response = client_for("reviewer").post(reverse("reporting:report_verify", args=[submitted.pk]), follow=True)
    assert "Hanya laporan berstatus Diajukan" in response.content.decode()


def test_overdue_lists_expected_centres_without_submission(client_for, world, last_month):
    client = client_for("reviewer")
    url = reverse("reporting:overdue")
    body = client.get(url, {"period": f"{last_month:%Y-%m}"}).content.decode()
    assert world.centre_a.name in body and world.centre_b.name not in body  # B is outside Jawa Barat
    national = client_for("directorate").get(url, {"period": f"{last_month:%Y-%m}"}).content.decode()
    assert world.centre_b.name in national and world.centre_c.name in national
    report = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    fill(report, world.manager_a)
    services.report_submit(report=report, by=world.manager_a)
    assert world.centre_a.name not in client.get(url, {"period": f"{last_month:%Y-%m}"}).content.decode()
    # A centre opened later is not expected for an earlier month.
    assert world.centre_c.name not in client_for("directorate").get(url, {"period": "2021-01"}).content.decode()
    assert client.get(url, {"period": "kemarin", "province": "99"}).status_code == 200


def test_overdue_shows_days_late_in_the_centres_zone(client_for, world):
    body = client_for("directorate").get(reverse("reporting:overdue"), {"period": "2024-01"}).content.decode()
    days = (timezone.localdate() - dt.date(2024, 2, 10)).days
    shown = {f"terlambat {n:,} hari".replace(",", ".") for n in (days, days + 1)}
    assert any(text in body for text in shown)


def test_history_shows_transitions_and_value_changes(client_for, submitted, world):
    services.report_return(report=submitted, by=world.reviewer, reason="Cek angka alumni lagi.")
    report = Report.objects.get(pk=submitted.pk)
    services.report_save_draft(
        report=report, by=world.manager_a, data={"alumni_studi": 0}, expected_version=report.version
    )
    body = client_for("reviewer").get(reverse("reporting:report_history", args=[submitted.pk])).content.decode()
    assert "Dikembalikan" in body and "Cek angka alumni lagi." in body
    assert "Alumni melanjutkan studi" in body


# --- comments -----------------------------------------------------------------------------------


def test_comments_go_to_the_other_side(client_for, submitted, world, django_capture_on_commit_callbacks):
    url = reverse("reporting:comment_add", args=[submitted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager_a").post(url, {"body": "Daftar hadir menyusul besok."})
    assert mail.outbox[-1].to == [world.reviewer.email]
    with django_capture_on_commit_callbacks(execute=True):
        client_for("reviewer").post(url, {"body": "Baik, ditunggu."})
    assert mail.outbox[-1].to == [world.manager_a.email]
    assert submitted.comments.count() == 2
    response = client_for("reviewer").post(url, {"body": ""}, **HTMX)
    assert "harus diisi" in response.content.decode()
    assert client_for("manager_b").post(url, {"body": "Halo"}).status_code == 404
    assert client_for("mentor_a").post(url, {"body": "Halo"}).status_code == 404


# --- evidence -----------------------------------------------------------------------------------


def upload(client, report, name, content, kind="foto"):
    return client.post(
        reverse("reporting:evidence_upload", args=[report.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_evidence_is_checked_by_content_and_stored_privately(client_for, draft, settings):
    client = client_for("manager_a")
    assert upload(client, draft, "bukti.pdf", PDF).status_code == 302
    assert upload(client, draft, "foto.png", PNG).status_code == 302
    evidence = EvidenceFile.objects.get(report=draft, content_type="application/pdf")
    path = evidence.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "static" not in path
    response = client_for("reviewer").get(reverse("reporting:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for("manager_b").get(reverse("reporting:evidence_download", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "bukan PDF, JPEG atau PNG"),
        ("halaman.png", b"<html><script>alert(1)</script></html>", "bukan PDF, JPEG atau PNG"),
        ("potong.pdf", b"%PDF-1.4\n" + b"x" * 100, "bukan PDF, JPEG atau PNG"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_disguised_or_broken_files_are_refused(client_for, draft, name, content, message):
    response = upload(client_for("manager_a"), draft, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_oversized_file_is_refused(client_for, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(client_for("manager_a"), draft, "besar.pdf", PDF[:-6] + b"x" * 2000 + b"%%EOF\n")
    assert "terlalu besar" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_evidence_remove_deletes_the_file(client_for, draft, django_capture_on_commit_callbacks):
    client = client_for("manager_a")
    upload(client, draft, "bukti.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:evidence_remove", args=[evidence.pk]))
    assert not EvidenceFile.objects.exists()
    import os

    assert not os.path.exists(path)


# --- batches and lines --------------------------------------------------------------------------


BATCH = {
    "program_name": "Menjahit Dasar",
    "funding_source": "mitra",
    "hours_jp": "120",
    "enrolled_male": "0",
    "enrolled_female": "16",
    "santri_count": "10",
    "umum_count": "6",
    "graduated": "0",
    "failed": "0",
    "withdrawn": "0",
    "certified": "0",
}


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"end_date": "2019-01-01"}, "end_date", "sebelum tanggal mulai"),
        ({"start_date": "2025-02-30"}, "start_date", "tanggal yang valid"),
        ({"graduated": "20"}, "graduated", "tidak boleh lebih"),
        ({"graduated": "10", "failed": "5", "withdrawn": "5"}, "failed", "melebihi jumlah peserta"),
        ({"graduated": "5", "certified": "6"}, "certified", "tidak boleh lebih dari yang lulus"),
        ({"umum_count": "9"}, "umum_count", "melebihi jumlah peserta"),
        ({"enrolled_female": "0"}, "enrolled_male", "Isi jumlah peserta"),
        ({"enrolled_female": "enam belas"}, "enrolled_female", "angka bulat"),
        ({"hours_jp": "-1"}, "hours_jp", "Tidak boleh negatif"),
        ({"kejuruan": "999999"}, "kejuruan", "pilihan yang valid"),
    ],
)
def test_batch_rules_speak_beside_the_field(client_for, world, last_month, override, field, message):
    from blkportal.registry.models import Kejuruan

    data = {
        **BATCH,
        "kejuruan": Kejuruan.objects.get(code="teknik-las").pk,
        "start_date": f"{last_month:%Y-%m}-03",
        "end_date": f"{last_month:%Y-%m}-20",
        **override,
    }
    response = client_for("manager_a").post(reverse("reporting:batch_create", args=[world.centre_a.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in body and message in body
    assert 'value="Menjahit Dasar"' in body  # what the user typed stays
    assert not TrainingBatch.objects.exists()


def test_batch_of_another_centre_is_404(client_for, world, last_month):
    batch = make_batch(world.centre_b, last_month)
    assert client_for("manager_a").get(reverse("reporting:batch_edit", args=[batch.pk])).status_code == 404
    assert client_for("manager_a").post(reverse("reporting:batch_delete", args=[batch.pk])).status_code == 404
    assert TrainingBatch.objects.filter(pk=batch.pk).exists()


def test_batch_frozen_once_its_months_report_is_submitted(client_for, submitted, world):
    batch = TrainingBatch.objects.get(centre=world.centre_a)
    response = client_for("manager_a").post(
        reverse("reporting:batch_edit", args=[batch.pk]),
        {
            **BATCH,
            "kejuruan": batch.kejuruan_id,
            "start_date": batch.start_date,
            "end_date": batch.end_date,
            "enrolled_female": "16",
        },
    )
    assert "sudah diajukan" in response.content.decode()
    assert TrainingBatch.objects.get(pk=batch.pk).enrolled_male == 12


def test_line_with_bad_amount_is_refused_beside_the_field(client_for, draft):
    url = reverse("reporting:line_add", args=[draft.pk, "income"])
    response = client_for("manager_a").post(url, {"income-source": "jasa", "income-amount": "-10"}, **HTMX)
    body = response.content.decode()
    assert "tidak boleh negatif" in body
    assert not draft.income_lines.exists()
    added = client_for("manager_a").post(url, {"income-source": "jasa", "income-amount": "750.000"}, **HTMX)
    assert Report.objects.get(pk=draft.pk).own_income == 750_000
    assert "Total pendapatan mandiri: Rp 750.000" in added.content.decode()


# --- home ---------------------------------------------------------------------------------------


def test_manager_home_is_a_todo_list(client_for, world, submitted, last_month):
    services.report_return(report=submitted, by=world.reviewer, reason="Lengkapi bukti pelatihan.")
    body = client_for("manager_a").get(reverse("home")).content.decode()
    assert 'id="manager-todo"' in body
    assert "Lengkapi bukti pelatihan." in body
    current = first_of_month(timezone.localdate())
    assert f'data-period="{current:%Y-%m}"' in body  # this month, due later
    assert "hari lagi" in body


def test_reviewer_home_shows_the_queue(client_for, submitted):
    body = client_for("reviewer").get(reverse("home")).content.decode()
    assert 'id="reviewer-queue"' in body and submitted.centre.name in body


def test_locked_month_needs_the_admins_unlock_with_a_reason(client_for, world):
    url = reverse("reporting:report_open", args=[world.centre_a.pk, 2024, 1])
    manager = client_for("manager_a")
    assert "Batas pengisian" in manager.post(url).content.decode()
    assert not Report.objects.exists()
    unlock = reverse("reporting:report_unlock", args=[world.centre_a.pk, 2024, 1])
    admin = client_for("admin")
    assert "Alasan wajib diisi" in admin.post(unlock, {"reason": "", "days": "7"}).content.decode()
    assert "90" in admin.post(unlock, {"reason": "Surat BLK nomor 5/2024.", "days": "400"}).content.decode()
    assert not Report.objects.exists()
    response = admin.post(unlock, {"reason": "Surat BLK nomor 5/2024.", "days": "7"})
    report = Report.objects.get(centre=world.centre_a, period=dt.date(2024, 1, 1))
    assert response.url == reverse("reporting:report_detail", args=[report.pk])
    assert report.transitions.get().reason == "Surat BLK nomor 5/2024."
    assert manager.get(reverse("reporting:report_edit", args=[report.pk])).status_code == 200
