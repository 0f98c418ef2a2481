"""Runs every row of the permission matrix and checks that every URL has rows."""

from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, build_world, ensure_reference_data, portal_test_moment
from tests.matrix import all_rows

ROWS = all_rows()
# Third-party surfaces with their own permission model.
EXEMPT_NAMESPACES = {"admin"}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _named_patterns(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_matrix_rows():
    covered = {row.url_name for row in ROWS}
    missing = sorted(set(_named_patterns()) - covered)
    assert not missing, f"URL names without permission-matrix rows: {missing}"


def test_every_row_names_a_real_url():
    names = set(_named_patterns())
    unknown = sorted({row.url_name for row in ROWS} - names)
    assert not unknown, f"Matrix rows for URL names that do not exist: {unknown}"


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker):
    """The world, built once per module (and xdist worker) instead of once per row.

    Building it was more than half of the matrix's time, and the matrix is most of every date run.
    Each test still runs in its own savepoint inside this outer transaction (pytest-django's `db`
    nests in it), so whatever a row creates is rolled back with the row; the outer transaction is
    rolled back at the end, leaving the database as it was."""
    clock = time_machine.travel(portal_test_moment(), tick=True)
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), clock, override_settings(PASSWORD_HASHERS=hashers):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_reference_data()
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_shared_world, db):
    """A copy of the namespace per test: rows that cache objects on it (the ranking rows) must not
    see another row's objects, which its savepoint rolled back."""
    return SimpleNamespace(**vars(_shared_world))


def _cases():
    for index, row in enumerate(ROWS):
        for persona in PERSONAS:
            yield pytest.param(row, persona, id=f"{row.url_name}[{index}]-{persona}")


@pytest.mark.parametrize(("row", "persona"), list(_cases()))
def test_permission_matrix(row, persona, world):
    client = Client()
    if persona != "anon":
        client.force_login(world.users[persona])
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    if row.query:
        url = f"{url}?{row.query}"
    data = row.data(world) if row.data else None
    kwargs = {"content_type": row.content_type} if row.content_type else {}
    if row.method == "get":
        response = client.get(url, **kwargs)
    else:
        if data is not None and row.content_type == "application/json":
            import json

            data = json.dumps(data)
        response = getattr(client, row.method)(url, data or {}, **kwargs)
    expected = row.status_for(persona)
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {persona}: got {response.status_code}, expected {expected}. {row.note}"
    )
