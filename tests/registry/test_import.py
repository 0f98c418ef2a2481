"""Registry import from Excel: dry run, confirmation, idempotent re-import, region names, bad files."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from blkportal.core.errors import DomainError
from blkportal.core.models import ImportJob, ImportStatus
from blkportal.registry import imports
from blkportal.registry.models import Centre
from tests.registry.import_files import REGENCY_VARIANTS, csv_file, row, xlsx


@pytest.fixture(autouse=True)
def _run_jobs(django_capture_on_commit_callbacks, monkeypatch):
    """Run the queued Celery jobs (eager in tests) when each request's transaction commits, as the
    worker would right after it."""
    from django.test import Client

    post = Client.post

    def post_and_run(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_run)


def upload(client, file):
    response = client.post(reverse("registry:centre_import"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


def problems(job):
    return [(p["row"], p["column"], p["message"]) for p in job.problems]


@pytest.fixture
def directorate(client_for):
    return client_for("directorate")


def test_dry_run_writes_nothing_then_confirm_applies_with_history(world, directorate):
    before = Centre.objects.count()
    rows = [row(f"BLKK-N{i}", regency=variant) for i, variant in enumerate(REGENCY_VARIANTS)]
    rows.append(row("BLKK-A", name="BLK Komunitas Al-Hikmah Baru", regency="32.04", cohort_year=2019))  # update
    job = upload(directorate, xlsx(rows))

    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.error_message
    assert job.summary["create"] == len(REGENCY_VARIANTS) and job.summary["update"] == 1
    assert job.summary["rejected"] == 0 and job.problems == []
    assert Centre.objects.count() == before  # nothing written by the dry run
    page = directorate.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert 'data-count="create">7<' in page and "Terapkan impor" in page

    # Confirming without ticking the box applies nothing.
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {})
    assert Centre.objects.count() == before

    response = directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Centre.objects.count() == before + len(REGENCY_VARIANTS)
    regencies = dict(Centre.objects.filter(reg_code__startswith="BLKK-N").values_list("reg_code", "regency_id"))
    assert regencies == {
        "BLKK-N0": "32.04",
        "BLKK-N1": "12.10",
        "BLKK-N2": "12.23",
        "BLKK-N3": "35.78",
        "BLKK-N4": "32.73",
        "BLKK-N5": "34.04",
        "BLKK-N6": "91.71",
    }
    centre_a = Centre.objects.get(reg_code="BLKK-A")
    assert centre_a.name == "BLK Komunitas Al-Hikmah Baru"
    latest = centre_a.history.latest()
    assert latest.history_user == world.directorate
    assert latest.history_change_reason == "Impor berkas registri.xlsx"
    assert not job.file  # the uploaded file is deleted once applied


def test_reimporting_the_same_file_changes_nothing(world, directorate):
    rows = [row("BLKK-N1"), row("BLKK-N2", regency="Kota Bandung", kejuruan="Teknik Las; Teknik Informatika")]
    job = upload(directorate, xlsx(rows))
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    history = sum(c.history.count() for c in Centre.objects.filter(reg_code__startswith="BLKK-N"))

    again = upload(directorate, xlsx(rows))
    again.refresh_from_db()
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2, "rejected": 0, "sheet": "BLK"}
    assert not again.can_confirm
    page = directorate.get(reverse("registry:import_job", args=[again.pk])).content.decode()
    assert "Tidak ada yang perlu diubah" in page
    response = directorate.post(reverse("registry:import_confirm", args=[again.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert sum(c.history.count() for c in Centre.objects.filter(reg_code__startswith="BLKK-N")) == history


def test_rejected_cells_name_sheet_row_column_value_and_nothing_can_be_applied(world, directorate):
    rows = [
        row("BLKK-N1"),
        row("BLKK-N2", regency="Kabupaten Labuhan Batuu"),  # a typo: suggest the closest
        row("BLKK-N3", regency="Bandung"),  # a kabupaten and a kota: ambiguous
        row("BLKK-N4", host_type="Kuil", kejuruan="Sulap"),
        row("BLKK-N1", name="Kode dobel"),
        row("BLKK-N5", status="Nonaktif"),
    ]
    job = upload(directorate, xlsx(rows))
    job.refresh_from_db()
    assert job.summary["rejected"] == 5 and job.summary["create"] == 1
    found = problems(job)
    assert any(
        r == 3 and c == "Kabupaten/kota" and "Kabupaten Labuhanbatu (12.10, Sumatera Utara)" in m for r, c, m in found
    )
    ambiguous = next(m for r, c, m in found if r == 4)
    assert "Kabupaten Bandung (32.04" in ambiguous and "Kota Bandung (32.73" in ambiguous
    assert (5, "Jenis lembaga induk", "Jenis lembaga induk tidak dikenal. Pilih dari daftar di templat.") in found
    assert any(r == 5 and c == "Kejuruan" and "Sulap" in m for r, c, m in found)
    assert any(r == 6 and c == "Kode registrasi" and "baris 2" in m for r, c, m in found)
    assert any(r == 7 and c == "Tanggal nonaktif" for r, c, m in found)
    assert job.problems[0]["sheet"] == "BLK" and job.problems[0]["value"] == "Kabupaten Labuhan Batuu"
    page = directorate.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert "Mungkin maksud Anda" in page and "Terapkan impor" not in page
    # A forged confirmation is refused and writes nothing.
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert not Centre.objects.filter(reg_code__startswith="BLKK-N").exists()


def test_values_typed_as_people_type_them(world, directorate):
    rows = [
        row("BLKK-D1", activated_on="17/08/2021", cohort_year="2.019"),
        row("BLKK-D2", activated_on="2021-08-17", cohort_year="2019"),
        row("BLKK-D3", activated_on="17 Agustus 2021", is_incubator="Ya", incubator_year="2022"),
        None,  # a blank row in the middle is skipped
        row("BLKK-D4", name='=HYPERLINK("http://x")', host_name="+62 Yayasan", address="@alamat"),
    ]
    file = csv_file([r or {} for r in rows])
    job = upload(directorate, file)
    job.refresh_from_db()
    assert job.summary["create"] == 4, problems(job)
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    dates = set(
        Centre.objects.filter(reg_code__in=["BLKK-D1", "BLKK-D2", "BLKK-D3"]).values_list("activated_on", flat=True)
    )
    assert {d.isoformat() for d in dates} == {"2021-08-17"}
    assert Centre.objects.get(reg_code="BLKK-D1").cohort_year == 2019
    formula_like = Centre.objects.get(reg_code="BLKK-D4")
    assert formula_like.name == '=HYPERLINK("http://x")'  # kept as text, never evaluated
    assert formula_like.host_name == "+62 Yayasan" and formula_like.address == "@alamat"


def _bad(directorate, file):
    job = upload(directorate, file)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Centre.objects.filter(reg_code__startswith="BLKK-N").exists()
    page = directorate.get(reverse("registry:import_job", args=[job.pk])).content.decode()
    assert "Berkas ditolak" in page
    return job.error_message


def test_a_file_that_is_not_a_spreadsheet(world, directorate):
    message = _bad(directorate, SimpleUploadedFile("registri.xlsx", b"Ini surat, bukan tabel.\n"))
    assert "bukan lembar kerja" in message


def test_a_password_protected_workbook(world, directorate):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    assert "kata sandi" in _bad(directorate, SimpleUploadedFile("registri.xlsx", ole))


def test_a_file_over_ten_megabytes_is_refused_before_it_is_kept(world, directorate):
    big = SimpleUploadedFile("registri.xlsx", b"PK" + b"0" * (10 * 1024 * 1024 + 1))
    response = directorate.post(reverse("registry:centre_import"), {"file": big})
    assert response.status_code == 200
    assert "lebih dari 10 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_bomb(world, directorate):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (300 * 1024 * 1024))
    assert "mengembang" in _bad(directorate, SimpleUploadedFile("registri.xlsx", buffer.getvalue()))


def test_a_formula(world, directorate):
    def prepare(book, ws):
        ws["G2"] = "=2018+1"

    message = _bad(directorate, xlsx([row("BLKK-N1")], prepare=prepare))
    assert "G2" in message and "rumus" in message


def test_merged_header_cells(world, directorate):
    message = _bad(directorate, xlsx([row("BLKK-N1")], prepare=lambda book, ws: ws.merge_cells("A1:B1")))
    assert "digabung (A1:B1)" in message


def test_extra_and_missing_columns(world, directorate):
    headers = [h for h in xlsx.__globals__["HEADERS"] if h != "Nama BLK"] + ["Catatan"]
    message = _bad(directorate, xlsx([["BLKK-N1"]], headers=headers))
    assert "kolom wajib tidak ada: Nama BLK" in message and "kolom tidak dikenal: Catatan" in message


def test_a_hidden_sheet_is_not_read(world, directorate):
    def prepare(book, ws):
        hidden = book.create_sheet("Lama", 0)
        hidden.append(["apa saja"])
        hidden.sheet_state = "hidden"

    job = upload(directorate, xlsx([row("BLKK-N1")], prepare=prepare))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.summary["create"] == 1


def test_too_many_rows(world, directorate, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    message = _bad(directorate, xlsx([row(f"BLKK-N{i}") for i in range(60)]))
    assert "paling banyak 50 baris" in message


def test_the_registry_changed_between_dry_run_and_confirmation(world, directorate):
    job = upload(directorate, xlsx([row("BLKK-N1"), row("BLKK-N2")]))
    # Meanwhile someone registers BLKK-N2 by hand (different case): the import now collides.
    Centre.objects.create(
        reg_code="blkk-n2",
        name="Tangan",
        host_name="X",
        host_type="pesantren",
        regency_id="32.04",
        cohort_year=2019,
        activated_on="2019-07-01",
    )
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "Registri berubah sejak pemeriksaan" in job.error_message
    assert not Centre.objects.filter(reg_code="BLKK-N1").exists()


def test_another_users_job_is_404_and_a_forged_service_call_is_refused(world, client_for, directorate):
    job = upload(directorate, xlsx([row("BLKK-N1")]))
    assert client_for("admin").get(reverse("registry:import_job", args=[job.pk])).status_code == 404
    with pytest.raises(DomainError):
        imports.centre_import_confirm(job=job, by=world.admin)
    with pytest.raises(DomainError):
        imports.centre_import_start(by=world.reviewer, upload=xlsx([row("BLKK-N1")]))


def test_the_template_reads_back_with_its_lists_and_instructions(world, directorate):
    response = directorate.get(reverse("registry:centre_import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["BLK", "Referensi", "Petunjuk"]
    sheet = book["BLK"]
    assert [c.value for c in sheet[1]][:2] == ["Kode registrasi *", "Nama BLK *"]
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert "'Referensi'!$A$2:$A$515" in formulas  # the 514 kabupaten/kota
    assert book["Referensi"].sheet_state == "hidden"
    # The example row is a valid centre: with a code and name of its own, it passes the dry run.
    # (Sent back as it is, it is refused as the example: tests/imports/test_flow.py.)
    sheet["A2"], sheet["B2"] = "BLKK-3204-777", "BLK Komunitas Al-Ikhlas"
    buffer = io.BytesIO()
    book.save(buffer)
    job = upload(directorate, SimpleUploadedFile("templat.xlsx", buffer.getvalue()))
    job.refresh_from_db()
    assert job.summary["create"] == 1, problems(job)
