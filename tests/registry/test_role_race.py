"""Two administrators give the same person the same role at the same moment (a double-clicked form,
or the accounts import and the user page): one assignment is made, and the other gets the same
clear refusal as a repeat would, not an error page."""

import threading

import pytest
from django.db import connection, transaction

from blkportal.core.errors import DomainError
from blkportal.registry import services
from blkportal.registry.models import Role, RoleAssignment
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_the_same_role_given_twice_at_once_is_refused_not_an_error():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two transactions at once")
    root = UserFactory(username="root", is_superuser=True)
    user = UserFactory(username="calon")
    first_saved, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                services.role_assign(by=root, user=user, role=Role.DIRECTORATE)
                first_saved.set()
                first_may_commit.wait(10)  # the second request arrives before this one commits
        finally:
            connection.close()

    def second():
        try:
            services.role_assign(by=root, user=user, role=Role.DIRECTORATE)
            outcome["second"] = "assigned"
        except DomainError as exc:
            outcome["second"] = exc
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert first_saved.wait(10)
    b = threading.Thread(target=second)
    b.start()
    # The second has passed its existence check (the first is not committed) and now waits on the
    # unique index for the first; let the first commit.
    b.join(0.5)
    first_may_commit.set()
    a.join(10)
    b.join(10)
    assert isinstance(outcome["second"], DomainError), outcome
    assert outcome["second"].field == "role"
    assert "sudah memiliki peran ini" in outcome["second"].message
    assert RoleAssignment.objects.filter(user=user, role=Role.DIRECTORATE).count() == 1
