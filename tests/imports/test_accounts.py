"""Accounts from Excel: managers, reviewers, mentors and FKN coordinators with their scope, invited by
e-mail to set their own password; re-import changes nothing; admin-level roles are refused."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from blkportal.core import imports
from blkportal.core.errors import DomainError
from blkportal.core.models import ImportStatus
from blkportal.registry.imports_accounts import COLUMNS
from blkportal.registry.models import Role, RoleAssignment, User
from tests.imports.conftest import confirm, page, problems, sheet, upload

HEADERS = [str(c.header) for c in COLUMNS]
URL = "/pengguna/impor/"


def account(email, role="Pengelola BLK", centre="BLKK-A", province=None, name="Budi Santoso", **extra):
    return {
        "E-mail": email,
        "Nama lengkap": name,
        "Peran": role,
        "Kode BLK": centre,
        "Kode provinsi": province,
        "Telepon (WhatsApp)": extra.get("phone"),
        "Nama pengguna": extra.get("username"),
    }


def accounts_file(rows, **kwargs):
    return sheet(HEADERS, rows, title="Akun", name=kwargs.pop("name", "akun.xlsx"), **kwargs)


@pytest.fixture
def directorate(client_for):
    return client_for("directorate")


def roles_of(email):
    return set(
        RoleAssignment.objects.filter(user__email__iexact=email).values_list("role", "centre__reg_code", "province_id")
    )


def test_dry_run_writes_nothing_then_confirm_creates_accounts_and_invites_them(world, directorate, settings):
    settings.PORTAL_BASE_URL = "https://blkk.example.go.id"
    assert reverse("registry:user_import") == URL
    rows = [
        account("Siti@Contoh.id", centre="blkk-b", name="Siti Aminah", phone="0812-3456-7890"),
        account("siti@contoh.id", "Verifikator wilayah", centre=None, province="35", name="Siti Aminah"),
        account("andi@contoh.id", "Mentor inkubator", centre="BLKK-A", name="Andi"),
        account("rina@contoh.id", "Koordinator FKN", centre=None, province="32 Jawa Barat", name="Rina"),
        account("dewi@contoh.id", "koordinator fkn", centre=None, name="Dewi"),  # national
        # An existing account (matched by e-mail, any case) gets the role it lacks; its name stays.
        account(world.manager_b.email.upper(), "Verifikator wilayah", centre=None, province="Jawa Timur", name="X"),
    ]
    before = User.objects.count()
    job = upload(directorate, URL, accounts_file(rows))
    assert job.status == ImportStatus.CHECKED, job.error_message
    assert job.summary == {"create": 4, "update": 2, "unchanged": 0, "rejected": 0, "sheet": "Akun"}
    assert User.objects.count() == before and not mail.outbox  # the dry run wrote nothing
    html = page(directorate, job)
    assert 'data-count="create">4<' in html and "Akun baru" in html and "e-mail undangan" in html

    job = confirm(directorate, job)
    assert job.status == ImportStatus.APPLIED, job.error_message
    assert User.objects.count() == before + 4
    siti = User.objects.get(email__iexact="siti@contoh.id")
    assert siti.username == "siti@contoh.id" and siti.full_name == "Siti Aminah" and siti.phone == "+6281234567890"
    assert roles_of("siti@contoh.id") == {("manager", "BLKK-B", None), ("reviewer", None, "35")}
    assert roles_of("andi@contoh.id") == {("mentor", "BLKK-A", None)}
    assert roles_of("rina@contoh.id") == {("fkn", None, "32")}
    assert roles_of("dewi@contoh.id") == {("fkn", None, None)}
    world.manager_b.refresh_from_db()
    assert ("reviewer", None, "35") in roles_of(world.manager_b.email) and world.manager_b.full_name != "X"
    # History: who and which file.
    record = RoleAssignment.objects.get(user=siti, role=Role.REVIEWER).history.latest()
    assert record.history_user == world.directorate and record.history_change_reason == "Impor berkas akun.xlsx"

    # One invitation per new account, with a set-password link on the portal's address; no password.
    assert sorted(m.to[0].lower() for m in mail.outbox) == [
        "andi@contoh.id",
        "dewi@contoh.id",
        "rina@contoh.id",
        "siti@contoh.id",
    ]
    invite = next(m for m in mail.outbox if m.to[0].lower() == "siti@contoh.id")
    assert invite.subject == "Akun Anda di Portal BLK Komunitas"
    assert "Verifikator wilayah" in invite.body and "Nama pengguna Anda: siti@contoh.id" in invite.body
    link = re.search(r"https://blkk\.example\.go\.id(/kata-sandi/atur/\S+/)", invite.body).group(1)
    assert "kata sandi" in invite.body.lower() and "rahasia" not in invite.body
    # The link works once: it opens the form to set a password.
    from django.test import Client

    response = Client().get(link, follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()


def test_reimporting_the_same_file_changes_nothing_and_invites_nobody_again(world, directorate):
    rows = [
        account("baru@contoh.id", centre="BLKK-A", name="Baru"),
        account("baru@contoh.id", "Verifikator wilayah", centre=None, province="32", name="Baru"),
    ]
    confirm(directorate, upload(directorate, URL, accounts_file(rows)))
    assert len(mail.outbox) == 1
    history = RoleAssignment.history.count()

    again = upload(directorate, URL, accounts_file(rows))
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2, "rejected": 0, "sheet": "Akun"}
    assert not again.can_confirm
    assert "Tidak ada yang perlu diubah" in page(directorate, again)
    confirm(directorate, again)
    assert RoleAssignment.history.count() == history and len(mail.outbox) == 1
    assert User.objects.filter(email__iexact="baru@contoh.id").count() == 1


def test_rejected_rows_say_why_in_indonesian_and_nothing_is_written(world, directorate):
    rows = [
        account("bukan-email", name="A"),
        account("admin2@contoh.id", "Administrator", centre=None, name="B"),
        account("dir2@contoh.id", "Staf Direktorat", centre=None, name="C"),
        account("d@contoh.id", "Kepala desa", name="D"),
        account("e@contoh.id", centre="BLKK-ZZZ", name="E"),
        account("f@contoh.id", "Mentor inkubator", centre="BLKK-B", name="F"),  # not an incubator
        account("g@contoh.id", "Verifikator wilayah", centre=None, name="G"),
        account("h@contoh.id", phone="12ab", name="H"),
        account("i@contoh.id", name="I"),
        account("i@contoh.id", name="I"),  # the same row twice
        account("i@contoh.id", "Verifikator wilayah", centre=None, province="32", name="Ibu Lain"),
        account("j@contoh.id", "Verifikator wilayah", centre="BLKK-A", province="32", name="J"),
        account(world.admin.email, "Koordinator FKN", centre=None, name="Admin"),  # an administrator's account
        account("k@contoh.id", name="K"),  # the one good row
    ]
    before = (User.objects.count(), RoleAssignment.objects.count())
    job = upload(directorate, URL, accounts_file(rows))
    assert job.summary["rejected"] == 12 and job.summary["create"] == 2
    found = problems(job)

    def message(row, column):
        return " ".join(m for r, c, m in found if r == row and c == column)

    assert message(2, "E-mail") == "Masukkan alamat email dengan format yang benar."
    assert "tidak dapat diberikan lewat impor" in message(3, "Peran")
    assert "Staf Direktorat tidak dapat diberikan lewat impor" in message(4, "Peran")
    assert message(5, "Peran") == "Peran tidak dikenal. Pilih dari daftar di templat."
    assert message(6, "Kode BLK") == "BLK dengan kode ini tidak ditemukan."
    assert message(7, "Kode BLK") == "Mentor hanya dapat ditugaskan ke BLK inkubator."
    assert message(8, "Kode provinsi") == "Verifikator wilayah membutuhkan provinsi."
    assert "Nomor telepon tidak dikenali" in message(9, "Telepon (WhatsApp)")
    assert "sama dengan baris 10" in message(11, "E-mail")
    assert "berbeda dengan baris 10" in message(12, "Nama lengkap")
    assert "Kosongkan kode BLK" in message(13, "Kode BLK")
    assert "milik administrator" in message(14, "E-mail")
    assert job.problems[0]["sheet"] == "Akun" and job.problems[0]["value"] == "bukan-email"
    html = page(directorate, job)
    assert "Terapkan impor" not in html and "Sel yang ditolak" in html
    # A forged confirmation is refused and writes nothing.
    directorate.post(reverse("registry:import_confirm", args=[job.pk]), {"confirm": "on"})
    assert (User.objects.count(), RoleAssignment.objects.count()) == before and not mail.outbox


def test_an_administrator_may_add_roles_to_an_administrator_account(world, client_for):
    admin = client_for("admin")
    other = User.objects.create_user("admin2", "admin2@contoh.id", "x")
    RoleAssignment.objects.create(user=other, role=Role.ADMIN)
    job = upload(admin, URL, accounts_file([account("ADMIN2@contoh.id", "Koordinator FKN", centre=None)]))
    assert job.summary["update"] == 1, problems(job)


def test_a_password_column_is_refused_before_anything_is_read(world, directorate):
    file = sheet(
        [*HEADERS, "Kata sandi"], [["a@contoh.id", "A", "Pengelola BLK", "BLKK-A", None, None, None, "x"]], title="Akun"
    )
    job = upload(directorate, URL, file)
    assert job.status == ImportStatus.FAILED and "kolom tidak dikenal: Kata sandi" in job.error_message
    assert "Berkas ditolak" in page(directorate, job)


def test_accounts_changed_between_dry_run_and_confirmation_apply_nothing(world, directorate):
    job = upload(directorate, URL, accounts_file([account("x@contoh.id", name="X"), account("y@contoh.id", name="Y")]))
    assert job.can_confirm
    # Meanwhile someone creates y@ by hand: the import would now add a role to it, not create it.
    User.objects.create_user("y-tangan", "Y@contoh.id", "x")
    job = confirm(directorate, job)
    assert job.status == ImportStatus.FAILED and "berubah sejak pemeriksaan" in job.error_message
    assert not User.objects.filter(email="x@contoh.id").exists() and not mail.outbox


def test_only_user_managers_may_import_accounts(world):
    with pytest.raises(DomainError):
        imports.import_start(kind="accounts", by=world.reviewer, upload=accounts_file([account("a@contoh.id")]))


def test_the_template_offers_only_the_importable_roles(world, directorate):
    response = directorate.get(reverse("registry:user_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="templat-akun.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Akun", "Referensi", "Petunjuk"]
    assert [c.value for c in book["Akun"][1]][:3] == ["E-mail *", "Nama lengkap *", "Peran *"]
    roles = [c.value for c in book["Referensi"]["A"][1:] if c.value]
    assert roles == ["Pengelola BLK", "Verifikator wilayah", "Mentor inkubator", "Koordinator FKN"]
    formulas = {v.formula1 for v in book["Akun"].data_validations.dataValidation}
    assert "'Referensi'!$A$2:$A$5" in formulas and "'Referensi'!$B$2:$B$39" in formulas  # 38 provinces
