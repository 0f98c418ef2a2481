"""Celery tasks of facts and rankings: ids and ISO dates in, one service call each.

Fact refreshes go to the "facts" queue so they never wait behind an export; they are idempotent, so
a retry or a duplicate (two changes of the same centre-month in one transaction) does no harm.
"""

import datetime as dt
import logging

from celery import shared_task

from blkportal.core.errors import DomainError

log = logging.getLogger(__name__)


def _month(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _refused(exc) -> int:
    # A change in a month before the monitoring start, or of a centre deleted since: nothing to do.
    log.info("fact refresh skipped: %s", exc)
    return 0


@shared_task(name="monitoring.facts_refresh", queue="facts", acks_late=True, ignore_result=True)
def facts_refresh(centre_id: int, month: str) -> int:
    from .services import facts_refresh as refresh

    try:
        return refresh(centre_id=centre_id, month=_month(month))
    except DomainError as exc:
        return _refused(exc)


@shared_task(name="monitoring.facts_refresh_month", queue="facts", acks_late=True, ignore_result=True)
def facts_refresh_month(month: str, centre_ids: list[int]) -> int:
    from .services import facts_refresh_month as refresh

    try:
        return refresh(month=_month(month), centre_ids=centre_ids)
    except DomainError as exc:
        return _refused(exc)


@shared_task(name="monitoring.facts_refresh_from", queue="facts", acks_late=True, ignore_result=True)
def facts_refresh_from(centre_id: int, month: str) -> int:
    from .services import facts_refresh_from as refresh

    try:
        return refresh(centre_id=centre_id, month=_month(month))
    except DomainError as exc:
        return _refused(exc)


@shared_task(name="monitoring.facts_refresh_centre", queue="facts", acks_late=True, ignore_result=True)
def facts_refresh_centre(centre_id: int) -> int:
    from .services import facts_refresh_centre as refresh

    try:
        return refresh(centre_id=centre_id)
    except DomainError as exc:
        return _refused(exc)


@shared_task(name="monitoring.facts_open_month", queue="facts", acks_late=True, ignore_result=True)
def facts_open_month() -> int:
    """The current month's expected rows, from its first day (beat, daily just after midnight)."""
    from .services import facts_open_month as open_month

    return open_month()


@shared_task(name="monitoring.facts_rebuild", queue="facts", acks_late=True, ignore_result=True)
def facts_rebuild_nightly() -> dict:
    """The nightly full rebuild, then today's live rankings from the fresh facts."""
    from .services import facts_rebuild, rankings_recompute_live

    result = facts_rebuild()
    result["rankings"] = len(rankings_recompute_live())
    return result


@shared_task(name="monitoring.ranking_compute", queue="facts", acks_late=True, ignore_result=True)
def ranking_compute(version_id: int, period: str) -> int | None:
    from .models import RankingSchemeVersion
    from .services import ranking_compute as compute

    version = RankingSchemeVersion.objects.filter(pk=version_id).first()
    if version is None:
        return None
    return compute(version=version, period=_month(period)).pk


@shared_task(name="monitoring.rankings_freeze", queue="facts", acks_late=True, ignore_result=True)
def rankings_freeze() -> int:
    from .services import rankings_freeze as freeze

    return len(freeze())
