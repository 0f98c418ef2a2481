"""The monthly report as a spreadsheet: download pre-filled, fill offline, upload back as the draft
through the web form's own rules; every refusal says why in Indonesian and loses nothing."""

import re

import openpyxl
import pytest
from django.core import signing
from django.urls import reverse

from blkportal.core.models import ImportJob
from blkportal.core.months import add_months
from reporting import services
from reporting.fields import REPORT_INPUT_FIELDS
from reporting.models import Report, ReportIncome, ReportProblem, TrainingBatch
from reporting.workbook import layout
from reporting.workbook.marker import marker_loads
from tests.reporting.workbook_files import (
    download,
    edit,
    open_book,
    report_cell,
    save,
    table_cell,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client_for):
    return client_for("manager_a")


@pytest.fixture
def ready(filled, world):
    """A filled draft with one row in each of income and problems."""
    services.report_line_add(
        report=filled, by=world.manager_a, kind="income", data={"source": "jasa", "amount": 1_500_000}
    )
    services.report_line_add(
        report=filled,
        by=world.manager_a,
        kind="problem",
        data={"category": "sdm", "description": "Kurang instruktur", "support_needed": ""},
    )
    filled.refresh_from_db()
    return filled


def panel(response) -> str:
    html = response.content.decode()
    start = html.index('id="lembar-kerja"')
    text = re.sub(r"<[^>]+>", "", html[start : html.index('id="workbook-download"', start)])
    return re.sub(r"\s+", " ", text).replace("&#x27;", "'")


def problems(response) -> list[tuple[str, str]]:
    job = ImportJob.objects.filter(kind="report_workbook").latest("pk")
    return [(p["ref"], p["message"]) for p in job.problems]


def unlocked(ws) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}


# --- download ---------------------------------------------------------------------------------


def test_download_is_prefilled_locked_validated_and_signed(manager, ready, world, last_month):
    Report.objects.create(
        centre=world.centre_a, period=add_months(last_month, -1), managers_count=2, permit_status="in_process"
    )
    book = open_book(download(manager, ready))
    titles = layout.sheet_titles()
    assert book.sheetnames[0] == titles["guide"] == "Petunjuk"
    assert "unggah di halaman isian laporan" in " ".join(str(c.value) for c in book["Petunjuk"]["B"] if c.value)
    assert report_cell(book, "alumni_bekerja").value == 5
    assert report_cell(book, "permit_status").value == "Izin operasional"
    assert report_cell(book, "operating_cost").value == 2_500_000
    sheet = book[titles["report"]]
    row = report_cell(book, "managers_count").row
    assert sheet.cell(row=row, column=5).value == "2"  # last month's value, for reference
    assert sheet.cell(row=row, column=4).value.startswith("Wajib diisi")

    # Only the input cells are unlocked; the sheet and the workbook's structure are protected.
    assert sheet.protection.sheet and book.security.lockStructure
    assert unlocked(sheet) == {report_cell(book, name).coordinate for name in layout.REPORT_SECTIONS[0][1]} | {
        report_cell(book, name).coordinate for name in layout.REPORT_SECTIONS[1][1]
    }
    batch = TrainingBatch.objects.get(centre=world.centre_a)
    assert table_cell(book, "batches", batch.pk, "program_name").value == "Pengelasan SMAW"
    assert table_cell(book, "batches", batch.pk, "program_name").protection.locked
    assert table_cell(book, "batches", batch.pk, "graduated").value == 14
    assert table_cell(book, "batches", batch.pk, "graduated").protection.locked is False
    assert table_cell(book, "income", 1, "source").value == "Jasa"
    assert table_cell(book, "income", 50, "amount").protection.locked is False  # 50 rows to fill

    # Excel checks numbers and lists as people type.
    kinds = {(dv.type, str(dv.sqref)) for dv in sheet.data_validations.dataValidation}
    assert ("whole", report_cell(book, "alumni_bekerja").coordinate) in kinds
    assert ("list", report_cell(book, "permit_status").coordinate) in kinds
    assert ("decimal", report_cell(book, "operating_cost").coordinate) in kinds

    marker = book[layout.MARKER_SHEET]
    assert marker.sheet_state == "veryHidden"
    payload = signing.loads(marker["A1"].value, salt="reporting.workbook.marker")
    assert (payload["r"], payload["c"], payload["p"], payload["e"]) == (
        ready.pk,
        world.centre_a.pk,
        last_month.isoformat(),
        True,
    )
    assert not {"v", "u", "t"} & set(payload)  # the draft's version and times: nothing read them


