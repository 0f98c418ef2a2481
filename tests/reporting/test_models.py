import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from reporting.models import Report, TrainingBatch


def test_one_report_per_centre_and_month(world):
    Report.objects.create(centre=world.centre_a, period=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(centre=world.centre_a, period=dt.date(2025, 1, 1))
    Report.objects.create(centre=world.centre_b, period=dt.date(2025, 1, 1))


def test_period_must_be_first_of_month(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(centre=world.centre_a, period=dt.date(2025, 1, 15))


def test_returned_needs_reason(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(centre=world.centre_a, period=dt.date(2025, 1, 1), status="returned")


def test_batch_constraints(world):
    from blkportal.registry.models import Kejuruan

    k = Kejuruan.objects.first()
    base = {
        "centre": world.centre_a,
        "kejuruan": k,
        "program_name": "Las",
        "funding_source": "apbn",
        "start_date": dt.date(2025, 1, 10),
        "end_date": dt.date(2025, 2, 20),
        "enrolled_male": 10,
        "enrolled_female": 6,
    }
    TrainingBatch.objects.create(**base, graduated=14, failed=1, withdrawn=1, certified=10)
    for bad in (
        {"end_date": dt.date(2025, 1, 1)},
        {"graduated": 15, "failed": 1, "withdrawn": 1},
        {"graduated": 5, "certified": 6},
        {"santri_count": 10, "umum_count": 7},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingBatch.objects.create(**{**base, **bad})
