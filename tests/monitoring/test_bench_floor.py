"""The benchmark's floor page is mounted only while `make bench` runs (BENCH_FLOOR_PAGE), never in the
production URLs."""

import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

import blkportal.urls
import monitoring.urls
import monitoring.urls_exports

pytestmark = pytest.mark.django_db


def _reload_urls():
    for module in (monitoring.urls_exports, monitoring.urls, blkportal.urls):
        importlib.reload(module)
    clear_url_caches()


@pytest.fixture
def bench_urls(settings):
    settings.BENCH_FLOOR_PAGE = True
    _reload_urls()
    yield
    settings.BENCH_FLOOR_PAGE = False
    _reload_urls()


def test_the_floor_is_not_in_the_production_urls(client_for):
    with pytest.raises(NoReverseMatch):
        reverse("monitoring:bench_floor")
    assert client_for("directorate").get("/monitoring/ekspor/patokan/").status_code == 404


def test_the_benchmark_mounts_the_floor(bench_urls, client_for):
    response = client_for("directorate").get(reverse("monitoring:bench_floor"))
    assert response.status_code == 200
    assert "Jawa Barat" in response.content.decode()
