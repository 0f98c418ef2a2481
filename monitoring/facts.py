"""Building monitoring facts (CentreMonth) from reporting and incubator data, set-based.

One builder serves both the refresh of a few centre-months (on commit of a change) and the full
rebuild (nightly, `manage.py rebuild_facts`): a handful of queries fetch the source rows for the
requested centres and months, Python folds them into one row per (centre, month), and the rows
replace what was there in one transaction. Because refresh and rebuild run the same code over
different ranges, the rebuild gives the same rows as refreshing every centre-month one by one.

Which rows exist: facts cover the months from the monitoring start (settings.MONITORING_FIRST_MONTH)
to the current month, nothing before or after. A (centre, month) has a fact when the centre was
expected to report that month (active on at least one day of it: Centre.is_active_in_month) or when
it has any data that month (a report in any state, a training batch, a tenant). The expected rows
exist before anything happens: a centre's rows are written when it is registered, activated or
deactivated (monitoring.signals), the current month's rows when the month opens (`open_month`, run
by beat every day just after midnight), and by every rebuild; so the incrementally kept table equals
a full rebuild at every moment.

What a row says about the report (monitoring.indicators defines the indicators on top):
- reported: the report was ever submitted (first_submitted_at); it stays reported through returns
  and corrections;
- on_time: judged once, at the first submission, against the deadline then in force
  (Report.on_time and Report.deadline_at, stored by the submission); never re-judged here;
- verified / approved: the report's current state;
- the figures (alumni, income, kemandirian): those of a report currently submitted, verified or
  approved; a report back in draft or returned shows its state, not numbers under revision.
"""

from __future__ import annotations

import datetime as dt
import operator
import time
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from blkportal.core import dbrouting
from blkportal.core import months as clock
from blkportal.core.errors import DomainError
from blkportal.core.months import add_months, current_month, first_of_month, month_bounds, month_label, months_between
from blkportal.registry.models import Centre
from incubator.models import ACTIVE_STAGES, IN_INCUBATION_STAGES, MentoringSession, Tenant, TenantProgress
from incubator.models import TenantStageChange as StageChange
from reporting.models import PartnerType, PermitStatus, Report, ReportPartnership, TrainingBatch

from .models import CentreMonth, CentreMonthKejuruan

REPORTED_STATES = frozenset({Report.Status.SUBMITTED, Report.Status.VERIFIED, Report.Status.APPROVED})
VERIFIED_STATES = frozenset({Report.Status.VERIFIED, Report.Status.APPROVED})
VALID_PERMITS = frozenset({PermitStatus.PERMIT, PermitStatus.ACCREDITED})
KEMANDIRIAN_PARTNERS = [PartnerType.PEMERINTAH, PartnerType.DUDI]

COUNT_FIELDS = [
    "batches_active",
    "trainees_active",
    "batches_started",
    "trainees_new",
    "trainees_new_female",
    "batches_ended",
    "graduated",
    "failed",
    "withdrawn",
    "certified",
    "alumni_bekerja",
    "alumni_wirausaha",
    "alumni_studi",
    "alumni_belum_bekerja",
    "alumni_tidak_terlacak",
    "kemandirian_points",
    "tenants_active",
    "tenants_in_incubation",
    "tenants_reporting",
    "tenant_workers",
    "tenant_baseline_workers",
    "mentoring_sessions",
]
MONEY_FIELDS = ["own_income", "operating_cost", "tenant_omzet", "tenant_baseline_omzet"]
# Every stored column except the key, the surrogate id and refreshed_at: what equivalence compares.
VALUE_FIELDS = [
    "province_id",
    "regency_id",
    "cohort_year",
    "kemandirian_class",
    "is_incubator",
    "expected",
    "state",
    "reported",
    "on_time",
    "verified",
    "approved",
    "first_submitted_at",
    *COUNT_FIELDS,
    *MONEY_FIELDS,
]
# Activity that makes a fact row exist even when the centre was not expected to report.
ACTIVITY_FIELDS = [
    "batches_active",
    "tenants_active",
    "tenants_in_incubation",
    "tenants_reporting",
    "mentoring_sessions",
]


