"""Exports: files read back with openpyxl match the database; scope is checked when the job is
requested and again when it runs; downloads are the owner's only and expire."""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from blkportal.registry.models import RoleAssignment
from monitoring import services_exports
from monitoring.models import ExportJob, ExportStatus
from reporting.models import Report
from tests.monitoring.test_export_helpers import as_dicts, local, make_reports, read_xlsx

pytestmark = pytest.mark.django_db


def run(user, kind, file_format="xlsx", **params):
    """Request and run an export as the task would (eagerly, on commit)."""
    job = ExportJob.objects.create(owner=user, kind=kind, file_format=file_format, parameters=params)
    return services_exports.export_run(job_id=job.pk)


def test_reports_export_matches_the_database(world):
    make_reports(world)
    job = run(world.directorate, "reports", period_from="2024-01", period_to="2024-03")
    assert job.status == ExportStatus.DONE, job.error_message
    assert job.progress == 100
    expected = Report.objects.filter(period__range=(dt.date(2024, 1, 1), dt.date(2024, 3, 1)))
    assert job.row_count == expected.count() == 8

    wb = read_xlsx(job)
    ws = wb.worksheets[0]
    assert ws.title == "Laporan bulanan"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}9"
    assert ws["A1"].font.b is True
    rows = as_dicts(ws)
    assert len(rows) == 8
    # Every concrete field of Report is a column, except the two kept out on purpose.
    header = [c.value for c in ws[1]]
    for name in ("Pendapatan mandiri (Rp)", "Alumni bekerja", "Status", "Pertama diajukan", "Catatan"):
        assert name in header
    by_key = {(r["Kode BLK"], r["Bulan laporan"].date()): r for r in rows}
    for report in expected.select_related("centre__province"):
        row = by_key[(report.centre.reg_code, report.period)]
        assert row["ID laporan"] == report.pk
        assert row["Nama BLK"] == report.centre.name
        assert row["Provinsi"] == report.centre.province.name
        assert row["Pendapatan mandiri (Rp)"] == report.own_income
        assert row["Alumni bekerja"] == report.alumni_bekerja
        assert row["Alumni belum bekerja"] is None  # unknown stays empty, never 0
        assert row["Status"] == report.get_status_display()
        # Times are the centre's wall clock: 21:30 WIB in Jawa Barat/Timur, 23:30 WIT in Papua.
        assert row["Pertama diajukan"] == local(report.first_submitted_at, report.centre.province.timezone)
    papua = by_key[("BLKK-C", dt.date(2024, 1, 1))]
    assert papua["Pertama diajukan"] == dt.datetime(2024, 2, 10, 23, 30)
    assert by_key[("BLKK-A", dt.date(2024, 1, 1))]["Pertama diajukan"] == dt.datetime(2024, 2, 10, 21, 30)

    # Number formats: Rp on money, a date format on timestamps.
    col = header.index("Pendapatan mandiri (Rp)") + 1
    assert "Rp" in ws.cell(2, col).number_format
    col = header.index("Pertama diajukan") + 1
    assert "YYYY" in ws.cell(2, col).number_format
    # A formula typed into a text field stays text (no formula injection); tabs are allowed.
    notes = {r["Catatan"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in notes
    assert all(not (n or "").startswith("=") for n in notes)


def test_reports_export_has_a_sheet_per_repeating_section(world):
    reports = make_reports(world)
    job = run(world.directorate, "reports", period_from="2024-01", period_to="2024-03")
    wb = read_xlsx(job)
    assert wb.sheetnames == [
        "Laporan bulanan",
        "Kemitraan",
        "Pendapatan mandiri",
        "Produk unggulan",
        "Kendala",
        "Bukti",
        "Metodologi",  # every export ends with the indicators' methodology
    ]
    income = as_dicts(wb["Pendapatan mandiri"])
    assert [(r["ID laporan"], r["Kode BLK"], r["Sumber pendapatan"], r["Jumlah (Rp)"]) for r in income] == [
        (reports[0].pk, "BLKK-A", "Pelatihan berbayar", 1_000_000),
        (reports[0].pk, "BLKK-A", "Unit usaha / produksi", 500_000),
    ]
    assert sum(r["Jumlah (Rp)"] for r in income) == 1_500_000 == reports[0].own_income
    assert as_dicts(wb["Kemitraan"])[0]["Jenis mitra"] == "Dunia usaha/industri (DUDI)"
    assert as_dicts(wb["Produk unggulan"])[0]["Omzet (Rp)"] == 6_000_000
    assert wb["Bukti"].max_row == 1  # header only: no evidence uploaded
    assert all(wb[name].freeze_panes == "A2" for name in wb.sheetnames)
    # Outside the month range or the scope: no section rows either.
    job = run(world.manager_b, "reports", period_from="2024-01", period_to="2024-03")
    assert read_xlsx(job)["Kemitraan"].max_row == 1


def test_reviewer_export_holds_only_their_province(world):
    make_reports(world)
    job = run(world.reviewer, "reports", period_from="2024-01", period_to="2024-12")
    assert job.status == ExportStatus.DONE
    rows = as_dicts(read_xlsx(job).worksheets[0])
    assert {r["Kode BLK"] for r in rows} == {"BLKK-A"}
    assert len(rows) == 3


def test_manager_csv_export_is_their_centre_only(world):
    make_reports(world)
    job = run(world.manager_b, "reports", file_format="csv", period_from="2024-01", period_to="2024-02")
    assert job.status == ExportStatus.DONE
    with job.file.storage.open(job.file.name, "rb") as fh:
        text = fh.read().decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Kode BLK,Nama BLK,Provinsi")
    assert len(lines) == 3 and all(line.startswith("BLKK-B,") for line in lines[1:])
    assert "1500000" in lines[1]


def test_run_rechecks_scope_when_the_role_is_gone(world):
    make_reports(world)
    job = ExportJob.objects.create(
        owner=world.manager_a, kind="reports", parameters={"period_from": "2024-01", "period_to": "2024-03"}
    )
    RoleAssignment.objects.filter(user=world.manager_a).delete()
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED
    assert "izin" in job.error_message
    assert not job.file


def test_job_for_a_centre_outside_scope_fails_cleanly(world):
    """A job forged past the form (or whose scope shrank) asks for centre B as manager A."""
    make_reports(world)
    job = run(world.manager_a, "reports", period_from="2024-01", period_to="2024-03", centre=world.centre_b.pk)
    assert job.status == ExportStatus.FAILED
    assert job.error_message == "Data yang diminta berada di luar cakupan Anda."
    job = run(world.reviewer, "reports", period_from="2024-01", period_to="2024-03", province="35")
    assert job.status == ExportStatus.FAILED
    assert not os.listdir(job.file.storage.location) if os.path.exists(job.file.storage.location) else True


def test_run_is_idempotent(world):
    make_reports(world)
    job = run(world.directorate, "reports", period_from="2024-01", period_to="2024-01")
    name = job.file.name
    again = services_exports.export_run(job_id=job.pk)
    assert again.file.name == name and again.status == ExportStatus.DONE


# Views -------------------------------------------------------------------------------------------


def post_export(client, **data):
    return client.post(reverse("monitoring:export_list"), {"file_format": "xlsx", **data})


def test_request_through_the_page_runs_on_commit_and_lists_the_job(
    world, client_for, django_capture_on_commit_callbacks
):
    make_reports(world)
    client = client_for("fkn_jabar")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_export(client, kind="reports", period_from="2024-01", period_to="2024-03")
    assert response.status_code == 302
    assert callbacks  # the job runs once the request's transaction has committed
    job = ExportJob.objects.get(owner=world.fkn_jabar)
    assert job.status == ExportStatus.DONE
    assert job.parameters == {"period_from": "2024-01", "period_to": "2024-03"}
    page = client.get(reverse("monitoring:export_list"))
    assert reverse("monitoring:export_download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("monitoring:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content)[:2] == b"PK"  # a zip, i.e. XLSX


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "semua-data"}, "kind", "Jenis ekspor tidak dikenal."),
        ({"kind": "reports", "period_from": "2024-13", "period_to": "2024-12"}, "period_from", "format TTTT-BB"),
        ({"kind": "reports", "period_from": "abc", "period_to": "2024-12"}, "period_from", "format TTTT-BB"),
        ({"kind": "reports", "period_from": "2024-05", "period_to": "2024-01"}, "period_to", "tidak boleh sebelum"),
        ({"kind": "reports", "period_from": "1999-01", "period_to": "2024-01"}, "period_from", "dari Januari 2017"),
        ({"kind": "reports", "period_to": "2024-01"}, "period_from", "Isi bulan awal"),
        ({"kind": "reports", "period_from": "2017-01", "period_to": "2030-12"}, "period_to", "paling panjang"),
        ({"kind": "tenants", "file_format": "pdf"}, "file_format", "Format berkas tidak dikenal."),
    ],
)
def test_bad_input_gets_an_indonesian_message_and_no_job(world, client_for, data, field, message, time_machine):
    # 2017-01..2030-12 is longer than the longest range allowed, and 2030 is past by then.
    time_machine.move_to(dt.datetime(2031, 3, 15, 12, tzinfo=dt.UTC))
    response = post_export(client_for("directorate"), **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not ExportJob.objects.exists()


def test_request_outside_scope_is_refused_before_queueing(world, client_for):
    response = post_export(
        client_for("manager_a"), kind="reports", period_from="2024-01", period_to="2024-02", centre="BLKK-B"
    )
    assert response.status_code == 200
    assert "di luar cakupan Anda" in response.content.decode()
    response = post_export(
        client_for("reviewer"), kind="reports", period_from="2024-01", period_to="2024-02", province="35"
    )
    assert "di luar cakupan Anda" in response.content.decode()
    assert not ExportJob.objects.exists()
    # Someone without the permission anywhere gets 404 for the page itself.
    assert post_export(client_for("mentor_a"), kind="tenants").status_code == 404


def test_too_many_open_jobs_are_refused(world, client_for):
    for _ in range(settings.EXPORT_MAX_OPEN_JOBS):
        ExportJob.objects.create(owner=world.fkn, kind="tenants")
    response = post_export(client_for("fkn"), kind="tenants")
    assert "Tunggu hingga selesai" in response.content.decode()
    assert ExportJob.objects.filter(owner=world.fkn).count() == settings.EXPORT_MAX_OPEN_JOBS


def test_someone_elses_job_is_404_even_for_an_admin(world, client_for):
    make_reports(world)
    job = run(world.manager_a, "reports", period_from="2024-01", period_to="2024-03")
    for persona in ("manager_b", "admin", "directorate"):
        client = client_for(persona)
        assert client.get(reverse("monitoring:export_download", args=[job.pk])).status_code == 404
        assert client.get(reverse("monitoring:export_status", args=[job.pk])).status_code == 404
    assert client_for("manager_a").get(reverse("monitoring:export_download", args=[job.pk])).status_code == 200
    assert client_for("manager_a").get(reverse("monitoring:export_download", args=[99999])).status_code == 404


def test_expired_file_is_gone_with_a_message_and_deleted_by_the_beat_task(world, client_for):
    make_reports(world)
    job = run(world.manager_a, "reports", period_from="2024-01", period_to="2024-03")
    path = job.file.path
    assert os.path.exists(path)
    assert str(path).startswith(str(job.file.storage.location))
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = client_for("manager_a")
    response = client.get(reverse("monitoring:export_download", args=[job.pk]))
    assert response.status_code == 410
    assert "sudah kedaluwarsa" in response.content.decode()

    from monitoring.tasks_exports import export_expire_old_task

    assert export_expire_old_task.delay().get() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    assert not os.path.exists(path)
    assert client.get(reverse("monitoring:export_download", args=[job.pk])).status_code == 410
    assert "Kedaluwarsa" in client.get(reverse("monitoring:export_list")).content.decode()


def test_stale_jobs_are_failed_by_the_beat_task(world):
    job = ExportJob.objects.create(
        owner=world.fkn, kind="tenants", created_at=timezone.now() - dt.timedelta(hours=7), status="running"
    )
    services_exports.export_expire_old()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "terhenti" in job.error_message


def test_status_partial_polls_until_done(world, client_for):
    job = ExportJob.objects.create(owner=world.fkn, kind="tenants", status="running", progress=40, row_count=800)
    client = client_for("fkn")
    html = client.get(reverse("monitoring:export_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="40"' in html and "800 baris" in html
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error_message="Contoh galat.")
    html = client.get(reverse("monitoring:export_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in html and "Contoh galat." in html


def test_export_page_prefills_from_the_query_string(world, client_for):
    response = client_for("directorate").get(
        reverse("monitoring:export_list"), {"jenis": "reports", "dari": "2024-01", "provinsi": "32"}
    )
    form = response.context["form"]
    assert form["kind"].value() == "reports" and form["period_from"].value() == "2024-01"
    assert form["province"].value() == "32"


def test_export_page_query_count_does_not_grow_with_jobs(world, client_for, django_assert_max_num_queries):
    client = client_for("fkn")
    for _ in range(25):
        ExportJob.objects.create(owner=world.fkn, kind="tenants", status="done", progress=100)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monitoring:export_list")).status_code == 200
