"""Celery tasks and beat entries of facts and rankings (run eagerly here)."""

import datetime as dt

import pytest

from blkportal.celery import app
from monitoring import services, tasks
from monitoring.models import CentreMonth, RankingSnapshot
from monitoring.schedule import BEAT_SCHEDULE
from tests.monitoring.conftest import report

pytestmark = pytest.mark.django_db


def test_beat_entries_name_registered_tasks_on_their_queues():
    app.loader.import_default_modules()
    for name in ("monitoring-facts-rebuild", "monitoring-rankings-freeze"):
        entry = BEAT_SCHEDULE[name]
        assert entry["task"] in app.tasks
        assert entry["options"]["queue"] == "facts"
    assert tasks.facts_refresh.queue == "facts"


def test_nightly_rebuild_then_live_rankings_and_monthly_freeze(world):
    report(world.centre_a, dt.date(2024, 3, 1), "approved")
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Malam",
        data={"window_months": 12, "min_verified_months": 0, "peer_by_cohort": True, "peer_by_kejuruan": False},
        weights={"reporting_rate": 100},
    )
    result = tasks.facts_rebuild_nightly.delay().get()
    assert result["rows"] == CentreMonth.objects.count() > 0 and result["rankings"] == 1
    assert RankingSnapshot.objects.filter(version=version, frozen=False, period=services.default_period()).exists()
    assert tasks.rankings_freeze.delay().get() == 1
    assert tasks.rankings_freeze.delay().get() == 0  # a month is frozen once
    frozen = RankingSnapshot.objects.get(frozen=True)
    assert frozen.period == services.freeze_period()


def test_refresh_tasks_take_ids_and_iso_dates(world):
    report(world.centre_b, dt.date(2024, 3, 1), "submitted")
    services.facts_rebuild()
    CentreMonth.objects.all().delete()
    assert tasks.facts_refresh.delay(world.centre_b.pk, "2024-03-01").get() == 1
    assert CentreMonth.objects.get(centre=world.centre_b, month=dt.date(2024, 3, 1)).reported
    assert tasks.facts_refresh_centre.delay(world.centre_b.pk).get() > 1
    assert tasks.ranking_compute.delay(999999, "2024-03-01").get() is None  # a deleted version: nothing
