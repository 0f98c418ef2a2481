"""Training batches (section A): one record per angkatan, created once and updated as it runs. The
batch rules and limits live in reporting/rules.py.

A batch's counts belong to the month it ends in, so it may change while that month's report is
still open. Reports already submitted keep the batches as they were at submission.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import first_of_month, months_between, today
from blkportal.registry.access import Perm

from ..fields import BATCH_INPUT_FIELDS
from ..models import TrainingBatch
from ..policy import batch_month_block_reason
from ..rules import check_batch
from ..signals import send_report_changed
from ._common import require

BATCH_FIELDS = BATCH_INPUT_FIELDS


def _require_month_open(centre, end_date: dt.date, now) -> None:
    reason = batch_month_block_reason(centre, first_of_month(end_date), now)
    if reason:
        raise DomainError(reason, field="end_date", code="locked")


def _announce(centre_id: int, *ranges) -> None:
    months = set()
    for start, end in ranges:
        months.update(months_between(start, end))
    for month in sorted(months):
        send_report_changed(centre_id=centre_id, period=month)


@transaction.atomic
def batch_create(*, centre, by, data: dict, now=None, reason: str = "") -> TrainingBatch:
    """Record a batch; `reason` is kept in its history (e.g. the import file it came from)."""
    require(by, Perm.EDIT_REPORTS, centre)
    batch = TrainingBatch(centre=centre, created_by=by, **{k: v for k, v in data.items() if k in BATCH_FIELDS})
    check_batch(batch, today=today(now))
    _require_month_open(centre, batch.end_date, now)
    batch._history_user, batch._change_reason = by, reason
    batch.save()
    _announce(centre.pk, (batch.start_date, batch.end_date))
    return batch


@transaction.atomic
def batch_update(*, batch: TrainingBatch, by, data: dict, now=None, reason: str = "") -> TrainingBatch:
    batch = TrainingBatch.objects.select_for_update().select_related("centre__province").get(pk=batch.pk)
    require(by, Perm.EDIT_REPORTS, batch.centre)
    old_range = (batch.start_date, batch.end_date)
    _require_month_open(batch.centre, batch.end_date, now)
    for key, value in data.items():
        if key in BATCH_FIELDS:
            setattr(batch, key, value)
    check_batch(batch, today=today(now))
    _require_month_open(batch.centre, batch.end_date, now)
    batch._history_user, batch._change_reason = by, reason
    batch.save()
    _announce(batch.centre_id, old_range, (batch.start_date, batch.end_date))
    return batch


@transaction.atomic
def batch_delete(*, batch: TrainingBatch, by, now=None) -> None:
    batch = TrainingBatch.objects.select_for_update().select_related("centre__province").get(pk=batch.pk)
    require(by, Perm.EDIT_REPORTS, batch.centre)
    _require_month_open(batch.centre, batch.end_date, now)
    from ..models import Report

    first = first_of_month(batch.start_date)
    submitted = Report.objects.filter(
        centre=batch.centre, period__gte=first, period__lte=batch.end_date, first_submitted_at__isnull=False
    ).exists()
    if submitted:
        raise DomainError(
            _("Angkatan ini sudah tercantum dalam laporan yang pernah diajukan; ubah datanya, jangan dihapus."),
            code="locked",
        )
    centre_id, rng = batch.centre_id, (batch.start_date, batch.end_date)
    batch._history_user = by
    batch.delete()
    _announce(centre_id, rng)
