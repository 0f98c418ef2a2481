"""Runs every row of the permission matrix and checks that every URL has rows."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
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
