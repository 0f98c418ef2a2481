"""Registry services: the rules they enforce and the messages they give."""

import datetime as dt

import pytest

from blkportal.core.errors import DomainError
from blkportal.registry import access, services
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre, Province, Regency, Role, RoleAssignment, User
from tests.factories import UserFactory, kejuruan

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    """The acting administrator of these service calls (services refuse a call without one)."""
    return UserFactory(username="root", is_superuser=True)


def centre_data(**overrides):
    data = {
        "reg_code": "BLKK-BARU",
        "name": "BLK Komunitas Baru",
        "host_name": "Pondok Pesantren Baru",
        "host_type": "pesantren",
        "regency": Regency.objects.get(code="51.71"),
        "cohort_year": 2022,
        "activated_on": dt.date(2022, 8, 1),
        "is_incubator": False,
    }
    data.update(overrides)
    return data


def test_centre_create_sets_province_and_kejuruan(reference_data, root):
    centre = services.centre_create(by=root, data=centre_data(), kejuruan=[kejuruan("barista")])
    centre.refresh_from_db()
    assert centre.province_id == "51" and centre.tz.key == "Asia/Makassar"
    assert list(centre.kejuruan.values_list("code", flat=True)) == ["barista"]


def test_centre_create_ignores_unknown_fields(reference_data, root):
    centre = services.centre_create(by=root, data=centre_data(province_id="11", pk=4242, created_at=None))
    assert centre.province_id == "51" and centre.pk != 4242


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"activated_on": dt.date(2021, 12, 31)}, "activated_on", "sebelum tahun dibangun"),
        ({"is_incubator": True, "incubator_year": None}, "incubator_year", "wajib diisi"),
        ({"deactivated_on": dt.date(2022, 7, 1)}, "deactivated_on", "sebelum tanggal aktif"),
    ],
)
def test_centre_create_refuses_inconsistent_dates(reference_data, overrides, field, message, root):
    with pytest.raises(DomainError) as info:
        services.centre_create(by=root, data=centre_data(**overrides))
    assert info.value.field == field and message in info.value.message
    assert not Centre.objects.filter(reg_code="BLKK-BARU").exists()


def test_centre_create_drops_incubator_year_of_a_non_incubator(reference_data, root):
    centre = services.centre_create(by=root, data=centre_data(incubator_year=2023))
    assert centre.incubator_year is None


def test_centre_update_keeps_history_and_checks_rules(world, root):
    centre = world.centre_b
    services.centre_update(by=root, centre=centre, data={"name": "BLK Komunitas Nurul Huda Jombang"})
    centre.refresh_from_db()
    assert centre.name == "BLK Komunitas Nurul Huda Jombang"
    assert centre.history.count() >= 2
    assert centre.history.earliest().name == "BLK Komunitas Nurul Huda"
    with pytest.raises(DomainError) as info:
        services.centre_update(by=root, centre=centre, data={"is_incubator": True})
    assert info.value.field == "incubator_year"
    centre.refresh_from_db()
    assert centre.is_incubator is False
    # kejuruan=None leaves them; a list replaces them.
    services.centre_update(by=root, centre=centre, data={}, kejuruan=None)
    assert list(centre.kejuruan.values_list("code", flat=True)) == ["teknik-informatika"]
    services.centre_update(by=root, centre=centre, data={}, kejuruan=[kejuruan("menjahit"), kejuruan("kuliner")])
    assert set(centre.kejuruan.values_list("code", flat=True)) == {"menjahit", "kuliner"}


def test_centre_update_moving_regency_moves_province(world, root):
    services.centre_update(by=root, centre=world.centre_a, data={"regency": Regency.objects.get(code="94.01")})
    world.centre_a.refresh_from_db()
    assert world.centre_a.province_id == "94"
    # The Jawa Barat reviewer no longer sees it; scope follows the data.
    access.forget(world.reviewer)
    assert not access.centres_for(world.reviewer, Perm.VIEW_CENTRE).filter(pk=world.centre_a.pk).exists()


def test_centre_deactivate_and_reactivate(world, root):
    centre = world.centre_b
    with pytest.raises(DomainError) as info:
        services.centre_deactivate(by=root, centre=centre, on=dt.date(2020, 8, 31))
    assert info.value.field == "deactivated_on"
    services.centre_deactivate(by=root, centre=centre, on=dt.date(2024, 6, 30))
    centre.refresh_from_db()
    assert centre.deactivated_on == dt.date(2024, 6, 30)
    assert centre.is_active_on(dt.date(2024, 6, 29)) and not centre.is_active_on(dt.date(2024, 7, 1))
    with pytest.raises(DomainError, match="sudah nonaktif"):
        services.centre_deactivate(by=root, centre=centre, on=dt.date(2024, 7, 1))
    services.centre_reactivate(by=root, centre=centre)
    centre.refresh_from_db()
    assert centre.deactivated_on is None


def test_user_create_refuses_duplicates_case_insensitively(world, root):
    user = services.user_create(by=root, username="baru", email="baru@contoh.id", full_name="Pengguna Baru")
    # Nobody knows the random password; the user sets one through the e-mailed link.
    assert user.has_usable_password() and not user.check_password("")
    with pytest.raises(DomainError) as info:
        services.user_create(by=root, username="BARU", email="lain@contoh.id")
    assert info.value.field == "username"
    with pytest.raises(DomainError) as info:
        services.user_create(by=root, username="lain", email="Baru@Contoh.ID")
    assert info.value.field == "email"
    assert User.objects.filter(username__iexact="baru").count() == 1


