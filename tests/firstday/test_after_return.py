"""Issue 12, point 4: after a return the reviewer sees the reason and what the centre changed; the
history lists the first values, evidence uploads, local times with their zone and grouped rupiah."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import services
from reporting.models import ReportIncome
from reporting.snapshot import display_value
from tests.reporting.conftest import fill

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "Alumni bekerja belum diisi sesuai data penempatan."


def returned_then_fixed(world, last_month):
    report = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    report = fill(report, world.manager_a, alumni_bekerja=0, alumni_tidak_terlacak=7)
    report = services.report_submit(report=report, by=world.manager_a).report
    report = services.report_return(report=report, by=world.reviewer, reason=REASON)
    report = services.report_save_draft(
        report=report,
        by=world.manager_a,
        data={"alumni_bekerja": 4, "alumni_tidak_terlacak": 3},
        expected_version=report.version,
    )
    services.report_line_add(
        report=report,
        by=world.manager_a,
        kind="income",
        data={"source": ReportIncome._meta.get_field("source").choices[0][0], "amount": 1_800_000, "description": ""},
    )
    report.refresh_from_db()
    return services.report_submit(report=report, by=world.manager_a).report


def test_reviewer_sees_the_return_reason_and_what_changed_since(world, last_month, client_for):
    report = returned_then_fixed(world, last_month)
    page = client_for("reviewer").get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert 'id="since-return"' in page
    assert REASON in page
    diff = page[page.index('id="return-diff"') :]
    diff = diff[: diff.index("</table>")]
    assert "Alumni bekerja" in diff and "<del>0</del>" in diff and ">4</td>" in diff
    assert "Tidak terlacak" in diff or "Alumni tidak terlacak" in diff
    assert "Rp 1.800.000" in diff


def test_history_shows_first_values_evidence_local_time_and_rupiah(world, last_month, client_for):
    report = returned_then_fixed(world, last_month)
    services.report_return(report=report, by=world.reviewer, reason=REASON)
    services.evidence_add(
        report=report,
        by=world.manager_a,
        kind="daftar_hadir",
        uploaded_file=SimpleUploadedFile("daftar-hadir.pdf", PDF, content_type="application/pdf"),
    )
    page = client_for("reviewer").get(reverse("reporting:report_history", args=[report.pk])).content.decode()
    created = page[page.index("Laporan dibuat") :]
    created = created[: created.index("</li>")]
    # What the new draft already held is listed on the "created" entry, not hidden behind it.
    assert "Pendapatan mandiri" in created and "Rp 0" in created
    assert "Rp 2.500.000" in page
    assert "Rp 1800000" not in page and "Rp 1.800.000" in page
    assert "Bukti diunggah" in page and "daftar-hadir.pdf (Daftar hadir)" in page
    assert page.count(" WIB · ") >= 3  # every entry's time carries the centre's zone


def test_moments_in_history_read_in_the_centres_zone(world):
    moment = dt.datetime(2026, 12, 2, 2, 5, tzinfo=dt.UTC)
    assert display_value("unlocked_until", moment, world.centre_a) == "02-12-2026 09:05 WIB"
    assert display_value("unlocked_until", moment, world.centre_c) == "02-12-2026 11:05 WIT"
    assert display_value("operating_cost", 1800000) == "Rp 1.800.000"
