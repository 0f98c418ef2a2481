"""Every registry form: bad input gets an Indonesian message beside the field, and what was typed stays."""

import datetime as dt
import re

import pytest

from blkportal.registry.models import Centre, Kejuruan

pytestmark = pytest.mark.django_db


def field_errors(body: str, field: str) -> list[str]:
    """Messages rendered beside one field (includes/field.html puts them in #id_<field>_error)."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', body, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def input_value(body: str, field: str):
    tag = re.search(rf'<(?:input|textarea)[^>]*\bname="{field}"[^>]*>', body).group(0)
    if tag.startswith("<textarea"):
        return re.search(rf'name="{field}"[^>]*>(.*?)</textarea>', body, re.S).group(1).strip()
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def is_invalid(body: str, field: str) -> bool:
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{field}"[^>]*>', body).group(0)
    return "is-invalid" in tag and 'aria-invalid="true"' in tag


def centre_post(**overrides):
    data = {
        "reg_code": "BLKK-BARU",
        "name": "BLK Komunitas Baru Sejahtera",
        "host_name": "Pondok Pesantren Baru",
        "host_type": "pesantren",
        "address": "Jl. Raya No. 1",
        "regency": "51.71",
        "latitude": "-8.65",
        "longitude": "115.21",
        "cohort_year": "2022",
        "activated_on": "2022-08-01",
        "contact_name": "Ibu Made",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"latitude": "abc"}, "latitude", "bilangan"),
        ({"latitude": "45"}, "latitude", "lebih kecil dari atau sama dengan 6"),
        ({"longitude": "200"}, "longitude", "lebih kecil dari atau sama dengan 142"),
        ({"longitude": "-5"}, "longitude", "lebih besar dari atau sama dengan 94"),
        ({"activated_on": "2021-05-01"}, "activated_on", "Tanggal aktif tidak boleh sebelum tahun dibangun."),
        ({"activated_on": "2022-02-31"}, "activated_on", "tanggal yang valid"),
        ({"is_incubator": "on"}, "incubator_year", "Tahun penetapan inkubator wajib diisi"),
        ({"is_incubator": "on", "incubator_year": "2019"}, "incubator_year", "lebih besar dari atau sama dengan 2021"),
        ({"reg_code": "BLKK-A"}, "reg_code", "Kode registrasi ini sudah dipakai BLK lain."),
        ({"reg_code": " blkk-a "}, "reg_code", "Kode registrasi ini sudah dipakai BLK lain."),
        ({"cohort_year": "2016"}, "cohort_year", "lebih besar dari atau sama dengan 2017"),
        ({"cohort_year": "-1"}, "cohort_year", "lebih besar dari atau sama dengan"),
        ({"regency": "99.99"}, "regency", "Masukkan pilihan yang valid"),
        ({"name": ""}, "name", "harus diisi"),
        ({"contact_email": "bukan-email"}, "contact_email", "alamat email dengan format yang benar"),
        ({"kemandirian_class": "mandiri"}, "kemandirian_assessed_on", "Isi tanggal penilaian kemandirian."),
    ],
)
def test_centre_create_bad_input(client_for, world, overrides, field, message):
    data = centre_post(**overrides)
    response = client_for("directorate").post("/blk/baru/", data)
    assert response.status_code == 200
    body = response.content.decode()
    errors = field_errors(body, field)
    assert any(message in e for e in errors), f"{field}: {errors}"
    if field not in ("regency", "kemandirian_assessed_on", "incubator_year"):
        assert is_invalid(body, field)
    # What the user typed stays.
    assert input_value(body, "name") == data["name"]
    assert input_value(body, "contact_name") == "Ibu Made"
    if field in ("latitude", "longitude", "activated_on", "reg_code"):
        assert input_value(body, field) == data[field]
    assert 'value="51.71" selected' in body or field == "regency"
    assert not Centre.objects.filter(name=data["name"]).exists()


def test_centre_create_success(client_for, world):
    # Real ids: transactional tests elsewhere reload the kejuruan, so ids are not always 1 and 2.
    kejuruan = [str(pk) for pk in Kejuruan.objects.order_by("pk").values_list("pk", flat=True)[:2]]
    response = client_for("directorate").post("/blk/baru/", centre_post(kejuruan=kejuruan))
    centre = Centre.objects.get(reg_code="BLKK-BARU")
    assert response.status_code == 302 and response.url == f"/blk/{centre.pk}/"
    assert centre.province_id == "51" and centre.kejuruan.count() == 2


def test_centre_edit_bad_input_keeps_typed_values(client_for, world):
    url = f"/blk/{world.centre_b.pk}/ubah/"
    data = centre_post(reg_code="BLKK-B", name="Nama Baru Diketik", activated_on="2019-01-01", cohort_year="2020")
    body = client_for("directorate").post(url, data).content.decode()
    assert field_errors(body, "activated_on") == ["Tanggal aktif tidak boleh sebelum tahun dibangun."]
    assert input_value(body, "name") == "Nama Baru Diketik"
    world.centre_b.refresh_from_db()
    assert world.centre_b.name == "BLK Komunitas Nurul Huda"
    # The same data with a good date is saved, and its own code is not a duplicate of itself.
    response = client_for("directorate").post(url, {**data, "activated_on": "2020-09-01"})
    assert response.status_code == 302
    world.centre_b.refresh_from_db()
    assert world.centre_b.name == "Nama Baru Diketik" and world.centre_b.province_id == "51"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"deactivated_on": "2019-01-01", "confirm": "on"}, "deactivated_on", "sebelum tanggal aktif"),
        ({"deactivated_on": "kemarin", "confirm": "on"}, "deactivated_on", "tanggal yang valid"),
        ({"deactivated_on": "2024-06-30"}, "confirm", "harus diisi"),
    ],
)
def test_centre_deactivate_bad_input(client_for, world, data, field, message):
    body = client_for("directorate").post(f"/blk/{world.centre_b.pk}/nonaktifkan/", data).content.decode()
    assert any(message in e for e in field_errors(body, field)), field_errors(body, field)
    assert input_value(body, "deactivated_on") == data["deactivated_on"]
    world.centre_b.refresh_from_db()
    assert world.centre_b.deactivated_on is None


def test_centre_deactivate_success(client_for, world):
    url = f"/blk/{world.centre_b.pk}/nonaktifkan/"
    response = client_for("directorate").post(url, {"deactivated_on": "2024-06-30", "confirm": "on"})
    assert response.status_code == 302
    world.centre_b.refresh_from_db()
    assert world.centre_b.deactivated_on == dt.date(2024, 6, 30)
    body = client_for("directorate").post(url, {"deactivated_on": "2024-07-30", "confirm": "on"}).content.decode()
    assert any("sudah nonaktif" in e for e in field_errors(body, "deactivated_on"))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"username": "manager_a", "email": "baru@contoh.id"}, "username", "Nama pengguna sudah dipakai."),
        ({"username": "MANAGER_A", "email": "baru@contoh.id"}, "username", "Nama pengguna sudah dipakai."),
        ({"username": "baru", "email": "manager_a@contoh.id"}, "email", "Alamat e-mail sudah dipakai akun lain."),
        ({"username": "baru", "email": "bukan email"}, "email", "alamat email dengan format yang benar"),
        ({"username": "nama dengan spasi", "email": "baru@contoh.id"}, "username", "Hanya huruf, angka"),
        ({"username": "", "email": "baru@contoh.id"}, "username", "harus diisi"),
    ],
)
def test_user_create_bad_input(client_for, world, data, field, message, mailoutbox):
    data = {"full_name": "Pengguna Baru Sekali", "send_reset": "on", **data}
    body = client_for("directorate").post("/pengguna/baru/", data).content.decode()
    assert any(message in e for e in field_errors(body, field)), field_errors(body, field)
    assert is_invalid(body, field)
    assert input_value(body, "full_name") == "Pengguna Baru Sekali"
    assert input_value(body, "email") == data["email"]
    assert mailoutbox == []


def role_post(client, user, **data):
    return client.post(f"/pengguna/{user.pk}/", {"action": "role", **data})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "manager", "centre_code": "TIDAK-ADA"}, "centre_code", "BLK dengan kode ini tidak ditemukan."),
        ({"role": "manager", "centre_code": ""}, "centre_code", "Peran ini membutuhkan BLK."),
        ({"role": "mentor", "centre_code": "BLKK-B"}, "centre_code", "Mentor hanya dapat ditugaskan ke BLK inkubator."),
        ({"role": "reviewer"}, "province", "Verifikator wilayah membutuhkan provinsi."),
        ({"role": "reviewer", "province": "99"}, "province", "Masukkan pilihan yang valid"),
        ({"role": "raja"}, "role", "Masukkan pilihan yang valid"),
        ({"role": "manager", "centre_code": "BLKK-A"}, "role", "sudah memiliki peran ini"),
    ],
)
def test_role_assign_bad_input(client_for, world, data, field, message):
    before = world.manager_a.role_assignments.count()
    body = role_post(client_for("directorate"), world.manager_a, **data).content.decode()
    assert any(message in e for e in field_errors(body, field)), field_errors(body, field)
    if "centre_code" in data:
        assert input_value(body, "centre_code") == data["centre_code"]
    assert world.manager_a.role_assignments.count() == before


def test_role_assign_success_by_code_in_any_case(client_for, world):
    response = role_post(client_for("directorate"), world.manager_a, role="manager", centre_code=" blkk-b ")
    assert response.status_code == 302
    assert set(world.manager_a.role_assignments.values_list("centre__reg_code", flat=True)) == {"BLKK-A", "BLKK-B"}


def test_directorate_cannot_make_an_administrator(client_for, world):
    body = role_post(client_for("directorate"), world.directorate, role="admin").content.decode()
    assert "Hanya administrator yang dapat memberi peran administrator." in body
    assert not world.directorate.role_assignments.filter(role="admin").exists()
    # Nor change an administrator's e-mail (which would let them reset the password).
    body = (
        client_for("directorate")
        .post(
            f"/pengguna/{world.admin.pk}/",
            {"action": "profile", "full_name": "Admin", "email": "ambil@contoh.id", "is_active": "on"},
        )
        .content.decode()
    )
    assert "Hanya administrator yang dapat mengubah akun administrator." in body
    world.admin.refresh_from_db()
    assert world.admin.email == "admin@contoh.id"


def test_user_edit_bad_input(client_for, world):
    url = f"/pengguna/{world.manager_b.pk}/"
    data = {"action": "profile", "full_name": "Nama Diketik", "email": "manager_a@contoh.id", "is_active": "on"}
    body = client_for("directorate").post(url, data).content.decode()
    assert field_errors(body, "email") == ["Alamat e-mail sudah dipakai akun lain."]
    assert input_value(body, "full_name") == "Nama Diketik"
    response = client_for("directorate").post(url, {**data, "email": "b.baru@contoh.id"})
    assert response.status_code == 302
    world.manager_b.refresh_from_db()
    assert (world.manager_b.full_name, world.manager_b.email) == ("Nama Diketik", "b.baru@contoh.id")


def test_forged_ids_are_404_not_500(client_for, world):
    client = client_for("directorate")
    assert client.get("/blk/999999/").status_code == 404
    assert client.get("/blk/999999/ubah/").status_code == 404
    assert client.post("/blk/999999/nonaktifkan/", {"deactivated_on": "2024-01-01", "confirm": "on"}).status_code == 404
    assert client.get("/pengguna/999999/").status_code == 404
    assert client.post("/peran/999999/cabut/").status_code == 404
    assert client.post("/blk/baru/", {"kejuruan": ["x", "99999"], **centre_post()}).status_code == 200


def test_password_reset_form_bad_email(client):
    body = client.post("/kata-sandi/lupa/", {"email": "bukan-email"}).content.decode()
    assert "alamat email dengan format yang benar" in body
    assert input_value(body, "email") == "bukan-email"
    assert 'class="form-control is-invalid"' in body


def test_password_change_form_bad_input(client_for, world):
    client = client_for("manager_a")
    data = {"old_password": "salah", "new_password1": "Kopi-Tubruk-2026", "new_password2": "Kopi-Tubruk-2027"}
    body = client.post("/kata-sandi/ubah/", data).content.decode()
    assert "Sandi lama Anda yang dimasukkan salah." in body
    assert "Dua bidang sandi tidak cocok." in body
    world.manager_a.refresh_from_db()
    assert world.manager_a.check_password("rahasia-uji-123")
