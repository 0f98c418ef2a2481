"""Exports larger than one worksheet (Excel: 1,048,576 rows with the header) are split over several
sheets, by year where the rows have one, and say so on the methodology sheet and in the job's
message. The limit is a setting (EXPORT_SHEET_MAX_ROWS), set small here."""

import datetime as dt

import pytest
from django.urls import reverse

from monitoring import services_exports
from monitoring.exporters.base import split_sheets
from monitoring.models import ExportJob, ExportStatus
from tests.monitoring.test_export_helpers import as_dicts, make_reports, read_xlsx

pytestmark = pytest.mark.django_db
ALL_MONTHS = {"period_from": "2023-12", "period_to": "2024-03"}  # the 9 reports of make_reports


def run(user, kind="reports", file_format="xlsx", **params):
    job = ExportJob.objects.create(owner=user, kind=kind, file_format=file_format, parameters=params)
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.error_message
    return job


def test_split_sheets_by_year_then_in_parts():
    rows = [(2019, "a"), (2020, "b"), (2020, "c"), (2020, "d"), (2021, "e")]
    parts = [(title, list(part)) for title, part in split_sheets("Laporan", rows, limit=2, year_of=lambda r: r[0])]
    assert parts == [
        ("Laporan 2019", [(2019, "a")]),
        ("Laporan 2020", [(2020, "b"), (2020, "c")]),
        ("Laporan 2020 (2)", [(2020, "d")]),
        ("Laporan 2021", [(2021, "e")]),
    ]
    # Without a year: the first sheet keeps its title; titles stay within Excel's 31 characters.
    title = "Sebuah judul lembar yang sangat panjang"
    parts = [(t, len(list(p))) for t, p in split_sheets(title, range(5), limit=2)]
    assert parts == [(title[:31], 2), (title[:27] + " (2)", 2), (title[:27] + " (3)", 1)]
    assert [t for t, _p in split_sheets("Laporan", range(2), limit=2)] == ["Laporan"]


def test_reports_too_large_for_one_sheet_are_split_by_year(world, settings, client_for):
    settings.EXPORT_SHEET_MAX_ROWS = 5
    make_reports(world)
    job = run(world.directorate, **ALL_MONTHS)
    assert job.row_count == 9
    wb = read_xlsx(job)
    assert wb.sheetnames[:3] == ["Laporan bulanan 2023", "Laporan bulanan 2024", "Laporan bulanan 2024 (2)"]
    sheets = [as_dicts(wb[name]) for name in wb.sheetnames[:3]]
    assert [len(rows) for rows in sheets] == [1, 5, 3]
    assert {r["Bulan laporan"] for r in sheets[0]} == {dt.datetime(2023, 12, 1)}
    assert {r["Bulan laporan"].year for r in sheets[1] + sheets[2]} == {2024}
    # Every part is a complete table: header, frozen panes, filter over its own rows.
    for name, rows in zip(wb.sheetnames[:3], sheets, strict=True):
        ws = wb[name]
        assert ws["A1"].value == "Kode BLK" and ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.endswith(str(len(rows) + 1))
    # The file and the job both say so.
    note = (
        "Data Laporan bulanan (9 baris) melebihi 5 baris per lembar Excel, sehingga dibagi ke 3 lembar: "
        "Laporan bulanan 2023, Laporan bulanan 2024, Laporan bulanan 2024 (2)."
    )
    assert job.note == note
    assert wb.sheetnames[-1] == "Metodologi"
    first = as_dicts(wb["Metodologi"])[0]
    assert (first["Bagian"], first["Butir"], first["Isi"]) == ("Berkas", "Pembagian lembar", note)
    page = client_for("directorate").get(reverse("monitoring:export_list"))
    assert note in page.content.decode()


def test_reports_that_fit_stay_on_one_sheet(world, settings):
    settings.EXPORT_SHEET_MAX_ROWS = 9
    make_reports(world)
    job = run(world.directorate, **ALL_MONTHS)
    wb = read_xlsx(job)
    assert wb.sheetnames[0] == "Laporan bulanan" and len(as_dicts(wb["Laporan bulanan"])) == 9
    assert job.note == ""
    assert as_dicts(wb["Metodologi"])[0]["Bagian"] != "Berkas"


def test_a_section_sheet_too_large_continues_on_the_next(world, settings):
    settings.EXPORT_SHEET_MAX_ROWS = 1
    make_reports(world)  # two income lines on one report
    job = run(world.directorate, period_from="2024-01", period_to="2024-01")
    wb = read_xlsx(job)
    assert [n for n in wb.sheetnames if n.startswith("Pend")] == ["Pendapatan mandiri", "Pendapatan mandiri (2)"]
    assert "Data Pendapatan mandiri (2 baris)" in job.note
    assert "dibagi ke 3 lembar: Laporan bulanan 2024, Laporan bulanan 2024 (2), Laporan bulanan 2024 (3)" in job.note


def test_notes_go_first_on_the_methodology_sheet_or_on_a_sheet_of_their_own():
    from monitoring.exporters.base import Column, Sheet, _with_notes

    sheet = _with_notes(None, ["Dibagi."])
    assert sheet.title == "Keterangan" and list(sheet.rows) == [("Berkas", "Pembagian lembar", "Dibagi.", None, None)]
    kept = _with_notes(Sheet("Metodologi", [Column("Bagian")], [("Aturan",)]), ["Dibagi."])
    assert kept.title == "Metodologi" and list(kept.rows)[1] == ("Aturan",)


def test_csv_larger_than_a_sheet_says_so(world, settings):
    settings.EXPORT_SHEET_MAX_ROWS = 5
    make_reports(world)
    job = run(world.directorate, file_format="csv", **ALL_MONTHS)
    assert job.row_count == 9
    assert job.note == (
        "Berkas CSV ini berisi 9 baris, sedangkan Excel membuka paling banyak 5 baris data per lembar. "
        "Pilih format XLSX agar data dibagi ke beberapa lembar."
    )


def test_a_split_export_counts_its_rows_once(world, settings):
    """The progress bar and the split both need the row count: on a national export that is a COUNT
    over every report, so it runs once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.EXPORT_SHEET_MAX_ROWS = 5
    make_reports(world)
    with CaptureQueriesContext(connection) as queries:
        run(world.directorate, **ALL_MONTHS)
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(") and '"reporting_report"' in q["sql"]]
    assert len(counts) == 1, counts