def facts_start() -> dt.date:
    """The monitoring start: settings.MONITORING_FIRST_MONTH ("YYYY-MM"). No centre is expected to
    report before it (a centre active before the portal existed is not missing those reports, and an
    old draft does not make a month expected), and no fact exists before it."""
    configured = str(settings.MONITORING_FIRST_MONTH or "")
    try:
        year, month = configured.split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ImproperlyConfigured(f"MONITORING_FIRST_MONTH must be YYYY-MM, not {configured!r}.") from None


def full_range(now: dt.datetime | None = None) -> tuple[dt.date, dt.date] | None:
    """(first, last) month of the full rebuild: the monitoring start to the current month (None
    before the start)."""
    first, last = facts_start(), current_month(now)
    return (first, last) if first <= last else None


def check_month(month: dt.date) -> dt.date:
    """The month to refresh, or a DomainError when it is before the monitoring start."""
    month = first_of_month(month)
    start = facts_start()
    if month < start:
        raise DomainError(
            f"Bulan {month_label(month)} sebelum awal pemantauan ({month_label(start)}): "
            "tidak ada fakta yang dihitung untuk bulan itu.",
            field="month",
        )
    return month


def check_centre(centre_id) -> int:
    """The id of an existing centre, or a DomainError."""
    if not Centre.objects.filter(pk=centre_id).exists():
        raise DomainError(f"BLK dengan id {centre_id} tidak dikenal; fakta tidak diperbarui.", field="centre")
    return centre_id


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    return months_between(first, last) if first <= last else []


_EMPTY_ROW = {
    **dict.fromkeys(COUNT_FIELDS, 0),
    **dict.fromkeys(MONEY_FIELDS, Decimal(0)),
    "state": "",
    "reported": False,
    "on_time": False,
    "verified": False,
    "approved": False,
    "first_submitted_at": None,
    "has_report": False,
}


def _row() -> dict:
    return _EMPTY_ROW.copy()


def _kemandirian_points(alumni, permit_status, permit_expiry, certified, income, month_end, has_partner) -> int:
    """Kemandirian roadmap criteria met according to one report, 0-5: certified instructors, a valid
    permit or accreditation, own income, alumni followed (at least half with a known outcome), a
    partnership."""
    known = alumni[0] + alumni[1] + alumni[2] + alumni[3]
    total = known + alumni[4]
    criteria = [
        (certified or 0) > 0,  # competent (certified) instructors
        permit_status in VALID_PERMITS and (permit_expiry is None or permit_expiry >= month_end),
        (income or 0) > 0,  # own income
        total > 0 and 2 * known >= total,  # an alumni database that follows graduates
        bool(has_partner),  # a partnership with government or industry
    ]
    return sum(criteria)


