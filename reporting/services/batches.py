"""Training batches (section A): one record per angkatan, created once and updated as it runs.

A batch's counts belong to the month it ends in, so it may change while that month's report is
still open. Reports already submitted keep the batches as they were at submission.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import first_of_month, months_between
from blkportal.registry.access import Perm

from ..fields import BATCH_INPUT_FIELDS
from ..models import TrainingBatch
from ..policy import batch_month_block_reason
from ..signals import send_report_changed
from ._common import require

BATCH_FIELDS = BATCH_INPUT_FIELDS
COUNT_FIELDS = [
    "hours_jp",
    "enrolled_male",
    "enrolled_female",
    "graduated",
    "failed",
    "withdrawn",
    "certified",
    "santri_count",
    "umum_count",
]
EARLIEST = dt.date(2017, 1, 1)
MAX_DAYS = 366
MAX_HOURS = 2000


def check_batch(batch: TrainingBatch) -> None:
    """The hard rules of a batch, each for one field."""
    for name in COUNT_FIELDS:
        value = getattr(batch, name)
        if value is None or value < 0:
            raise DomainError(_("Isi angka 0 atau lebih."), field=name)
    if batch.start_date is None or batch.end_date is None:
        raise DomainError(
            _("Isi tanggal mulai dan selesai."), field="start_date" if not batch.start_date else "end_date"
        )
    if batch.end_date < batch.start_date:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_date")
    if batch.start_date < EARLIEST:
        raise DomainError(_("Tanggal mulai tidak masuk akal (sebelum 2017)."), field="start_date")
    if (batch.end_date - batch.start_date).days > MAX_DAYS:
        raise DomainError(_("Satu angkatan paling lama satu tahun."), field="end_date")
    if batch.end_date > timezone.localdate() + dt.timedelta(days=MAX_DAYS):
        raise DomainError(_("Tanggal selesai terlalu jauh di masa depan."), field="end_date")
    centre = batch.centre
    if batch.end_date < centre.activated_on or (centre.deactivated_on and batch.start_date > centre.deactivated_on):
        raise DomainError(
            _("Tanggal angkatan berada di luar masa aktif BLK (aktif sejak %(d)s).")
            % {"d": date_format(centre.activated_on, "j F Y")},
            field="start_date",
        )
    if batch.hours_jp > MAX_HOURS:
        raise DomainError(_("Jam pelatihan paling banyak %(n)s JP.") % {"n": MAX_HOURS}, field="hours_jp")
    enrolled = batch.enrolled_male + batch.enrolled_female
    if enrolled == 0:
        raise DomainError(_("Isi jumlah peserta (laki-laki dan/atau perempuan)."), field="enrolled_male")
    if batch.graduated > enrolled:
        raise DomainError(
            _("Lulus (%(a)s) tidak boleh lebih dari jumlah peserta (%(b)s).") % {"a": batch.graduated, "b": enrolled},
            field="graduated",
        )
    if batch.graduated + batch.failed + batch.withdrawn > enrolled:
        raise DomainError(
            _("Lulus + tidak lulus + mengundurkan diri (%(a)s) melebihi jumlah peserta (%(b)s).")
            % {"a": batch.graduated + batch.failed + batch.withdrawn, "b": enrolled},
            field="failed",
        )
    if batch.certified > batch.graduated:
        raise DomainError(_("Peserta bersertifikat tidak boleh lebih dari yang lulus."), field="certified")
    if batch.santri_count + batch.umum_count > enrolled:
        raise DomainError(
            _("Santri + warga umum (%(a)s) melebihi jumlah peserta (%(b)s).")
            % {"a": batch.santri_count + batch.umum_count, "b": enrolled},
            field="umum_count",
        )
    if batch.kejuruan_id and not batch.kejuruan.is_active:
        raise DomainError(_("Kejuruan ini sudah tidak aktif."), field="kejuruan")


def _require_month_open(centre, end_date: dt.date) -> None:
    reason = batch_month_block_reason(centre, first_of_month(end_date))
    if reason:
        raise DomainError(reason, field="end_date", code="locked")


def _announce(centre_id: int, *ranges) -> None:
    months = set()
    for start, end in ranges:
        months.update(months_between(start, end))
    for month in sorted(months):
        send_report_changed(centre_id=centre_id, period=month)


@transaction.atomic
def batch_create(*, centre, by, data: dict) -> TrainingBatch:
    require(by, Perm.EDIT_REPORTS, centre)
    batch = TrainingBatch(centre=centre, created_by=by, **{k: v for k, v in data.items() if k in BATCH_FIELDS})
    check_batch(batch)
    _require_month_open(centre, batch.end_date)
    batch._history_user = by
    batch.save()
    _announce(centre.pk, (batch.start_date, batch.end_date))
    return batch


@transaction.atomic
def batch_update(*, batch: TrainingBatch, by, data: dict) -> TrainingBatch:
    batch = TrainingBatch.objects.select_for_update().select_related("centre__province").get(pk=batch.pk)
    require(by, Perm.EDIT_REPORTS, batch.centre)
    old_range = (batch.start_date, batch.end_date)
    _require_month_open(batch.centre, batch.end_date)
    for key, value in data.items():
        if key in BATCH_FIELDS:
            setattr(batch, key, value)
    check_batch(batch)
    _require_month_open(batch.centre, batch.end_date)
    batch._history_user = by
    batch.save()
    _announce(batch.centre_id, old_range, (batch.start_date, batch.end_date))
    return batch


@transaction.atomic
def batch_delete(*, batch: TrainingBatch, by) -> None:
    batch = TrainingBatch.objects.select_for_update().select_related("centre__province").get(pk=batch.pk)
    require(by, Perm.EDIT_REPORTS, batch.centre)
    _require_month_open(batch.centre, batch.end_date)
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
