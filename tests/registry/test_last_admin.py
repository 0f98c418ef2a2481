"""The last active administrator cannot deactivate their account or lose the administrator role:
nobody could sign in to recover the portal afterwards."""

import pytest

from blkportal.core.errors import DomainError
from blkportal.registry import services
from blkportal.registry.models import Role, RoleAssignment
from tests.factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

MESSAGE = "administrator aktif terakhir"


def admin_role(user):
    return RoleAssignment.objects.get(user=user, role=Role.ADMIN)


def test_the_only_admin_cannot_deactivate_their_own_account(client_for, world):
    client = client_for("admin")
    response = client.post(
        f"/pengguna/{world.admin.pk}/",
        {"action": "profile", "full_name": "Admin", "email": world.admin.email},  # "aktif" unticked
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_the_only_admin_cannot_remove_their_own_admin_role(client_for, world):
    client = client_for("admin")
    response = client.post(f"/peran/{admin_role(world.admin).pk}/cabut/", follow=True)
    assert MESSAGE in response.content.decode()
    assert RoleAssignment.objects.filter(user=world.admin, role=Role.ADMIN).exists()


def test_with_another_active_admin_both_changes_are_allowed(world):
    second = UserFactory(username="admin_kedua")
    give_role(second, Role.ADMIN)
    services.role_revoke(assignment=admin_role(world.admin), by=second)
    assert not RoleAssignment.objects.filter(user=world.admin, role=Role.ADMIN).exists()
    # Now `second` is the last one.
    with pytest.raises(DomainError, match=MESSAGE):
        services.user_update(user=second, email=second.email, full_name="", is_active=False, by=second)


def test_an_inactive_admin_does_not_count(world):
    dormant = UserFactory(username="admin_nonaktif", is_active=False)
    give_role(dormant, Role.ADMIN)
    with pytest.raises(DomainError, match=MESSAGE):
        services.role_revoke(assignment=admin_role(world.admin), by=world.admin)
    # A superuser is an administrator too.
    UserFactory(username="akar", is_superuser=True)
    services.role_revoke(assignment=admin_role(world.admin), by=world.admin)


def test_non_admin_changes_are_not_affected(world):
    services.user_update(
        user=world.manager_a, email=world.manager_a.email, full_name="", is_active=False, by=world.admin
    )
    world.manager_a.refresh_from_db()
    assert not world.manager_a.is_active
