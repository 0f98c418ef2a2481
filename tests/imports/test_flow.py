"""The one import flow every kind shares: the safe reading of core/spreadsheets for each kind, expiry,
a repeated delivery of the application, and where the imports are found."""

import datetime as dt

import pytest
from django.urls import reverse

from blkportal.core import imports
from blkportal.core.models import ImportJob, ImportStatus
from blkportal.registry.models import User
from tests.imports import test_accounts, test_batches, test_history
from tests.imports.conftest import TODAY, page, sheet, upload

KINDS = {
    "accounts": (
        "directorate",
        lambda w: test_accounts.URL,
        test_accounts.HEADERS,
        "Akun",
        lambda w: [test_accounts.account("a@contoh.id")[h] for h in test_accounts.HEADERS],
    ),
    "history": (
        "admin",
        lambda w: test_history.URL,
        test_history.HEADERS,
        "Laporan bulanan",
        lambda w: [test_history.past()[h] for h in test_history.HEADERS],
    ),
    "batches": (
        "manager_a",
        lambda w: test_batches.url(w.centre_a),
        test_batches.HEADERS,
        "Angkatan",
        lambda w: [test_batches.batch()[h] for h in test_batches.HEADERS],
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_refuses_a_formula_and_unknown_columns_before_reading_rows(world, client_for, kind):
    persona, url, headers, title, good = KINDS[kind]
    client = client_for(persona)

    def formula(book, ws):
        ws["A2"] = "=1+1"

    job = upload(client, url(world), sheet(headers, [good(world)], title=title, prepare=formula))
    assert job.status == ImportStatus.FAILED and "A2" in job.error_message and "rumus" in job.error_message
    job = upload(client, url(world), sheet([*headers, "Catatan lain"], [good(world)], title=title))
    assert job.status == ImportStatus.FAILED and "kolom tidak dikenal: Catatan lain" in job.error_message
    assert "Berkas ditolak" in page(client, job)
    # The good row alone passes: the kind reads what its template writes.
    job = upload(client, url(world), sheet(headers, [good(world)], title=title))
    assert job.status == ImportStatus.CHECKED and job.summary["create"] == 1, job.problems


def test_an_unconfirmed_dry_run_expires_and_can_no_longer_be_applied(world, client_for, time_machine):
    client = client_for("directorate")
    job = upload(client, test_accounts.URL, test_accounts.accounts_file([test_accounts.account("a@contoh.id")]))
    assert job.can_confirm and job.file
    time_machine.move_to(TODAY + dt.timedelta(hours=25), tick=False)
    assert imports.import_expire_old() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.EXPIRED and not job.file
    client.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert not User.objects.filter(email="a@contoh.id").exists()
    assert "kedaluwarsa" in page(client, job)


def test_a_second_delivery_of_the_application_applies_nothing_twice(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("directorate")
    job = upload(client, test_accounts.URL, test_accounts.accounts_file([test_accounts.account("a@contoh.id")]))
    with django_capture_on_commit_callbacks(execute=False):  # the confirmation's own task is not run
        imports.import_confirm(job=job, by=world.directorate)
    assert imports.import_apply(job_id=job.pk).status == ImportStatus.APPLIED
    assert imports.import_apply(job_id=job.pk).status == ImportStatus.APPLIED
    assert User.objects.filter(email="a@contoh.id").count() == 1


def test_the_imports_are_listed_where_people_look_for_them(world, client_for):
    admin = client_for("admin").get(reverse("registry:import_list")).content.decode()
    for url in (reverse("registry:centre_import"), test_accounts.URL, test_history.URL):
        assert f'href="{url}"' in admin
    manager = client_for("manager_a").get(reverse("registry:import_list")).content.decode()
    assert test_batches.url(world.centre_a) in manager and test_accounts.URL not in manager
    directorate = client_for("directorate")
    assert reverse("registry:import_list") in directorate.get(reverse("home")).content.decode()
    users = directorate.get(reverse("registry:user_list")).content.decode()
    assert test_accounts.URL in users
    assert ImportJob.objects.count() == 0


def test_every_import_template_prints_on_a4_landscape(world):
    """The templates are printed and handed round like the exports: A4 landscape, fit to width,
    header row on every page."""
    import io

    from openpyxl import load_workbook

    from blkportal.core.imports import all_kinds

    for kind in all_kinds():
        params = {"centre_id": world.centre_a.pk}
        book = load_workbook(io.BytesIO(kind.template_xlsx(by=world.admin, params=params)))
        sheet = book[str(kind.sheet)]
        assert sheet.page_setup.orientation == "landscape", kind.name
        assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == "$1:$1", kind.name


def test_a_kinds_columns_are_worked_out_once_per_file_not_once_per_rejected_cell(world, client_for, monkeypatch):
    """The history kind's columns are computed (the reports export's columns): reading them once per
    rejected cell made a large file with problems take minutes. A problem of a field with no column of
    its own is shown under the kind's fallback column."""
    from monitoring import imports as history_imports

    calls = []
    columns = history_imports.history_columns

    def counted():
        calls.append(1)
        return columns()

    monkeypatch.setattr(history_imports, "history_columns", counted)
    rows = [test_history.past(month="05/2025", submitted="08/06/2025", **{"Kode BLK": "BLKK-ZZZ"})] * 30
    job = upload(client_for("admin"), test_history.URL, test_history.history_file(rows))
    assert job.status == ImportStatus.CHECKED and job.summary["rejected"] == 30
    assert len(job.problems) >= 60
    assert {p["column"] for p in job.problems} == {"Kode BLK", "Bulan laporan"}
    assert len(calls) == 1

    plan = imports.Plan(sheet="X", headers={"code": "Kode"}, fallback="code")
    assert (plan.header("code"), plan.header("__all__")) == ("Kode", "Kode")
    assert imports.Plan(sheet="X", headers={"code": "Kode"}).header("other") == "other"


@pytest.mark.parametrize(
    ("kind", "persona"),
    [("centres", "admin"), ("accounts", "directorate"), ("history", "admin"), ("batches", "manager_a")],
)
def test_a_template_sent_back_with_its_example_row_applies_nothing(world, client_for, kind, persona):
    """People download the template and upload it before deleting the example (or with their rows
    below it): the example is rejected with the reason, never created (no "BLK Komunitas Contoh"
    in the registry, no account for budi@contoh.id)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    spec = imports.get_kind(kind)
    client = client_for(persona)
    params = {"centre_id": world.centre_a.pk} if kind == "batches" else {}
    template = client.get(spec.template_url(params))
    assert template.status_code == 200
    job = upload(client, spec.upload_url(params), SimpleUploadedFile("templat.xlsx", template.content))
    assert job.status == ImportStatus.CHECKED, job.error_message
    assert job.summary["create"] == 0 and job.summary["update"] == 0 and job.summary["rejected"] == 1
    assert [(p["row"], p["message"]) for p in job.problems] == [(2, str(imports.EXAMPLE_ROW))]
    assert "Ini baris contoh dari templat" in page(client, job)
