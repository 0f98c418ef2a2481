"""Helpers for reporting tests: a month that can be submitted, batches, a fully valid report."""

import datetime as dt

import pytest
from django.utils import timezone

from blkportal.core.months import add_months, first_of_month, month_bounds
from blkportal.registry.models import Kejuruan, Role
from reporting import services
from reporting.models import TrainingBatch
from tests.factories import UserFactory, give_role


@pytest.fixture
def last_month():
    """The most recent month that has ended (open for submission, not locked)."""
    return add_months(first_of_month(timezone.localdate()), -1)


def make_batch(centre, period, **overrides):
    """A batch of 16 that ran inside `period` and finished with every participant accounted for."""
    first, last = month_bounds(period)
    values = {
        "centre": centre,
        "kejuruan": Kejuruan.objects.get(code="teknik-las"),
        "program_name": "Pengelasan SMAW",
        "funding_source": "apbn",
        "start_date": first + dt.timedelta(days=1),
        "end_date": min(first + dt.timedelta(days=20), last),
        "hours_jp": 240,
        "enrolled_male": 12,
        "enrolled_female": 4,
        "graduated": 14,
        "failed": 1,
        "withdrawn": 1,
        "certified": 10,
        "santri_count": 10,
        "umum_count": 6,
    }
    values.update(overrides)
    return TrainingBatch.objects.create(**values)


VALID = {
    "alumni_bekerja": 5,
    "alumni_wirausaha": 3,
    "alumni_studi": 1,
    "alumni_belum_bekerja": 3,
    "alumni_tidak_terlacak": 2,
    "permit_status": "permit",
    "permit_number": "563/123/2024",
    "managers_count": 3,
    "instructors_count": 4,
    "instructors_certified": 2,
    "operating_cost": 2_500_000,
}


def fill(report, user, **overrides):
    """Save a valid set of values (and a finished batch) so the report can be submitted."""
    if not TrainingBatch.objects.filter(centre=report.centre).exists():
        make_batch(report.centre, report.period)
    return services.report_save_draft(
        report=report, by=user, data={**VALID, **overrides}, expected_version=report.version
    )


@pytest.fixture
def draft(world, last_month):
    return services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)


@pytest.fixture
def filled(draft, world):
    return fill(draft, world.manager_a)


@pytest.fixture
def submitted(filled, world):
    return services.report_submit(report=filled, by=world.manager_a).report


@pytest.fixture
def verified(submitted, world):
    return services.report_verify(report=submitted, by=world.reviewer)


@pytest.fixture
def approved(verified, world):
    return services.report_approve(report=verified, by=world.directorate)


@pytest.fixture
def reviewer_jatim(world):
    user = UserFactory(username="reviewer_jatim")
    give_role(user, Role.REVIEWER, province="35")
    return user