def test_every_report_input_field_is_in_the_workbook(manager, ready):
    """Sections B and C are REPORT_INPUT_FIELDS, in order: a field added to the web form reaches the
    workbook (and its upload) too."""
    assert [name for _heading, names in layout.REPORT_SECTIONS for name in names] == REPORT_INPUT_FIELDS
    assert [col.key for _heading, cols in layout.report_columns() for col in cols] == REPORT_INPUT_FIELDS
    assert set(REPORT_INPUT_FIELDS) <= set(layout.rule_refs())
    book = open_book(download(manager, ready))
    for name in REPORT_INPUT_FIELDS:
        assert report_cell(book, name).protection.locked is False, name


def test_a_file_downloaded_before_the_marker_dropped_version_and_times_still_loads(manager, ready):
    book = open_book(download(manager, ready))
    payload = signing.loads(book[layout.MARKER_SHEET]["A1"].value, salt="reporting.workbook.marker")
    payload.update(v=ready.version, u=ready.updated_at.isoformat(), t="2025-01-01T00:00:00+00:00")
    book[layout.MARKER_SHEET]["A1"].value = signing.dumps(payload, salt="reporting.workbook.marker", compress=True)
    marker = marker_loads(book[layout.MARKER_SHEET]["A1"].value)
    assert (marker.report_id, marker.editable) == (ready.pk, True)
    history, version = ready.history.count(), ready.version
    upload(manager, ready, save(book))
    ready.refresh_from_db()
    assert (ready.version, ready.history.count()) == (version, history)
    assert ImportJob.objects.filter(kind="report_workbook").latest("pk").status == "applied"


def test_viewers_get_a_locked_copy_that_cannot_be_uploaded(client_for, submitted, world):
    content = download(client_for("reviewer"), submitted)
    book = open_book(content)
    assert not any(unlocked(ws) for ws in book.worksheets)
    assert book["Laporan"]["B2"].value.startswith("Salinan baca-saja")

    # Returned to the manager, the read-only copy still cannot be uploaded: they download again.
    services.report_return(report=submitted, by=world.reviewer, reason="Angka alumni perlu dicek ulang.")
    response = upload(client_for("manager_a"), submitted, edit(content, report={"alumni_bekerja": 1}))
    assert "salinan baca-saja" in panel(response)
    assert Report.objects.get(pk=submitted.pk).alumni_bekerja == 5


# --- round trip -------------------------------------------------------------------------------


def test_uploading_the_file_unchanged_changes_nothing(manager, ready):
    lines = set(ReportIncome.objects.values_list("pk", flat=True))
    history, version = ready.history.count(), ready.version
    response = upload(manager, ready, download(manager, ready))
    assert "tidak ada yang berubah" in panel(response)
    ready.refresh_from_db()
    assert (ready.version, ready.history.count()) == (version, history)
    assert set(ReportIncome.objects.values_list("pk", flat=True)) == lines


def test_numbers_typed_with_thousands_separators_read_as_meant(manager, ready):
    content = edit(
        download(manager, ready),
        report={"managers_count": "1.234", "instructors_count": "1,234", "operating_cost": "Rp 1.000"},
        lines={
            ("income", 1): {"amount": "2.750.000"},
            ("income", 2): {"source": "Hibah / donasi mitra", "amount": "Rp1.000,00"},
        },
    )
    response = upload(manager, ready, content)
    assert "Lembar kerja diterapkan" in panel(response), panel(response)
    ready.refresh_from_db()
    assert (ready.managers_count, ready.instructors_count, ready.operating_cost) == (1234, 1234, 1000)
    assert sorted(ready.income_lines.values_list("amount", flat=True)) == [1000, 2_750_000]
    assert ready.own_income == 2_751_000