def test_user_update(world, root):
    services.user_update(by=root, user=world.manager_b, email="b@contoh.id", full_name="B", is_active=False)
    world.manager_b.refresh_from_db()
    assert (world.manager_b.email, world.manager_b.is_active) == ("b@contoh.id", False)
    with pytest.raises(DomainError) as info:
        services.user_update(by=root, user=world.manager_b, email=world.manager_a.email, full_name="B", is_active=True)
    assert info.value.field == "email"


def test_role_assign_fits_scope_to_role(world, root):
    user = UserFactory(username="calon")
    a = services.role_assign(
        by=root, user=user, role=Role.MANAGER, centre=world.centre_b, province=Province.objects.get(pk="11")
    )
    assert (a.centre, a.province) == (world.centre_b, None)
    r = services.role_assign(
        by=root, user=user, role=Role.REVIEWER, centre=world.centre_b, province=Province.objects.get(pk="35")
    )
    assert (r.centre, r.province_id) == (None, "35")
    d = services.role_assign(by=root, user=user, role=Role.DIRECTORATE, centre=world.centre_b)
    assert (d.centre, d.province) == (None, None)
    f = services.role_assign(by=root, user=user, role=Role.FKN, province=Province.objects.get(pk="32"))
    assert f.province_id == "32"
    national_fkn = services.role_assign(by=root, user=user, role=Role.FKN)
    assert national_fkn.province is None
    access.forget(user)
    assert access.is_national(user, Perm.MANAGE_RANKINGS)


def test_role_assign_refusals(world, root):
    user = UserFactory(username="calon")
    with pytest.raises(DomainError, match="membutuhkan BLK") as info:
        services.role_assign(by=root, user=user, role=Role.MANAGER)
    assert info.value.field == "centre"
    with pytest.raises(DomainError, match="inkubator") as info:
        services.role_assign(by=root, user=user, role=Role.MENTOR, centre=world.centre_b)
    assert info.value.field == "centre"
    with pytest.raises(DomainError, match="provinsi") as info:
        services.role_assign(by=root, user=user, role=Role.REVIEWER)
    assert info.value.field == "province"
    assert not user.role_assignments.exists()
    services.role_assign(by=root, user=user, role=Role.MENTOR, centre=world.centre_a)  # centre A is an incubator
    with pytest.raises(DomainError, match="sudah memiliki peran"):
        services.role_assign(by=root, user=user, role=Role.MENTOR, centre=world.centre_a)
    services.role_assign(by=root, user=user, role=Role.ADMIN)
    with pytest.raises(DomainError, match="sudah memiliki peran"):
        services.role_assign(by=root, user=user, role=Role.ADMIN)
    assert user.role_assignments.count() == 2


def test_role_revoke(world, root):
    assignment = world.manager_b.role_assignments.get()
    services.role_revoke(by=root, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    access.forget(world.manager_b)
    assert not access.has_perm(world.manager_b, Perm.VIEW_CENTRE)


def test_only_an_administrator_makes_or_changes_administrators(world):
    # Directorate staff manage users, but must not make themselves administrators or take over one
    # (change an admin's e-mail, then reset the password).
    with pytest.raises(DomainError, match="administrator"):
        services.role_assign(user=world.directorate, role=Role.ADMIN, by=world.directorate)
    with pytest.raises(DomainError, match="administrator"):
        services.user_update(
            user=world.admin, email="saya@contoh.id", full_name="x", is_active=True, by=world.directorate
        )
    with pytest.raises(DomainError, match="administrator"):
        services.role_revoke(assignment=world.admin.role_assignments.get(), by=world.directorate)
    assert world.admin.role_assignments.filter(role=Role.ADMIN).exists()
    # An administrator may; directorate staff still manage everyone else.
    services.role_assign(user=world.directorate, role=Role.ADMIN, by=world.admin)
    services.role_assign(user=world.manager_b, role=Role.MANAGER, centre=world.centre_c, by=world.directorate)
    boss = UserFactory(username="boss", is_superuser=True)
    services.user_update(user=world.admin, email="admin@contoh.id", full_name="A", is_active=True, by=boss)


def test_password_reset_send_without_email_sends_nothing(world, rf, mailoutbox, root):
    user = services.user_create(by=root, username="tanpaemail", email="")
    services.password_reset_send(user=user, request=rf.get("/"))
    assert mailoutbox == []


def test_a_forged_call_from_outside_the_scope_is_refused(world, root):
    # A manager (no MANAGE_CENTRES / MANAGE_USERS) calling the services directly gets nothing done.
    with pytest.raises(DomainError) as info:
        services.centre_update(centre=world.centre_a, by=world.manager_a, data={"name": "Dibajak"})
    assert info.value.code == "forbidden"
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.centre_create(by=world.reviewer, data=centre_data())
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.role_assign(user=world.manager_a, by=world.manager_a, role=Role.DIRECTORATE)
    with pytest.raises(DomainError, match="tidak berwenang"):
        services.user_create(by=world.fkn, username="siluman", email="")
    world.centre_a.refresh_from_db()
    assert world.centre_a.name != "Dibajak"
    assert not User.objects.filter(username="siluman").exists()
    assert not world.manager_a.role_assignments.filter(role=Role.DIRECTORATE).exists()
