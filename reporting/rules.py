"""Validation of a report before submission.

Hard rules block submission, each with a message for one field. Soft rules only warn; the manager
submits anyway with a short explanation. Both read the database and change nothing.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.db.models import Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.formatting import format_number
from blkportal.core.months import add_months, month_bounds

from .fields import BATCH_COUNT_FIELDS
from .models import PermitStatus, Report, TrainingBatch

REQUIRED_FIELDS = [
    "alumni_bekerja",
    "alumni_wirausaha",
    "alumni_studi",
    "alumni_belum_bekerja",
    "alumni_tidak_terlacak",
    "permit_status",
    "managers_count",
    "instructors_count",
    "operating_cost",
]
SOFT_FACTOR = 3
SOFT_WINDOW = 6
SOFT_MIN_POINTS = 3
MIN_EXPLANATION = 10


@dataclass(frozen=True)
class Issue:
    field: str
    message: str
    code: str

    def as_dict(self) -> dict:
        return asdict(self)


def batches_in_month(centre, period):
    first, last = month_bounds(period)
    return TrainingBatch.objects.filter(centre=centre, start_date__lte=last, end_date__gte=first).select_related(
        "kejuruan"
    )


def graduates_to_date(centre, period) -> int:
    """Graduates of every batch the centre has recorded that ended by the month's end."""
    last = month_bounds(period)[1]
    return TrainingBatch.objects.filter(centre=centre, end_date__lte=last).aggregate(n=Sum("graduated"))["n"] or 0


def rule_batches(report: Report) -> list[TrainingBatch]:
    """The centre's batches both rule sets read, in one query: those running in the report's month or
    the two before it (hard rules, the no-training warning) and those started in the soft rules'
    window (new participants). An autosave runs both sets on every save, so the reads are shared."""
    last = month_bounds(report.period)[1]
    return list(
        TrainingBatch.objects.filter(centre_id=report.centre_id, start_date__lte=last).filter(
            Q(start_date__gte=add_months(report.period, -SOFT_WINDOW)) | Q(end_date__gte=add_months(report.period, -2))
        )
    )


def check(report: Report) -> tuple[list[Issue], list[dict]]:
    """Both rule sets, as hard_errors and soft_warnings give them, sharing the one read both need:
    the centre's batches around the month (rule_batches)."""
    batches = rule_batches(report)
    return hard_errors(report, batch_list=batches), soft_warnings(report, batch_list=batches)


METRICS = ("own_income", "operating_cost", "alumni_bekerja", "alumni_wirausaha")


def window_reports(report: Report) -> list[dict]:
    """The centre's submitted reports of the soft rules' window and this one (as saved), each with its
    products' revenue, in one query. (A join and GROUP BY: cheaper to build than a subquery per row,
    and an autosave runs it every time.)"""
    wanted = Q(
        centre_id=report.centre_id,
        period__gte=add_months(report.period, -SOFT_WINDOW),
        period__lt=report.period,
        first_submitted_at__isnull=False,
    )
    if report.pk:
        wanted |= Q(pk=report.pk)
    rows = (
        Report.objects.filter(wanted)
        .values("pk", "period", *METRICS)
        .annotate(product_revenue=Sum("products__revenue"))
        .order_by("period")
    )
    return [{**row, "product_revenue": row["product_revenue"] or 0} for row in rows]


