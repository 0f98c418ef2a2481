"""A centre manager of centre A gets 404 on every page of centre B: out of scope answers 404, the
same as a centre that does not exist (docs/architecture.md, "Access")."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Every URL keyed by a centre names the centre's primary key `centre_id` (one name in every app), and
# plain values for the other keywords such pages take (a month centre B reports for).
CENTRE_KWARG = "centre_id"
OTHER_KWARGS = {"year": 2024, "month": 1}


@pytest.fixture(autouse=True)
def centre_b_is_an_incubator(world):
    """Centre B runs an incubator too, so its incubator pages exist and a 404 there is about scope."""
    world.centre_b.is_incubator, world.centre_b.incubator_year = True, 2021
    world.centre_b.save(update_fields=["is_incubator", "incubator_year"])


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _patterns(pattern, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def centre_urls():
    """(URL name, centre keyword) of every page of one centre: any project URL keyed by centre_id
    (plus, at most, year and month)."""
    names = []
    for name, pattern in _patterns():
        keywords = set(pattern.pattern.regex.groupindex)
        if CENTRE_KWARG in keywords and keywords - {CENTRE_KWARG} <= set(OTHER_KWARGS):
            names.append((name, CENTRE_KWARG))
    return sorted(names)


def centre_url(name, keyword, centre):
    pattern_keywords = set(dict(_patterns())[name].pattern.regex.groupindex)
    kwargs = {k: v for k, v in OTHER_KWARGS.items() if k in pattern_keywords}
    return reverse(name, kwargs={keyword: centre.pk, **kwargs})


def test_the_centre_urls_are_found():
    found = {name for name, _ in centre_urls()}
    assert {
        "registry:centre_detail",
        "registry:centre_edit",
        "registry:centre_deactivate",
        "reporting:centre_reports",
        "reporting:report_open",
        "reporting:report_unlock",
        "reporting:batch_list",
        "reporting:batch_create",
        "incubator:centre_summary",
        "incubator:tenant_create",
        "monitoring:dashboard_centre",
    } <= found


def test_no_url_names_a_centre_otherwise():
    # A page keyed by a centre under another keyword (pk, centre, centre_pk) would escape the checks
    # below: centre pages live under blk/<int:centre_id>/ in every app.
    for name, pattern in _patterns():
        route = str(pattern.pattern)
        if "blk/<int:" in route:
            assert "blk/<int:centre_id>" in route, f"{name}: {route}"


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
        client_for("manager_a")
        .get(reverse("registry:centre_detail", kwargs={"centre_id": world.centre_a.pk}))
        .status_code
        == 200
    )


def test_centre_b_never_appears_in_manager_a_pages(client_for, world):
    client = client_for("manager_a")
    for url in ["/", "/blk/", "/blk/?q=Nurul", "/blk/?province=35", "/profil/"]:
        body = client.get(url).content.decode()
        assert "Nurul Huda" not in body and "BLKK-B" not in body, url
