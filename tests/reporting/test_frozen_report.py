"""A plain (non-htmx) save or evidence upload on a report that can no longer be edited answers 409
with the report page saying why, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import EvidenceFile, Report

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_plain_save_on_a_submitted_report_is_409_with_the_reason(client_for, submitted):
    response = client_for("manager_a").post(
        reverse("reporting:report_autosave", args=[submitted.pk]),
        {"version": submitted.version, "notes": "terlambat diubah", "alumni_bekerja": "9"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "sudah diajukan" in body and "tidak dapat diubah" in body
    assert response.templates[0].name == "reporting/report_detail.html"
    report = Report.objects.get(pk=submitted.pk)
    assert report.notes != "terlambat diubah" and report.status == "submitted"


def test_plain_evidence_upload_on_a_submitted_report_is_409_with_the_reason(client_for, submitted):
    before = EvidenceFile.objects.filter(report=submitted).count()
    response = client_for("manager_a").post(
        reverse("reporting:evidence_upload", args=[submitted.pk]),
        {"kind": "daftar_hadir", "file": SimpleUploadedFile("hadir.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 409
    assert "sudah diajukan" in response.content.decode()
    assert EvidenceFile.objects.filter(report=submitted).count() == before
