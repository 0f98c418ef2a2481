"""A centre manager of centre A gets 404 on every page of centre B (design.md §6)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Keyword names that carry a centre's primary key in URL patterns, and plain values for the other
# keywords such pages take (a month centre B reports for).
CENTRE_KWARGS = {"centre_pk", "centre_id"}
OTHER_KWARGS = {"year": 2024, "month": 1}


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _patterns(pattern, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def centre_urls():
    """(URL name, centre keyword) of every page of one centre: registry routes under blk/<int:pk>/,
    and any project URL keyed by centre_pk/centre_id (plus, at most, year and month)."""
    names = []
    for name, pattern in _patterns():
        keywords = set(pattern.pattern.regex.groupindex)
        if name.startswith("registry:") and keywords == {"pk"} and str(pattern.pattern).startswith("blk/<int:pk>"):
            names.append((name, "pk"))
        elif len(keywords & CENTRE_KWARGS) == 1 and keywords - CENTRE_KWARGS <= set(OTHER_KWARGS):
            names.append((name, (keywords & CENTRE_KWARGS).pop()))
    return sorted(names)


def centre_url(name, keyword, centre):
    pattern_keywords = set(dict(_patterns())[name].pattern.regex.groupindex)
    kwargs = {k: v for k, v in OTHER_KWARGS.items() if k in pattern_keywords}
    return reverse(name, kwargs={keyword: centre.pk, **kwargs})


def test_the_centre_urls_are_found():
    found = {name for name, _ in centre_urls()}
    assert {"registry:centre_detail", "registry:centre_edit", "registry:centre_deactivate"} <= found


@pytest.mark.parametrize("method", ["get", "post"])
def test_manager_a_gets_404_on_every_page_of_centre_b(client_for, world, method):
    client = client_for("manager_a")
    checked = []
    for name, keyword in centre_urls():
        url_b = centre_url(name, keyword, world.centre_b)
        response = getattr(client, method)(url_b, {})
        assert response.status_code == 404, f"{method.upper()} {url_b} ({name}) as manager_a: {response.status_code}"
        checked.append(name)
    assert len(checked) >= 3


def test_the_same_pages_exist_for_those_allowed(client_for, world):
    # So the 404s above are about scope, not about broken URLs: centre B's own manager or an
    # administrator (every permission, nationally) reaches each of them.
    owner, admin = client_for("manager_b"), client_for("admin")
    for name, keyword in centre_urls():
        url = centre_url(name, keyword, world.centre_b)
        statuses = {owner.get(url).status_code, admin.get(url).status_code}
        assert statuses & {200, 302, 405}, f"{name}: {statuses}"
    assert (
        client_for("manager_a").get(reverse("registry:centre_detail", kwargs={"pk": world.centre_a.pk})).status_code
        == 200
    )


def test_centre_b_never_appears_in_manager_a_pages(client_for, world):
    client = client_for("manager_a")
    for url in ["/", "/blk/", "/blk/?q=Nurul", "/blk/?province=35", "/profil/"]:
        body = client.get(url).content.decode()
        assert "Nurul Huda" not in body and "BLKK-B" not in body, url