def hard_errors(
    report: Report,
    *,
    batches: bool = True,
    batch_list: list[TrainingBatch] | None = None,
) -> list[Issue]:
    """Rules that block submission. Without `batches` (the history import: those months' batches are
    usually not in the portal), the rules that compare the report with the batches recorded here
    (alumni against graduates to date, each batch's own rules) are left out. `batch_list`:
    rule_batches(report), when already read."""
    issues = []
    for name in REQUIRED_FIELDS:
        value = getattr(report, name)
        if value is None or value == "":
            msg = _("Wajib diisi (isi 0 bila memang tidak ada).") if name != "permit_status" else _("Wajib dipilih.")
            issues.append(Issue(name, msg, "required"))
    if report.permit_status in (PermitStatus.PERMIT, PermitStatus.ACCREDITED) and not report.permit_number.strip():
        issues.append(Issue("permit_number", _("Isi nomor izin atau akreditasi."), "required"))
    if (
        report.instructors_certified is not None
        and report.instructors_count is not None
        and report.instructors_certified > report.instructors_count
    ):
        issues.append(
            Issue(
                "instructors_certified",
                _("Instruktur bersertifikat (%(a)s) tidak boleh lebih dari jumlah instruktur (%(b)s).")
                % {"a": report.instructors_certified, "b": report.instructors_count},
                "le_instructors",
            )
        )
    for name in REQUIRED_FIELDS + ["instructors_certified"]:
        value = getattr(report, name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            issues.append(Issue(name, _("Tidak boleh negatif."), "negative"))
    if not batches:
        return issues
    if all(v is not None for v in report.alumni_fields):
        graduates = graduates_to_date(report.centre, report.period)
        if report.alumni_total > graduates:
            issues.append(
                Issue(
                    "alumni_tidak_terlacak",
                    _(
                        "Jumlah status alumni (%(total)s) melebihi jumlah lulusan yang tercatat sampai akhir "
                        "bulan ini (%(graduates)s). Periksa angka alumni atau lengkapi data angkatan."
                    )
                    % {"total": report.alumni_total, "graduates": graduates},
                    "outcomes_le_graduates",
                )
            )
    first, last = month_bounds(report.period)
    if batch_list is None:
        month_batches = batches_in_month(report.centre, report.period)
    else:
        month_batches = [b for b in batch_list if b.start_date <= last and b.end_date >= first]
    for batch in month_batches:
        label = batch.program_name
        for problem in batch_problems(batch):
            issues.append(
                Issue("batches", _("Angkatan “%(b)s”: %(p)s") % {"b": label, "p": problem.message}, problem.code)
            )
        if first <= batch.end_date <= last and batch.graduated + batch.failed + batch.withdrawn != batch.enrolled:
            issues.append(
                Issue(
                    "batches",
                    _(
                        "Angkatan “%(b)s” selesai %(date)s: lulus + tidak lulus + mengundurkan diri (%(done)s) "
                        "harus sama dengan jumlah peserta (%(enrolled)s)."
                    )
                    % {
                        "b": label,
                        "date": date_format(batch.end_date, "j F Y"),
                        "done": batch.graduated + batch.failed + batch.withdrawn,
                        "enrolled": batch.enrolled,
                    },
                    "outcomes_incomplete",
                )
            )
    return issues


METRIC_LABELS = {
    "own_income": ("own_income", "Pendapatan mandiri"),
    "operating_cost": ("operating_cost", "Biaya operasional"),
    "alumni_bekerja": ("alumni_bekerja", "Alumni bekerja"),
    "alumni_wirausaha": ("alumni_wirausaha", "Alumni berwirausaha"),
    "product_revenue": ("products", "Omzet produk unggulan"),
    "new_enrolled": ("batches", "Peserta angkatan baru"),
}


def soft_warnings(report: Report, *, batch_list: list[TrainingBatch] | None = None) -> list[dict]:
    """Warnings that need an explanation, as dicts (stored on the report as JSON). `batch_list`:
    rule_batches(report), when already read."""
    warnings: list[Issue] = []
    start = add_months(report.period, -SOFT_WINDOW)
    window_start = add_months(report.period, -2)
    last = month_bounds(report.period)[1]
    batches = rule_batches(report) if batch_list is None else batch_list
    history, current = [], {}
    for row in window_reports(report):
        values = {key: row[key] for key in (*METRICS, "product_revenue")}
        if row["pk"] == report.pk:
            current = values
        else:
            history.append((row["period"], values))
    series = {key: [h[key] for _p, h in history if h.get(key) is not None] for key in current}
    enrolled: dict = {}
    for batch in batches:
        if start <= batch.start_date <= last:
            month = batch.start_date.replace(day=1)
            enrolled[month] = enrolled.get(month, 0) + batch.enrolled_male + batch.enrolled_female
    series["new_enrolled"] = [enrolled.get(p, 0) for p, _h in history]
    current["new_enrolled"] = enrolled.get(report.period, 0)
    for key, values in series.items():
        value = current.get(key)
        if value is None or len(values) < SOFT_MIN_POINTS:
            continue
        median = statistics.median(float(v) for v in values)
        if median > 0 and float(value) > SOFT_FACTOR * median:
            field, label = METRIC_LABELS[key]
            warnings.append(
                Issue(
                    field,
                    _(
                        "%(label)s bulan ini (%(value)s) lebih dari 3× median enam bulan sebelumnya "
                        "(%(median)s). Pastikan angkanya benar."
                    )
                    % {"label": _(label), "value": format_number(value), "median": format_number(median)},
                    f"spike_{key}",
                )
            )
    # No training for three months (this month and the two before), for a centre active all along.
    if report.centre.activated_on <= window_start:
        trained = any(b.start_date <= last and b.end_date >= window_start for b in batches)
        if not trained:
            warnings.append(
                Issue(
                    "batches",
                    _("Tidak ada pelatihan selama tiga bulan (%(from)s – %(to)s). Jelaskan penyebabnya.")
                    % {"from": date_format(window_start, "F Y"), "to": date_format(report.period, "F Y")},
                    "no_training_3_months",
                )
            )
    return [w.as_dict() for w in warnings]


# --- Training batches -------------------------------------------------------------------------------
# The one place for a batch's rules and limits: the batch service refuses with them, the batch form
# and the API serializer show them beside the field, and a report's hard rules re-check its month's
# batches with them.

BATCH_EARLIEST = dt.date(2017, 1, 1)
BATCH_MAX_DAYS = 366
BATCH_MAX_HOURS = 2000  # JP (1 JP = 45 minutes)
BATCH_MAX_COUNT = 10_000  # participants in any one count


def batch_problems(batch: TrainingBatch, *, today: dt.date | None = None) -> Iterator[DomainError]:
    """Every rule `batch` breaks, each for one field, in the order a person fixes them.

    With `today` (saving a batch) the rules about its dates, the centre's active period and the
    kejuruan apply too; without it (a report re-checking stored batches) only the batch's own counts
    and dates."""
    for name in BATCH_COUNT_FIELDS:
        value = getattr(batch, name)
        if value is None or value < 0:
            yield DomainError(_("Isi angka 0 atau lebih."), field=name)
            return
    if batch.start_date is None or batch.end_date is None:
        yield DomainError(
            _("Isi tanggal mulai dan selesai."), field="start_date" if not batch.start_date else "end_date"
        )
        return
    if batch.end_date < batch.start_date:
        yield DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_date", code="dates")
    if today is not None:
        yield from _batch_context_problems(batch, today)
    if batch.hours_jp > BATCH_MAX_HOURS:
        yield DomainError(_("Jam pelatihan paling banyak %(n)s JP.") % {"n": BATCH_MAX_HOURS}, field="hours_jp")
    enrolled = batch.enrolled_male + batch.enrolled_female
    done = batch.graduated + batch.failed + batch.withdrawn
    if enrolled == 0:
        yield DomainError(
            _("Isi jumlah peserta (laki-laki dan/atau perempuan)."), field="enrolled_male", code="enrolled"
        )
    if batch.graduated > enrolled:
        yield DomainError(
            _("Lulus (%(a)s) tidak boleh lebih dari jumlah peserta (%(b)s).") % {"a": batch.graduated, "b": enrolled},
            field="graduated",
            code="graduates",
        )
    elif done > enrolled:
        yield DomainError(
            _("Lulus + tidak lulus + mengundurkan diri (%(a)s) melebihi jumlah peserta (%(b)s).")
            % {"a": done, "b": enrolled},
            field="failed",
            code="graduates",
        )
    if batch.certified > batch.graduated:
        yield DomainError(_("Peserta bersertifikat tidak boleh lebih dari yang lulus."), field="certified")
    if batch.santri_count + batch.umum_count > enrolled:
        yield DomainError(
            _("Santri + warga umum (%(a)s) melebihi jumlah peserta (%(b)s).")
            % {"a": batch.santri_count + batch.umum_count, "b": enrolled},
            field="umum_count",
        )
    if today is not None and batch.kejuruan_id and not batch.kejuruan.is_active:
        yield DomainError(_("Kejuruan ini sudah tidak aktif."), field="kejuruan")


def _batch_context_problems(batch: TrainingBatch, today: dt.date) -> Iterator[DomainError]:
    if batch.start_date < BATCH_EARLIEST:
        yield DomainError(_("Tanggal mulai tidak masuk akal (sebelum 2017)."), field="start_date")
    if (batch.end_date - batch.start_date).days > BATCH_MAX_DAYS:
        yield DomainError(_("Satu angkatan paling lama satu tahun."), field="end_date")
    if batch.end_date > today + dt.timedelta(days=BATCH_MAX_DAYS):
        yield DomainError(_("Tanggal selesai terlalu jauh di masa depan."), field="end_date")
    centre = batch.centre
    if batch.end_date < centre.activated_on or (centre.deactivated_on and batch.start_date > centre.deactivated_on):
        yield DomainError(
            _("Tanggal angkatan berada di luar masa aktif BLK (aktif sejak %(d)s).")
            % {"d": date_format(centre.activated_on, "j F Y")},
            field="start_date",
        )


def check_batch(batch: TrainingBatch, *, today: dt.date) -> None:
    """Refuse a batch that breaks a rule (the first one, with its field)."""
    problem = next(batch_problems(batch, today=today), None)
    if problem is not None:
        raise problem