def build(*, centre_ids=None, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> list[dict]:
    """Fact rows (column -> value) for `centre_ids` (None = every centre) and months first..last."""
    now = now or clock.now()
    last = min(last, current_month(now))
    months = _months(max(first, facts_start()), last)
    if not months:
        return []
    first_day, last_day = months[0], month_bounds(months[-1])[1]
    centres_qs = Centre.objects.all() if centre_ids is None else Centre.objects.filter(pk__in=list(centre_ids))
    centres = {
        c[0]: c
        for c in centres_qs.values_list(
            "pk",
            "province_id",
            "regency_id",
            "cohort_year",
            "kemandirian_class",
            "is_incubator",
            "activated_on",
            "deactivated_on",
            "province__timezone",
        )
    }
    if not centres:
        return []

    def scoped(qs, field="centre_id"):
        return qs if centre_ids is None else qs.filter(**{f"{field}__in": list(centres)})

    rows: dict[tuple[int, dt.date], dict] = defaultdict(_row)
    _add_reports(rows, scoped, first_day, last_day)
    _add_batches(rows, scoped, first_day, last_day, months)
    _add_tenants(rows, scoped, first_day, last_day, months)

    facts = []
    month_ends = [(m, month_bounds(m)[1]) for m in months]
    for cid, centre in centres.items():
        _, province, regency, cohort, klass, incubator, activated, deactivated, _tz = centre
        for month, month_end in month_ends:
            # Centre.is_active_in_month: active on at least one day of the month.
            expected = activated <= month_end and (deactivated is None or deactivated > month)
            row = rows.get((cid, month))
            if row is None and not expected:
                continue
            if row is None:
                row = _row()
            elif not expected and not row["has_report"] and not any(row[f] for f in ACTIVITY_FIELDS):
                continue
            values = row
            del values["has_report"]
            values.update(
                centre_id=cid,
                month=month,
                province_id=province,
                regency_id=regency,
                cohort_year=cohort,
                kemandirian_class=klass,
                is_incubator=incubator,
                expected=expected,
                refreshed_at=now,
            )
            facts.append(values)
    return facts


def _add_reports(rows, scoped, first_day, last_day):
    partnered = set(
        scoped(
            ReportPartnership.objects.filter(
                report__period__gte=first_day, report__period__lte=last_day, partner_type__in=KEMANDIRIAN_PARTNERS
            ),
            "report__centre_id",
        ).values_list("report_id", flat=True)
    )
    month_end = {}
    reports = (
        scoped(Report.objects.filter(period__gte=first_day, period__lte=last_day))
        .order_by()
        .values_list(
            "pk",
            "centre_id",
            "period",
            "status",
            "first_submitted_at",
            "on_time",
            "alumni_bekerja",
            "alumni_wirausaha",
            "alumni_studi",
            "alumni_belum_bekerja",
            "alumni_tidak_terlacak",
            "permit_status",
            "permit_expiry",
            "instructors_certified",
            "own_income",
            "operating_cost",
        )
    )
    zero = Decimal(0)
    for (
        pk,
        cid,
        period,
        status,
        submitted,
        on_time,
        *alumni,
        permit,
        expiry,
        certified,
        income,
        cost,
    ) in reports.iterator(chunk_size=20000):
        row = rows[(cid, period)]
        row["has_report"] = True
        row["state"] = status
        row["first_submitted_at"] = submitted
        # Reported once first submitted, whatever happened since; on time as judged at that moment.
        row["reported"] = submitted is not None
        row["on_time"] = submitted is not None and bool(on_time)
        row["verified"] = submitted is not None and status in VERIFIED_STATES
        row["approved"] = submitted is not None and status == Report.Status.APPROVED
        if status not in REPORTED_STATES:
            continue  # drafts and returned reports show their state, not numbers under revision
        alumni = [a or 0 for a in alumni]
        if period not in month_end:
            month_end[period] = month_bounds(period)[1]
        (
            row["alumni_bekerja"],
            row["alumni_wirausaha"],
            row["alumni_studi"],
            row["alumni_belum_bekerja"],
            row["alumni_tidak_terlacak"],
        ) = alumni
        row["own_income"] = income or zero
        row["operating_cost"] = cost or zero
        row["kemandirian_points"] = _kemandirian_points(
            alumni, permit, expiry, certified, income, month_end[period], pk in partnered
        )


TRAINING_FIELDS = [
    "batches_active",
    "trainees_active",
    "batches_started",
    "trainees_new",
    "trainees_new_female",
    "batches_ended",
    "graduated",
    "failed",
    "withdrawn",
    "certified",
]
CENTRE_FIELDS = ["province_id", "regency_id", "cohort_year", "kemandirian_class", "is_incubator"]
# What the equivalence of CentreMonthKejuruan rows compares (besides the key centre, month, kejuruan).
KEJURUAN_VALUE_FIELDS = [*CENTRE_FIELDS, *TRAINING_FIELDS]


def _batches(scoped, first_day, last_day):
    return (
        scoped(TrainingBatch.objects.filter(start_date__lte=last_day, end_date__gte=first_day))
        .order_by()
        .values_list(
            "centre_id",
            "kejuruan_id",
            "start_date",
            "end_date",
            "enrolled_male",
            "enrolled_female",
            "graduated",
            "failed",
            "withdrawn",
            "certified",
        )
    )


def _fold_batch(rows, key, start, end, male, female, graduated, failed, withdrawn, certified, months):
    """Add one batch to rows[key(month)]: running in each month from start to end, enrolment in the
    start month, outcomes in the end month (months outside first..last are left out)."""
    first_month, last_month = months[0], months[-1]
    enrolled = male + female
    start_month, end_month = first_of_month(start), first_of_month(end)
    month = max(start_month, first_month)
    while month <= min(end_month, last_month):
        row = rows[key(month)]
        row["batches_active"] += 1
        row["trainees_active"] += enrolled
        month = add_months(month, 1)
    if first_month <= start_month <= last_month:
        row = rows[key(start_month)]
        row["batches_started"] += 1
        row["trainees_new"] += enrolled
        row["trainees_new_female"] += female
    if first_month <= end_month <= last_month:
        row = rows[key(end_month)]
        row["batches_ended"] += 1
        row["graduated"] += graduated
        row["failed"] += failed
        row["withdrawn"] += withdrawn
        row["certified"] += certified


def _add_batches(rows, scoped, first_day, last_day, months):
    for cid, _kid, *values in _batches(scoped, first_day, last_day).iterator(chunk_size=5000):
        _fold_batch(rows, lambda m, cid=cid: (cid, m), *values, months)


def build_kejuruan(*, centre_ids=None, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> list[dict]:
    """CentreMonthKejuruan rows (column -> value) for `centre_ids` (None = every centre) and months
    first..last: the training columns of build() split by the batches' kejuruan, with the same
    months (monitoring start to the current month)."""
    now = now or clock.now()
    last = min(last, current_month(now))
    months = _months(max(first, facts_start()), last)
    if not months:
        return []
    first_day, last_day = months[0], month_bounds(months[-1])[1]

    def scoped(qs, field="centre_id"):
        return qs if centre_ids is None else qs.filter(**{f"{field}__in": list(centre_ids)})

    rows: dict[tuple[int, dt.date, int], dict] = defaultdict(lambda: dict.fromkeys(TRAINING_FIELDS, 0))
    for cid, kid, *values in _batches(scoped, first_day, last_day).iterator(chunk_size=5000):
        _fold_batch(rows, lambda m, cid=cid, kid=kid: (cid, m, kid), *values, months)
    if not rows:
        return []
    centres = {
        c[0]: dict(zip(CENTRE_FIELDS, c[1:], strict=True))
        for c in Centre.objects.filter(pk__in={key[0] for key in rows}).values_list(
            "pk", "province_id", "regency_id", "cohort_year", "kemandirian_class", "is_incubator"
        )
    }
    return [
        {**values, **centres[cid], "centre_id": cid, "month": month, "kejuruan_id": kid, "refreshed_at": now}
        for (cid, month, kid), values in sorted(rows.items())
    ]


def _add_tenants(rows, scoped, first_day, last_day, months):
    """Tenants per month with incubator.indicators' definitions, evaluated at each month's last day."""
    tenants = list(
        scoped(Tenant.objects.filter(entry_date__lte=last_day)).values_list(
            "pk", "centre_id", "entry_date", "stage", "baseline_workers", "baseline_omzet"
        )
    )
    sessions = (
        scoped(MentoringSession.objects.filter(held_on__gte=first_day, held_on__lte=last_day), "tenant__centre_id")
        .annotate(m=TruncMonth("held_on"))
        .order_by()
        .values_list("tenant__centre_id", "m")
        .annotate(n=Count("pk"))
    )
    for cid, month, n in sessions:
        month = month.date() if isinstance(month, dt.datetime) else month
        rows[(cid, month)]["mentoring_sessions"] += n
    if not tenants:
        return
    changes = defaultdict(list)
    for tid, changed_on, to_stage in (
        scoped(StageChange.objects.filter(changed_on__lte=last_day), "tenant__centre_id")
        .order_by("tenant_id", "changed_on", "pk")
        .values_list("tenant_id", "changed_on", "to_stage")
    ):
        changes[tid].append((changed_on, to_stage))
    progress = defaultdict(list)
    for tid, month, workers, omzet in (
        scoped(TenantProgress.objects.filter(month__lte=months[-1]), "tenant__centre_id")
        .order_by("tenant_id", "month")
        .values_list("tenant_id", "month", "workers", "omzet")
        .iterator(chunk_size=5000)
    ):
        progress[tid].append((month, workers, omzet))
    active_stages, incubating = frozenset(ACTIVE_STAGES), frozenset(IN_INCUBATION_STAGES)
    month_ends = [month_bounds(m)[1] for m in months]
    for tid, cid, entry, current_stage, base_workers, base_omzet in tenants:
        history = changes.get(tid)
        dates = [c[0] for c in history] if history else []
        reports = progress.get(tid, [])
        report_months = [p[0] for p in reports]
        for month, month_end in zip(months, month_ends, strict=True):
            if entry > month_end:
                continue
            if history:
                i = bisect_right(dates, month_end)
                stage = history[i - 1][1] if i else None
            else:
                stage = current_stage  # no recorded history: the current stage since entry
            if stage is None:
                continue
            row = rows[(cid, month)]
            if stage in incubating:
                row["tenants_in_incubation"] += 1
            if stage not in active_stages:
                continue
            row["tenants_active"] += 1
            j = bisect_right(report_months, month)
            if j:
                _, workers, omzet = reports[j - 1]
                row["tenants_reporting"] += 1
                row["tenant_workers"] += workers
                row["tenant_baseline_workers"] += base_workers
                row["tenant_omzet"] += omzet
                row["tenant_baseline_omzet"] += base_omzet


# --- Version (for caches of pages built from facts) ------------------------------------------------

VERSION_KEY = "monitoring:facts-version"


def _new_version() -> str:
    """time@position: with a read replica, the primary's WAL position when the version was made
    (blkportal.core.dbrouting): a page cached under this version may be built from the replica only
    once the replica has replayed the facts up to there."""
    lsn = dbrouting.primary_lsn()
    return f"{time.time_ns()}@{lsn}" if lsn else str(time.time_ns())


def version() -> str:
    """A token that changes whenever facts are written; dashboards cache by it."""
    from django.core.cache import cache

    value = cache.get(VERSION_KEY)
    if value is None:
        value = _new_version()
        cache.add(VERSION_KEY, value, None)
        value = cache.get(VERSION_KEY, value)
    return str(value)


def version_lsn(value: str) -> str | None:
    """The primary's WAL position a page built under this facts version must see (None: any)."""
    return value.partition("@")[2] or None


def bump_version() -> None:
    """Invalidate every cached page built from facts: now (for the writing connection) and again on
    commit (so a page rendered by another request in between from the old rows is not kept). Both
    carry the WAL position: should this transaction roll back, the first one stays, and a version
    without a position would let a page be cached from a replica behind the last commit."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, _new_version(), None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, _new_version(), None))


# --- Writing ---------------------------------------------------------------------------------------

BATCH_SIZE = 2000
# Above this many rows PostgreSQL gets them through COPY: bulk_create spends most of a national
# rebuild (≈120,000 rows × 46 columns) preparing parameters in Python.
COPY_THRESHOLD = 5000
COLUMNS = ["centre_id", "month", *VALUE_FIELDS, "refreshed_at"]
KEJURUAN_COLUMNS = ["centre_id", "month", "kejuruan_id", *KEJURUAN_VALUE_FIELDS, "refreshed_at"]


def _write(rows: list[dict], model=CentreMonth, columns=COLUMNS) -> None:
    if connection.vendor == "postgresql" and len(rows) > COPY_THRESHOLD:
        meta = model._meta
        names = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in columns)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
        values = operator.itemgetter(*columns)  # the row's values as a tuple, in the columns' order
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(values(row))
    else:
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)


def _write_kejuruan(rows: list[dict]) -> None:
    _write(rows, CentreMonthKejuruan, KEJURUAN_COLUMNS)


@transaction.atomic
def replace(*, centre_ids=None, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> int:
    """Rebuild the facts of `centre_ids` (None = all) for months first..last; returns rows written."""
    rows = build(centre_ids=centre_ids, first=first, last=last, now=now)
    for model in (CentreMonth, CentreMonthKejuruan):
        existing = model.objects.filter(month__gte=first, month__lte=last)
        if centre_ids is not None:
            existing = existing.filter(centre_id__in=list(centre_ids))
        existing.delete()
    _write(rows)
    _write_kejuruan(build_kejuruan(centre_ids=centre_ids, first=first, last=last, now=now))
    bump_version()
    return len(rows)


@transaction.atomic
def open_month(now: dt.datetime | None = None) -> int:
    """Write the rows of the current month (and of the previous one, should a day have been missed)
    that do not exist yet: every centre expected to report, and every centre with activity carried
    into the new month (tenants). Run by beat every day just after midnight, so the month's expected
    rows exist from its first day; existing rows are left alone (changes refresh them). Returns the
    rows written."""
    bounds = full_range(now)
    if bounds is None:
        return 0
    last = bounds[1]
    first = max(bounds[0], add_months(last, -1))
    existing = set(CentreMonth.objects.filter(month__gte=first, month__lte=last).values_list("centre_id", "month"))
    missing = [
        row for row in build(first=first, last=last, now=now) if (row["centre_id"], row["month"]) not in existing
    ]
    if missing:
        # A refresh committing meanwhile wrote its row from the same data: keep that one.
        CentreMonth.objects.bulk_create(
            [CentreMonth(**row) for row in missing], batch_size=BATCH_SIZE, ignore_conflicts=True
        )
    # Batches running on into the new month: their kejuruan rows, likewise only the missing ones.
    have = set(
        CentreMonthKejuruan.objects.filter(month__gte=first, month__lte=last).values_list(
            "centre_id", "month", "kejuruan_id"
        )
    )
    missing_kejuruan = [
        row
        for row in build_kejuruan(first=first, last=last, now=now)
        if (row["centre_id"], row["month"], row["kejuruan_id"]) not in have
    ]
    if missing_kejuruan:
        CentreMonthKejuruan.objects.bulk_create(
            [CentreMonthKejuruan(**row) for row in missing_kejuruan], batch_size=BATCH_SIZE, ignore_conflicts=True
        )
    if missing or missing_kejuruan:
        bump_version()
    return len(missing)


@transaction.atomic
def rebuild_all(now: dt.datetime | None = None) -> int:
    """Every fact, from scratch, in one transaction (readers see the old rows until it commits)."""
    bounds = full_range(now)
    if connection.vendor == "postgresql":
        # Facts are derived: a crash just after commit loses nothing a re-run cannot rebuild, so the
        # commit need not wait for the WAL flush of ~120,000 rows.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    CentreMonth.objects.all().delete()
    CentreMonthKejuruan.objects.all().delete()
    if bounds is None:
        bump_version()
        return 0
    written = 0
    # A span of months at a time: each span's rows are built, written and dropped before the next,
    # so memory follows one span instead of every month since the monitoring start (1.4 GB for
    # 10,000 centres × 120 months in one piece). build() gives a month the same row whatever range
    # it is asked for; the incremental refreshes, which ask for a few months, rely on that too.
    for first, last in rebuild_spans(*bounds):
        rows = build(first=first, last=last, now=now)
        # Written month by month: a dashboard reads one month (or twelve) of every centre, so those
        # rows sit together on disk instead of one per page.
        rows.sort(key=lambda r: (r["month"], r["province_id"], r["centre_id"]))
        _write(rows)
        written += len(rows)
        del rows
        kejuruan_rows = build_kejuruan(first=first, last=last, now=now)
        kejuruan_rows.sort(key=lambda r: (r["month"], r["kejuruan_id"], r["centre_id"]))
        _write_kejuruan(kejuruan_rows)
        del kejuruan_rows
    bump_version()
    return written


REBUILD_SPAN_MONTHS = 12


def rebuild_spans(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """first..last (first days of months) cut into consecutive spans of at most REBUILD_SPAN_MONTHS."""
    size = REBUILD_SPAN_MONTHS
    spans = []
    while first <= last:
        end = min(add_months(first, size - 1), last)
        spans.append((first, end))
        first = add_months(end, 1)
    return spans


def vacuum() -> None:
    """Reclaim the rebuilt rows' old versions and refresh planner statistics (PostgreSQL, outside a
    transaction). Without it every rebuild leaves ~120,000 dead rows that dashboard queries wade
    through until autovacuum comes by."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (CentreMonth, CentreMonthKejuruan):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
