"""Personas shared by every test (healthchecks' alice/bob, pretix's permission matrix).

centre_a  Jawa Barat (WIB), incubator      manager_a, mentor_a
centre_b  Jawa Timur (WIB)                  manager_b
centre_c  Papua Tengah (WIT)                manager_c
reviewer  verifikator for Jawa Barat (32)
directorate, fkn (national), fkn_jabar (province 32), admin
"""

import datetime as dt
import os
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine

from blkportal.registry.models import Regency, Role
from tests.factories import CentreFactory, UserFactory, give_role, kejuruan

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = [
    "anon",
    "norole",
    "manager_a",
    "manager_b",
    "mentor_a",
    "reviewer",
    "directorate",
    "fkn",
    "fkn_jabar",
    "admin",
]


JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


# The day the suite runs at when PORTAL_TEST_TODAY is not set: an ordinary mid-month weekday, past
# the monthly deadline, so the result of `make test` never depends on the day it runs.
DEFAULT_TEST_TODAY = "2026-11-18T10:00"


def portal_test_moment() -> dt.datetime:
    """The moment the suite runs at, from PORTAL_TEST_TODAY (Jakarta local time): "2026-11-29" means
    that day at 12:00, "2026-12-10T23:30" that minute; DEFAULT_TEST_TODAY when unset."""
    value = os.environ.get("PORTAL_TEST_TODAY", "").strip() or DEFAULT_TEST_TODAY
    moment = dt.datetime.fromisoformat(value if "T" in value else f"{value}T12:00")
    return moment.replace(tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _portal_clock(request):
    """One clock for the whole suite: every test runs at portal_test_moment() (the clock keeps
    ticking from there), so no test reads the real date and `make test-dates` can run the suite as if
    on any date. Tests with a real Celery worker keep the real clock: the worker is another process,
    which a travel in this one cannot reach, and both sides must agree on what "now" is."""
    if request.node.get_closest_marker("celery_worker") is not None:
        yield
        return
    with time_machine.travel(portal_test_moment(), tick=True):
        yield


# Tests that depend on the calendar (deadlines, locks, "last month", facts up to the current month):
# `make test-dates` runs these again as if on several dates.
DATE_SENSITIVE = (
    "tests/reporting/",
    "tests/monitoring/",
    "tests/incubator/",
    "tests/api/test_reporting_api.py",
    "tests/api/test_incubator_api.py",
    "tests/api/test_monitoring_api.py",
    "tests/test_permission_matrix.py",
)


# Tests that move their own clock through many dates (the facts property test) need no date run.
OWN_CLOCK = ("tests/monitoring/test_facts_property.py",)

# The permission matrix: 2,300 rows, most of every date run. `make test-dates` runs it on the date
# where access changes most (the deadline hour) and the rest of the date tests on all.
MATRIX = ("tests/test_permission_matrix.py",)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path.relative_to(config.rootpath))
        if path.startswith(DATE_SENSITIVE) and not path.startswith(OWN_CLOCK):
            item.add_marker(pytest.mark.dates)
        if path.startswith(MATRIX):
            item.add_marker(pytest.mark.matrix)


def pytest_report_header(config):
    return f"portal clock: {portal_test_moment().isoformat()} (PORTAL_TEST_TODAY; celery_worker tests: real time)"


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "id"
    # Unit tests run tasks in-process and cache locally; tests marked celery_worker use the real
    # worker and Redis (see tests/test_celery_worker*.py).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The local-memory cache lives as long as the process: start every test with it empty, so a page
    # cached by one test (the public catalogue, dashboards) never answers for another.
    from django.core.cache import cache

    cache.clear()
    from blkportal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _primary_only(request, settings):
    """With DATABASE_REPLICA_URL set (CI), only the tests marked `replica` route reads to it; every
    other test uses the primary alone, as without a replica (its data is often uncommitted)."""
    if settings.DATABASE_ROUTERS and request.node.get_closest_marker("replica") is None:
        settings.DATABASE_ROUTERS = []


def ensure_reference_data():
    """Regions and kejuruan come from a migration; transactional tests flush them, so reload."""
    from blkportal.registry.models import Kejuruan, Province, Regency
    from blkportal.registry.reference import load_kejuruan
    from blkportal.registry.regions import load_regions

    if not Regency.objects.exists():
        load_regions(province_model=Province, regency_model=Regency)
    if not Kejuruan.objects.exists():
        load_kejuruan(Kejuruan)


@pytest.fixture
def reference_data(db):
    ensure_reference_data()


@pytest.fixture
def world(db, reference_data):
    """Three centres in three provinces and one user per role."""
    return build_world()


def build_world():
    """The personas of the module docstring (a function so the permission matrix can build it once)."""
    las, tik = kejuruan("teknik-las"), kejuruan("teknik-informatika")
    centre_a = CentreFactory(
        reg_code="BLKK-A",
        name="BLK Komunitas Al-Hikmah",
        regency=Regency.objects.get(code="32.04"),
        cohort_year=2019,
        activated_on=dt.date(2019, 7, 1),
        is_incubator=True,
        incubator_year=2021,
        incubator_university="IPB University",
        kejuruan=[las],
    )
    centre_b = CentreFactory(
        reg_code="BLKK-B",
        name="BLK Komunitas Nurul Huda",
        regency=Regency.objects.get(code="35.07"),
        cohort_year=2020,
        activated_on=dt.date(2020, 9, 1),
        kejuruan=[tik],
    )
    centre_c = CentreFactory(
        reg_code="BLKK-C",
        name="BLK Komunitas Seminari Nabire",
        regency=Regency.objects.filter(province_id="94").first(),
        host_type="seminari",
        cohort_year=2021,
        activated_on=dt.date(2021, 3, 1),
        kejuruan=[las, tik],
    )
    users = {}

    def persona(name, role, centre=None, province=None):
        user = UserFactory(username=name)
        if role:
            give_role(user, role, centre=centre, province=province)
        users[name] = user
        return user

    persona("manager_a", Role.MANAGER, centre=centre_a)
    persona("manager_b", Role.MANAGER, centre=centre_b)
    persona("manager_c", Role.MANAGER, centre=centre_c)
    persona("mentor_a", Role.MENTOR, centre=centre_a)
    persona("reviewer", Role.REVIEWER, province="32")
    persona("directorate", Role.DIRECTORATE)
    persona("fkn", Role.FKN)
    persona("fkn_jabar", Role.FKN, province="32")
    persona("admin", Role.ADMIN)
    persona("norole", None)
    return SimpleNamespace(centre_a=centre_a, centre_b=centre_b, centre_c=centre_c, users=users, **users)


@pytest.fixture
def client_for(client, world):
    """client_for("manager_a") -> a test client logged in as that persona (anon: logged out)."""

    def make(name):
        from django.test import Client

        c = Client()
        if name != "anon":
            c.force_login(world.users[name])
        return c

    return make