def test_sections_and_batches_change_through_their_services(manager, ready, world):
    batch = TrainingBatch.objects.get(centre=world.centre_a)
    content = edit(
        download(manager, ready),
        lines={
            ("problem", 1): {"category": None, "description": None},  # cleared: removed
            ("product", 1): {"name": "Meja las", "units_sold": 3, "revenue": 900_000, "channel": "Lokal"},
        },
        batches={batch.pk: {"graduated": 13, "failed": 2}},
    )
    response = upload(manager, ready, content)
    assert "1 baris ditambah, 1 baris dihapus, 1 angkatan diperbarui" in panel(response)
    assert not ReportProblem.objects.filter(report=ready).exists()
    assert ready.products.get().name == "Meja las"
    batch.refresh_from_db()
    assert (batch.graduated, batch.failed) == (13, 2)
    assert batch.history.latest().history_user == world.manager_a


# --- cells refused ----------------------------------------------------------------------------


def test_bad_cells_are_refused_each_against_its_cell_and_nothing_is_saved(manager, ready, world):
    batch = TrainingBatch.objects.get(centre=world.centre_a)
    before = Report.objects.get(pk=ready.pk)
    content = edit(
        download(manager, ready),
        report={
            "alumni_bekerja": "banyak",
            "managers_count": -2,
            "instructors_count": "12,5",
            "permit_status": "Sudah",
            "permit_expiry": "31/02/2027",
            "operating_cost": "-5000",
            "alumni_studi": 3,  # a good change, not saved either
        },
        lines={("income", 2): {"amount": 5000}},  # no source
        batches={batch.pk: {"graduated": 30}},
    )
    response = upload(manager, ready, content)
    found = dict(problems(response))
    book = open_book(content)
    ref = {name: f"Laporan!{report_cell(book, name).coordinate}" for name in ("alumni_bekerja", "managers_count")}
    assert found[ref["alumni_bekerja"]] == "Isi dengan angka bulat, misalnya 12."
    assert found[ref["managers_count"]] == "Tidak boleh negatif."
    assert (
        found[f"Laporan!{report_cell(book, 'instructors_count').coordinate}"] == "Isi dengan angka bulat, misalnya 12."
    )
    assert "pilihan" in found[f"Laporan!{report_cell(book, 'permit_status').coordinate}"].lower()
    assert "tanggal" in found[f"Laporan!{report_cell(book, 'permit_expiry').coordinate}"].lower()
    assert found[f"Laporan!{report_cell(book, 'operating_cost').coordinate}"] == "Jumlah rupiah tidak boleh negatif."
    income_ref = f"'D. Pendapatan mandiri'!{table_cell(book, 'income', 2, 'source').coordinate}"
    assert income_ref in found
    graduated = f"'A. Pelatihan'!{table_cell(book, 'batches', batch.pk, 'graduated').coordinate}"
    assert found[graduated] == "Lulus (30) tidak boleh lebih dari jumlah peserta (16)."

    text = panel(response)
    assert "Berkas ditolak; draf tidak berubah." in text
    assert "Laporan!C" in text and "(isi: “banyak”)" in text
    # Beside the field on the edit page too.
    html = response.content.decode()
    box = html[html.index('id="id_managers_count_error"') :][:300]
    assert f"Berkas Excel, sel {ref['managers_count']}: Tidak boleh negatif." in box

    after = Report.objects.get(pk=ready.pk)
    assert (after.version, after.alumni_studi, after.alumni_bekerja) == (before.version, 1, 5)
    batch.refresh_from_db()
    assert batch.graduated == 14


def test_a_cleared_required_cell_is_saved_and_named_with_its_cell(manager, ready):
    response = upload(manager, ready, edit(download(manager, ready), report={"alumni_bekerja": None}))
    ready.refresh_from_db()
    assert ready.alumni_bekerja is None
    text = panel(response)
    assert "Laporan!C6 · Bekerja: Wajib diisi (isi 0 bila memang tidak ada)." in text
    html = response.content.decode()
    assert "Wajib diisi" in html[html.index('id="id_alumni_bekerja_error"') :][:300]  # beside the field


