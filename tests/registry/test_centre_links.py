"""The centre page links to the centre's pages in other apps (<app>/centre_links.py contributions), and
only to those the user may open."""

import datetime as dt
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav[^>]*id="centre-links"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>')


def centre_links(client, centre):
    response = client.get(reverse("registry:centre_detail", kwargs={"centre_id": centre.pk}))
    assert response.status_code == 200
    nav = NAV.search(response.content.decode())
    if nav is None:
        return {}
    return {label.strip(): href.replace("&amp;", "&") for href, label in LINK.findall(nav.group(1))}


@pytest.fixture
def ranked(world, settings):
    """Centre A reported Jan-Mar 2024 and is in a computed ranking for March 2024."""
    from monitoring import services
    from tests.monitoring.conftest import report

    settings.MONITORING_FIRST_MONTH = "2024-01"
    for m in range(1, 4):
        report(world.centre_a, dt.date(2024, m, 1), "approved", alumni_bekerja=6, alumni_belum_bekerja=2)
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Kinerja",
        data={"window_months": 3, "min_verified_months": 2, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 60, "completion_rate": 40},
    )
    return services.ranking_compute(version=version, period=dt.date(2024, 3, 1))


def test_manager_sees_every_page_of_their_centre_and_each_link_opens(client_for, world, ranked):
    client = client_for("manager_a")
    centre = world.centre_a
    links = centre_links(client, centre)
    assert links == {
        "Laporan bulanan": reverse("reporting:centre_reports", args=[centre.pk]),
        "Angkatan pelatihan": reverse("reporting:batch_list", args=[centre.pk]),
        "Ringkasan inkubator": reverse("incubator:centre_summary", args=[centre.pk]),
        "Wirausaha binaan": reverse("incubator:tenant_list") + f"?centre={centre.pk}",
        "Dasbor BLK": reverse("monitoring:dashboard_centre", args=[centre.pk]),
        "Mengapa peringkat ini?": reverse("monitoring:ranking_why", args=[ranked.pk, centre.pk]),
    }
    for label, url in links.items():
        response = client.get(url)
        assert response.status_code == 200, (label, url)
    # The tenant list really is filtered to this centre (the filter accepted the centre).
    tenants = client.get(links["Wirausaha binaan"])
    assert tenants.context["filter"].form.is_valid()
    why = client.get(links["Mengapa peringkat ini?"])
    assert centre.name in why.content.decode()


def test_mentor_sees_only_the_incubator_links(client_for, world, ranked):
    client = client_for("mentor_a")
    links = centre_links(client, world.centre_a)
    assert set(links) == {"Ringkasan inkubator", "Wirausaha binaan"}
    for url in links.values():
        assert client.get(url).status_code == 200
    # What the mentor does not get a link to, they could not open either.
    assert client.get(reverse("reporting:centre_reports", args=[world.centre_a.pk])).status_code == 404
    assert client.get(reverse("monitoring:dashboard_centre", args=[world.centre_a.pk])).status_code == 404


def test_no_incubator_links_for_a_centre_that_is_not_an_incubator_and_no_rank_link_without_ranking(client_for, world):
    links = centre_links(client_for("manager_b"), world.centre_b)
    assert set(links) == {"Laporan bulanan", "Angkatan pelatihan", "Dasbor BLK"}
