"""Drafts: open a month's report, autosave its values, add and remove its child rows."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import current_period, lock_date_for
from blkportal.registry.access import Perm

from ..deadlines import is_expected
from ..fields import REPORT_INPUT_FIELDS
from ..lines import LINE_KINDS
from ..models import Report
from ..policy import is_locked, month_label
from ._common import (
    changed,
    lock_report,
    require,
    require_editable,
    save_draft_values,
    save_report,
    values_changed,
)

DRAFT_FIELDS = [*REPORT_INPUT_FIELDS, "warning_explanation"]
# Stock values that stay true from one month to the next: a new draft starts from last month's.
CARRY_OVER = [
    "alumni_bekerja",
    "alumni_wirausaha",
    "alumni_studi",
    "alumni_belum_bekerja",
    "alumni_tidak_terlacak",
    "permit_status",
    "permit_number",
    "permit_expiry",
    "managers_count",
    "instructors_count",
    "instructors_certified",
]
MAX_LINES = 50


def check_period(centre, period, now=None) -> None:
    """A report may be opened for a month that has begun and in which the centre is active."""
    if not isinstance(period, dt.date) or period.day != 1:
        raise DomainError(_("Bulan laporan tidak valid."), field="period")
    if period > current_period(centre, now):
        raise DomainError(
            _("Laporan %(month)s belum dibuka: bulannya belum dimulai.") % {"month": month_label(period)},
            field="period",
        )
    if not is_expected(centre, period):
        raise DomainError(
            _(
                "BLK ini tidak aktif pada %(month)s (aktif sejak %(since)s%(until)s), sehingga tidak ada "
                "laporan untuk bulan itu."
            )
            % {
                "month": month_label(period),
                "since": date_format(centre.activated_on, "j F Y"),
                "until": _(" sampai %s") % date_format(centre.deactivated_on, "j F Y") if centre.deactivated_on else "",
            },
            field="period",
        )


@transaction.atomic
def report_get_or_create_draft(*, centre, period: dt.date, by, now=None) -> Report:
    """The centre's report for `period`, created as a draft (with last month's stock values) if new."""
    require(by, Perm.EDIT_REPORTS, centre)
    existing = Report.objects.filter(centre=centre, period=period).first()
    if existing is not None:
        return existing
    check_period(centre, period, now)
    if is_locked(centre, period, now=now):
        raise DomainError(
            _("Batas pengisian laporan %(month)s sudah lewat (%(date)s). Minta administrator membuka kunci.")
            % {"month": month_label(period), "date": date_format(lock_date_for(period), "j F Y")},
            field="period",
            code="locked",
        )
    previous = Report.objects.filter(centre=centre, period__lt=period).order_by("-period").first()
    report = Report(centre=centre, period=period, created_by=by, updated_by=by)
    if previous is not None:
        for name in CARRY_OVER:
            setattr(report, name, getattr(previous, name))
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone (another tab) created it a moment ago: use theirs.
        return Report.objects.get(centre=centre, period=period)
    changed(report)
    return report


def stale_message(report: Report) -> str:
    when = date_format(report.updated_at.astimezone(report.centre.tz), "j F Y H:i") if report.updated_at else "—"
    who = report.updated_by.display_name if report.updated_by else _("pengguna lain")
    return _(
        "Laporan ini sudah diubah di tab lain atau oleh %(who)s (%(when)s). Isian di halaman ini belum "
        "disimpan, dan isian yang tersimpan sebelumnya tetap utuh. Muat ulang halaman untuk melihat versi "
        "terbaru, lalu isi kembali perubahan Anda."
    ) % {"who": who, "when": when}


def report_save_draft(*, report: Report, by, data: dict, expected_version, now=None, locked=False) -> Report:
    """Save the draft values in `data` (any subset of DRAFT_FIELDS).

    `expected_version` is the version the editor loaded; a save from an older page is refused with
    a clear message and changes nothing (no lost update). Only the changed columns are written; the
    history keeps one row per editing session (save_draft_values). A draft's values are not counted
    in the facts, so no refresh is enqueued.

    `locked`: the caller read `report` with selectors.report_for_update inside its own transaction
    (the autosave view); the save then runs in that transaction, with no second read and no
    savepoint. A refusal (DomainError) must roll the caller's transaction back: the view lets it
    leave its atomic block.
    """
    if locked:
        return _save_draft(lock_report(report, locked=True), by, data, expected_version, now)
    with transaction.atomic():
        return _save_draft(lock_report(report), by, data, expected_version, now)


def _save_draft(report: Report, by, data: dict, expected_version, now) -> Report:
    require(by, Perm.EDIT_REPORTS, report.centre)
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = None
    if expected != report.version:
        raise DomainError(stale_message(report), code="stale")
    require_editable(report, now)
    updates = [name for name in DRAFT_FIELDS if name in data and getattr(report, name) != data[name]]
    for name in updates:
        setattr(report, name, data[name])
    if updates:
        save_draft_values(report, by, updates, now)
        values_changed(report)
    return report


def _refresh_income(report: Report) -> None:
    report.own_income = report.income_lines.aggregate(total=Sum("amount"))["total"] or 0


@transaction.atomic
def report_line_add(*, report: Report, by, kind: str, data: dict, now=None):
    """Add one row to a section (partnership, income, product, problem)."""
    if kind not in LINE_KINDS:
        raise DomainError(_("Jenis isian tidak dikenal."))
    report = lock_report(report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    require_editable(report, now)
    model, fields = LINE_KINDS[kind].model, LINE_KINDS[kind].fields
    if model.objects.filter(report=report).count() >= MAX_LINES:
        raise DomainError(_("Paling banyak %(n)s baris per bagian.") % {"n": MAX_LINES})
    for name in ("amount", "revenue", "units_sold"):
        if name in data and data[name] is not None and data[name] < 0:
            raise DomainError(_("Tidak boleh negatif."), field=name)
    line = model(report=report, **{k: v for k, v in data.items() if k in fields})
    line._history_user = by
    line.save()
    fields_to_save = []
    if kind == "income":
        _refresh_income(report)
        fields_to_save.append("own_income")
    save_report(report, by, fields_to_save, bump=False)
    values_changed(report)
    return line


@transaction.atomic
def report_line_remove(*, report: Report, by, kind: str, line_id, now=None) -> None:
    if kind not in LINE_KINDS:
        raise DomainError(_("Jenis isian tidak dikenal."))
    report = lock_report(report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    require_editable(report, now)
    model = LINE_KINDS[kind].model
    line = model.objects.filter(report=report, pk=line_id).first()
    if line is None:
        raise DomainError(_("Baris ini sudah tidak ada (mungkin sudah dihapus di tab lain)."), code="missing")
    line._history_user = by
    line.delete()
    fields_to_save = []
    if kind == "income":
        _refresh_income(report)
        fields_to_save.append("own_income")
    save_report(report, by, fields_to_save, bump=False)
    values_changed(report)
