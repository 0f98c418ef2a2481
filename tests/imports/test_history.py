"""Past monthly reports from Excel (administrators): the reports export's columns, approved and marked
imported, on time judged from the original submission date against the deadline in force, counted in
the facts; a centre-month with a report is never overwritten. Runs on 16 March 2026, monitoring from
June 2025."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from blkportal.core import imports
from blkportal.core.errors import DomainError
from blkportal.core.models import ImportStatus
from monitoring import signals
from monitoring.imports import READ, history_columns
from monitoring.models import CentreMonth
from reporting.models import Report, ReportTransition
from tests.imports.conftest import confirm, page, problems, sheet, upload

WIB, WIT = zoneinfo.ZoneInfo("Asia/Jakarta"), zoneinfo.ZoneInfo("Asia/Jayapura")
HEADERS = [c.header for c in history_columns() if c.field in READ]
URL = "/monitoring/impor-riwayat/"


def past(code="BLKK-A", month="07/2025", submitted="08/08/2025", **overrides):
    values = {
        "Kode BLK": code,
        "Bulan laporan": month,
        "Status": "Disetujui",
        "Pertama diajukan": submitted,
        "Alumni bekerja": 3,
        "Alumni berwirausaha": 1,
        "Alumni melanjutkan studi": 0,
        "Alumni belum bekerja": 2,
        "Alumni tidak terlacak": 4,
        "Status izin operasional/akreditasi": "Izin operasional",
        "Nomor izin/akreditasi": "503/123/2024",
        "Berlaku sampai": None,
        "Jumlah pengelola": 2,
        "Jumlah instruktur": 4,
        "Instruktur bersertifikat": 2,
        "Pendapatan mandiri (Rp)": "Rp 2.500.000",
        "Biaya operasional (Rp)": "1.500.000",
        "Catatan": None,
    }
    values.update(overrides)
    return values


def history_file(rows, headers=HEADERS, **kwargs):
    return sheet(headers, rows, title="Laporan bulanan", name="riwayat.xlsx", **kwargs)


@pytest.fixture
def admin(client_for):
    return client_for("admin")


def fact(centre, month):
    return CentreMonth.objects.get(centre=centre, month=month)


def test_dry_run_then_confirm_imports_approved_reports_counted_in_the_facts(world, admin):
    assert reverse("monitoring:history_import") == URL
    rows = [
        past(),  # submitted before the deadline (10 August, WIB)
        past(month="Agustus 2025", submitted="2025-09-15 09:30"),  # late
        past("BLKK-C", month="2025-07", submitted="10/08/2025"),  # on the deadline day, in Papua (WIT)
    ]
    job = upload(admin, URL, history_file(rows))
    assert job.status == ImportStatus.CHECKED, job.error_message
    assert job.summary == {"create": 3, "update": 0, "unchanged": 0, "rejected": 0, "sheet": "Laporan bulanan"}
    assert not Report.objects.exists()
    html = page(admin, job)
    assert "Laporan baru" in html and 'data-count="update"' not in html and "Terapkan impor" in html

    job = confirm(admin, job)
    assert job.status == ImportStatus.APPLIED, job.error_message
    july = Report.objects.get(centre=world.centre_a, period=dt.date(2025, 7, 1))
    assert july.status == Report.Status.APPROVED and july.imported_at is not None
    assert july.first_submitted_at == dt.datetime(2025, 8, 8, 12, 0, tzinfo=WIB)
    assert july.deadline_at == dt.datetime(2025, 8, 10, 23, 59, 59, tzinfo=WIB) and july.on_time
    assert (july.alumni_bekerja, july.own_income, july.operating_cost) == (3, 2_500_000, 1_500_000)
    assert list(july.income_lines.values_list("amount", flat=True)) == [2_500_000]
    transition = ReportTransition.objects.get(report=july)
    assert (transition.action, transition.actor, transition.reason) == (
        "import",
        world.admin,
        "Impor berkas riwayat.xlsx",
    )
    assert july.history.latest().history_user == world.admin
    august = Report.objects.get(centre=world.centre_a, period=dt.date(2025, 8, 1))
    assert august.first_submitted_at == dt.datetime(2025, 9, 15, 9, 30, tzinfo=WIB) and august.on_time is False
    papua = Report.objects.get(centre=world.centre_c, period=dt.date(2025, 7, 1))
    assert papua.first_submitted_at == dt.datetime(2025, 8, 10, 12, 0, tzinfo=WIT) and papua.on_time

    # Counted like any approved report: the facts of those centre-months were refreshed.
    july_fact = fact(world.centre_a, dt.date(2025, 7, 1))
    assert (july_fact.reported, july_fact.on_time, july_fact.approved, july_fact.alumni_bekerja) == (
        True,
        True,
        True,
        3,
    )
    assert fact(world.centre_a, dt.date(2025, 8, 1)).on_time is False
    assert fact(world.centre_c, dt.date(2025, 7, 1)).approved


def test_on_time_follows_the_deadline_in_force_for_that_month(world, admin, settings):
    # September 2025's reports were judged against day 15 (the setting then); today it is day 10.
    Report.objects.create(
        centre=world.centre_b,
        period=dt.date(2025, 9, 1),
        status="approved",
        first_submitted_at=dt.datetime(2025, 10, 14, tzinfo=WIB),
        deadline_at=dt.datetime(2025, 10, 15, 23, 59, 59, tzinfo=WIB),
        on_time=True,
    )
    rows = [past(month="09/2025", submitted="13/10/2025"), past(month="10/2025", submitted="13/11/2025")]
    confirm(admin, upload(admin, URL, history_file(rows)))
    september = Report.objects.get(centre=world.centre_a, period=dt.date(2025, 9, 1))
    assert september.on_time and september.deadline_at == dt.datetime(2025, 10, 15, 23, 59, 59, tzinfo=WIB)
    october = Report.objects.get(centre=world.centre_a, period=dt.date(2025, 10, 1))  # nobody here: day 10
    assert october.on_time is False and october.deadline_at.date() == dt.date(2025, 11, 10)


def test_rejected_rows_say_why_and_nothing_is_written(world, admin):
    Report.objects.create(centre=world.centre_b, period=dt.date(2025, 7, 1))  # a draft in the portal
    rows = [
        past(month="05/2025", submitted="08/06/2025"),  # before the monitoring start
        past(month="04/2026", submitted="08/05/2026"),  # the future
        past(month="03/2026", submitted="10/03/2026"),  # this month has not ended
        past("BLKK-B"),  # the portal has a report for it
        past(month="09/2025", Status="Diajukan"),
        past(month="10/2025", submitted="10/11/2025", **{"Alumni bekerja": None}),
        past(month="11/2025", submitted="10/12/2025", **{"Instruktur bersertifikat": 9}),
        past("BLKK-ZZZ"),
        past(month="12/2025", submitted="20/12/2025"),  # before the month ended
        past(month="01/2026", submitted="tanggal sepuluh"),
        past(month="02/2026", submitted="05/03/2026"),
        past(month="02/2026", submitted="05/03/2026"),  # the same centre-month twice
    ]
    job = upload(admin, URL, history_file(rows))
    assert job.summary["rejected"] == 11 and job.summary["create"] == 1
    found = problems(job)

    def message(row, column):
        return " ".join(m for r, c, m in found if r == row and c == column)

    assert message(2, "Bulan laporan") == (
        "Mei 2025 sebelum awal pemantauan (Juni 2025); riwayat sebelum itu tidak diimpor."
    )
    assert message(3, "Bulan laporan") == "April 2026 masih di masa depan."
    assert "Maret 2026 belum berakhir" in message(4, "Bulan laporan")
    assert "sudah memiliki laporan Juli 2025 di portal (draf); riwayat tidak menimpanya" in message(5, "Bulan laporan")
    assert "Hanya laporan yang sudah disetujui" in message(6, "Status")
    assert message(7, "Alumni bekerja") == "Wajib diisi (isi 0 bila memang tidak ada)."
    assert "tidak boleh lebih dari jumlah instruktur" in message(8, "Instruktur bersertifikat")
    assert message(9, "Kode BLK") == "BLK dengan kode ini tidak ada di registri."
    assert "sebelum bulan Desember 2025 berakhir" in message(10, "Pertama diajukan")
    assert "Tanggal tidak dikenali" in message(11, "Pertama diajukan")
    assert "sudah ada di baris 12" in message(13, "Bulan laporan")
    assert "Terapkan impor" not in page(admin, job)
    admin.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert Report.objects.count() == 1


def test_reimporting_the_same_file_changes_nothing(world, admin):
    rows = [past(), past(month="08/2025", submitted="09/09/2025")]
    confirm(admin, upload(admin, URL, history_file(rows)))
    again = upload(admin, URL, history_file(rows))
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2, "rejected": 0, "sheet": "Laporan bulanan"}
    assert "Tidak ada yang perlu diimpor" in page(admin, again)
    # The same months with other values are a conflict, not an overwrite.
    changed = upload(admin, URL, history_file([past(**{"Alumni bekerja": 5})]))
    assert changed.summary["rejected"] == 1 and "riwayat tidak menimpanya" in problems(changed)[0][2]
    assert Report.objects.get(period=dt.date(2025, 7, 1)).alumni_bekerja == 3


def test_a_report_made_in_the_portal_after_the_dry_run_is_not_overwritten(world, admin):
    job = upload(admin, URL, history_file([past(), past(month="08/2025", submitted="09/09/2025")]))
    assert job.can_confirm
    Report.objects.create(centre=world.centre_a, period=dt.date(2025, 8, 1))  # the manager opens August
    job = confirm(admin, job)
    assert job.status == ImportStatus.FAILED and "1 baris kini ditolak" in job.error_message
    assert Report.objects.filter(imported_at__isnull=False).count() == 0


def test_a_large_import_refreshes_the_facts_month_by_month(world, admin, monkeypatch):
    monkeypatch.setattr(signals, "IMPORT_REFRESH_ONE_BY_ONE", 1)
    rows = [past(), past("BLKK-B"), past(month="08/2025", submitted="09/09/2025")]
    confirm(admin, upload(admin, URL, history_file(rows)))
    assert fact(world.centre_a, dt.date(2025, 7, 1)).approved and fact(world.centre_b, dt.date(2025, 7, 1)).approved
    assert fact(world.centre_a, dt.date(2025, 8, 1)).reported


def test_an_export_of_the_reports_comes_back_in_as_it_is(world, admin, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.exporters import write_xlsx
    from monitoring.exporters.reports import ReportExporter

    confirm(admin, upload(admin, URL, history_file([past(), past("BLKK-C", month="08/2025", submitted="09/09/2025")])))
    path = tmp_path / "laporan.xlsx"
    write_xlsx(ReportExporter(user=world.admin, params={"period_from": "2025-06"}), str(path))
    before = list(Report.objects.order_by("pk").values_list("centre_id", "period", "alumni_bekerja", "on_time"))
    Report.objects.all().delete()

    job = upload(admin, URL, SimpleUploadedFile("laporan.xlsx", path.read_bytes()))
    assert job.summary["create"] == 2, problems(job)
    confirm(admin, job)
    after = list(Report.objects.order_by("pk").values_list("centre_id", "period", "alumni_bekerja", "on_time"))
    assert after == before


def test_only_administrators_import_history(world, client_for):
    assert client_for("directorate").get(URL).status_code == 404
    with pytest.raises(DomainError):
        imports.import_start(kind="history", by=world.directorate, upload=history_file([past()]))


def test_the_application_refuses_a_centre_month_that_already_has_a_report(world):
    """reports_import_history looks up the centre-months already reported once, before its loop: a
    report there (or an earlier item of the same call) still refuses the item, and nothing is written."""
    from reporting.services import HistoryReport, reports_import_history

    def item(centre, month):
        return HistoryReport(
            centre=centre,
            period=month,
            values={
                "alumni_bekerja": 3,
                "alumni_wirausaha": 1,
                "alumni_studi": 0,
                "alumni_belum_bekerja": 2,
                "alumni_tidak_terlacak": 4,
                "permit_status": "permit",
                "permit_number": "503/123/2024",
                "permit_expiry": None,
                "managers_count": 2,
                "instructors_count": 4,
                "instructors_certified": 2,
                "operating_cost": 1_500_000,
                "notes": "",
            },
            own_income=None,
            submitted_at=dt.datetime(2025, 8, 8, 12, 0, tzinfo=WIB),
        )

    july = dt.date(2025, 7, 1)
    Report.objects.create(centre=world.centre_b, period=july)  # a draft made in the portal
    with pytest.raises(DomainError) as refused:
        reports_import_history(
            items=[item(world.centre_a, july), item(world.centre_b, july)], by=world.admin, reason="Impor"
        )
    assert refused.value.field == "period" and "BLK BLKK-B sudah memiliki laporan Juli 2025" in refused.value.message
    assert not Report.objects.filter(imported_at__isnull=False).exists()
    with pytest.raises(DomainError) as twice:
        reports_import_history(
            items=[item(world.centre_a, july), item(world.centre_a, july)], by=world.admin, reason="Impor"
        )
    assert "BLK BLKK-A sudah memiliki laporan Juli 2025" in twice.value.message
    assert not Report.objects.filter(imported_at__isnull=False).exists()
    assert len(reports_import_history(items=[item(world.centre_a, july)], by=world.admin, reason="Impor")) == 1