def test_rows_added_to_the_batch_table_or_below_a_table_are_refused(manager, ready, world):
    batch = TrainingBatch.objects.get(centre=world.centre_a)
    book = open_book(download(manager, ready))
    batches = book["A. Pelatihan"]
    below = table_cell(book, "batches", batch.pk, "program_name").row + 1
    batches.cell(row=below, column=2).value = "Angkatan baru"
    batches.cell(row=below, column=7).value = 100
    income = book["D. Pendapatan mandiri"]
    income.cell(row=layout.FIRST_ROW + 50, column=2).value = "Jasa"
    income.cell(row=layout.FIRST_ROW + 50, column=3).value = 1000
    response = upload(manager, ready, save(book))
    found = problems(response)
    assert (f"'A. Pelatihan'!B{below}", found[0][1]) == found[0]
    assert "Angkatan baru ditambahkan di portal" in found[0][1]
    assert found[1] == (
        f"'D. Pendapatan mandiri'!B{layout.FIRST_ROW + 50}",
        "Baris ini di luar tabel (paling banyak 50 baris). Pindahkan isinya ke baris kosong di dalam tabel.",
    )
    assert TrainingBatch.objects.count() == 1


# --- files refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda content: b"%PDF-1.4 not a spreadsheet", "bukan lembar kerja Excel"),
        (lambda content: b"PK\x03\x04 broken zip", "rusak atau bukan lembar kerja"),
        (lambda content: save(openpyxl.Workbook()), "bukan lembar kerja laporan yang diunduh dari portal"),
        (lambda content: _tamper(content), "rusak atau telah diubah"),
        (lambda content: _formula(content), "berisi rumus"),
        (lambda content: _rename(content), "Lembar “D. Kemitraan” tidak ada"),
    ],
    ids=["pdf", "broken-zip", "plain-workbook", "tampered-marker", "formula", "renamed-sheet"],
)
def test_files_that_cannot_be_this_reports_are_refused(manager, ready, make, message):
    before = Report.objects.get(pk=ready.pk).version
    response = upload(manager, ready, make(download(manager, ready)))
    assert response.status_code == 200
    assert message in panel(response)
    assert Report.objects.get(pk=ready.pk).version == before


def _tamper(content):
    book = open_book(content)
    payload = signing.loads(book[layout.MARKER_SHEET]["A1"].value, salt="reporting.workbook.marker")
    payload["r"] += 1
    value = book[layout.MARKER_SHEET]["A1"].value
    book[layout.MARKER_SHEET]["A1"].value = signing.dumps(payload, salt="another")[:20] + value[20:]
    return save(book)


def _formula(content):
    book = open_book(content)
    report_cell(book, "managers_count").value = "=1+2"
    return save(book)


def _rename(content):
    book = open_book(content)
    book["D. Kemitraan"].title = "Mitra"
    return save(book)


def test_another_centres_file_is_refused_without_naming_it(client_for, manager, ready, world, last_month):
    other = services.report_get_or_create_draft(centre=world.centre_b, period=last_month, by=world.manager_b)
    content = download(client_for("manager_b"), other)
    response = upload(manager, ready, content)
    text = panel(response)
    assert "bukan untuk laporan ini (BLK atau bulannya lain)" in text
    assert world.centre_b.name not in response.content.decode()
    assert Report.objects.get(pk=ready.pk).version == ready.version
    # Their report itself is out of scope: 404, not a refusal that would confirm it exists.
    assert upload(manager, other, content, follow=False).status_code == 404


def test_another_months_file_names_both_months(manager, ready, world, last_month):
    earlier = Report.objects.create(centre=world.centre_a, period=add_months(last_month, -1))
    response = upload(manager, ready, download(manager, earlier))
    assert re.search(r"untuk laporan \w+ \d{4}, bukan \w+ \d{4}", panel(response))


def test_a_report_no_longer_editable_is_refused_and_kept(manager, filled, world):
    content = edit(download(manager, filled), report={"alumni_bekerja": 1})
    services.report_submit(report=filled, by=world.manager_a)
    response = upload(manager, filled, content, follow=False)
    assert response.status_code == 409
    assert "sudah diajukan" in response.content.decode()
    assert Report.objects.get(pk=filled.pk).alumni_bekerja == 5


def test_no_file_or_an_empty_file_says_so(manager, ready):
    url = reverse("reporting:report_workbook_upload", args=[ready.pk])
    response = manager.post(url, {}, follow=True)
    assert "Pilih berkas lembar kerja (.xlsx)" in response.content.decode()


# --- the draft changed on the portal meanwhile ---------------------------------------------------


def test_a_draft_changed_since_the_download_asks_per_value_then_applies(manager, ready, world):
    content = edit(download(manager, ready), report={"alumni_bekerja": 4, "managers_count": 9})
    # Meanwhile, on the portal: the same value and a section change.
    services.report_save_draft(
        report=ready, by=world.manager_a, data={"alumni_bekerja": 6}, expected_version=ready.version
    )
    services.report_line_add(
        report=ready, by=world.manager_a, kind="problem", data={"category": "pasar", "description": "Harga turun"}
    )
    response = upload(manager, ready, content)
    assert response.redirect_chain[-1][0].startswith(f"/laporan/{ready.pk}/lembar-kerja/")
    html = response.content.decode()
    changes = re.findall(r'data-key="([^"]+)"', html)
    assert changes == ["f.alumni_bekerja", "l.problem"]  # managers_count changed only in the file
    assert "Diubah di portal dan di berkas." in html and "Hanya diubah di portal" in html
    assert "Harga turun" in html  # both values are shown
    assert Report.objects.get(pk=ready.pk).managers_count == 3  # nothing applied yet

    job = ImportJob.objects.get(kind="report_workbook", status="checked")
    url = reverse("reporting:report_workbook_choose", args=[ready.pk, job.pk])
    seen = re.search(r'name="seen" value="([^"]+)"', html).group(1)
    # No choice for the value both changed: asked again, nothing applied.
    response = manager.post(url, {"seen": seen, "kunci": changes, "pilih-l.problem": "server"})
    assert response.status_code == 400
    assert Report.objects.get(pk=ready.pk).alumni_bekerja == 6

    response = manager.post(
        url,
        {"seen": seen, "kunci": changes, "pilih-f.alumni_bekerja": "file", "pilih-l.problem": "server"},
        follow=True,
    )
    assert "1 isian tetap memakai nilai portal" in panel(response)
    ready.refresh_from_db()
    assert (ready.alumni_bekerja, ready.managers_count) == (4, 9)
    assert sorted(ready.problems.values_list("description", flat=True)) == ["Harga turun", "Kurang instruktur"]


def test_a_choice_made_on_an_outdated_page_is_asked_again(manager, ready, world):
    content = edit(download(manager, ready), report={"alumni_bekerja": 4})
    ready = services.report_save_draft(
        report=ready, by=world.manager_a, data={"alumni_bekerja": 6}, expected_version=ready.version
    )
    html = upload(manager, ready, content).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', html).group(1)
    services.report_save_draft(
        report=ready, by=world.manager_a, data={"alumni_bekerja": 7}, expected_version=ready.version
    )
    job = ImportJob.objects.get(kind="report_workbook", status="checked")
    url = reverse("reporting:report_workbook_choose", args=[ready.pk, job.pk])
    response = manager.post(url, {"seen": seen, "kunci": ["f.alumni_bekerja"], "semua": "file"})
    assert response.status_code == 409
    assert "berubah lagi" in response.content.decode()
    assert Report.objects.get(pk=ready.pk).alumni_bekerja == 7

    seen = re.search(r'name="seen" value="([^"]+)"', response.content.decode()).group(1)
    manager.post(url, {"seen": seen, "kunci": ["f.alumni_bekerja"], "semua": "server"})
    assert Report.objects.get(pk=ready.pk).alumni_bekerja == 7
    job.refresh_from_db()
    assert job.status == "applied" and not job.file


def test_someone_elses_upload_is_not_found(client_for, manager, ready, world):
    content = edit(download(manager, ready), report={"alumni_bekerja": 4})
    services.report_save_draft(
        report=ready, by=world.manager_a, data={"alumni_bekerja": 6}, expected_version=ready.version
    )
    upload(manager, ready, content)
    job = ImportJob.objects.get(kind="report_workbook", status="checked")
    url = reverse("reporting:report_workbook_choose", args=[ready.pk, job.pk])
    assert client_for("admin").get(url).status_code == 404
    assert manager.get(url).status_code == 200
