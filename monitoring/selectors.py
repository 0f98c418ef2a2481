"""Reads of monitoring: dashboards and rankings. Every query starts from the user's scope (access).

Dashboards aggregate facts in SQL with the indicator definitions (monitoring.indicators); each page
runs a fixed number of queries whatever the number of centres or months.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from blkportal.core import months as clock
from blkportal.core.months import add_months, deadline_date, first_of_month
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre, Province, Regency

from . import indicators
from .indicators import DASHBOARD, TRAINING
from .models import CentreMonth, CentreMonthKejuruan, RankingEntry, RankingScheme, RankingSchemeVersion, RankingSnapshot

TREND_MONTHS = 12
HISTORY_MONTHS = 24
HISTORY_FIELDS = [
    "state",
    "expected",
    "reported",
    "on_time",
    "verified",
    "first_submitted_at",
    "batches_active",
    "trainees_active",
    "trainees_new",
    "graduated",
    "tenants_active",
    "kemandirian_points",
    "own_income",
]


# --- Scope -----------------------------------------------------------------------------------------


def scope_q(scope: access.Scope) -> Q:
    """The scope as a filter on fact-like rows that carry centre_id and province_id themselves."""
    if scope.national:
        return Q()
    if scope.empty:
        return Q(pk__in=[])
    cond = Q(pk__in=[])
    if scope.province_codes:
        cond |= Q(province_id__in=sorted(scope.province_codes))
    if scope.centre_ids:
        cond |= Q(centre_id__in=sorted(scope.centre_ids))
    return cond


def facts_for(user, perm: str = Perm.VIEW_DASHBOARD) -> QuerySet[CentreMonth]:
    return CentreMonth.objects.filter(scope_q(access.scope_for(user, perm)))


def kejuruan_facts_for(user, perm: str = Perm.VIEW_DASHBOARD) -> QuerySet[CentreMonthKejuruan]:
    """Training facts per (centre, month, batch kejuruan) in the user's scope."""
    return CentreMonthKejuruan.objects.filter(scope_q(access.scope_for(user, perm)))


def province_or_404(user, code: str) -> Province:
    """A province the user may look at as a whole (national users, reviewers and FKN of it)."""
    scope = access.require(user, Perm.VIEW_DASHBOARD)
    if not (scope.national or code in scope.province_codes):
        raise Http404
    try:
        return Province.objects.get(code=code)
    except Province.DoesNotExist:
        raise Http404 from None


def regency_or_404(user, code: str) -> Regency:
    scope = access.require(user, Perm.VIEW_DASHBOARD)
    regency = Regency.objects.select_related("province").filter(code=code).first()
    if regency is None or not (scope.national or regency.province_id in scope.province_codes):
        raise Http404
    return regency


def single_centre(user) -> int | None:
    """The centre id when the user's whole dashboard scope is one centre (a manager)."""
    return single_centre_for(user, Perm.VIEW_DASHBOARD)


def single_centre_for(user, perm: str) -> int | None:
    scope = access.scope_for(user, perm)
    if not scope.national and not scope.province_codes and len(scope.centre_ids) == 1:
        return next(iter(scope.centre_ids))
    return None


def cache_seconds() -> int:
    """How long a rendered body is kept: settings.MONITORING_DASHBOARD_CACHE_SECONDS, else 600 with
    a cache shared by all processes (Redis) and 0 with a per-process one (LocMem), where a fact
    written by one process could not invalidate what another process cached."""
    configured = settings.MONITORING_DASHBOARD_CACHE_SECONDS
    if configured is not None:
        return int(configured)
    backend = settings.CACHES["default"]["BACKEND"]
    return 0 if backend.endswith(("LocMemCache", "DummyCache")) else 600


# --- Months ----------------------------------------------------------------------------------------


def latest_closed_month(today: dt.date | None = None) -> dt.date:
    """The latest month whose reporting deadline (WIB) has passed: the default of every dashboard."""
    today = today or clock.today()
    last = add_months(first_of_month(today), -1)
    return last if today > deadline_date(last) else add_months(last, -1)


def months_back(month: dt.date, count: int) -> list[dt.date]:
    return [add_months(month, -i) for i in range(count - 1, -1, -1)]


# --- Aggregations ----------------------------------------------------------------------------------


def _with_figures(rows, codes=DASHBOARD):
    for row in rows:
        row["figures"] = indicators.evaluate(row, codes)
    return rows


def total_of(rows, codes=DASHBOARD) -> dict:
    """Numerators and denominators are sums and counts, so the total of groups is their sum."""
    total = {}
    for row in rows:
        for code in codes:
            for part in ("num", "den"):
                key = f"{code}__{part}"
                total[key] = (total.get(key) or 0) + (row.get(key) or 0)
    for key in ("centres", "expected"):
        total[key] = sum(row.get(key) or 0 for row in rows)
    total["figures"] = indicators.evaluate(total, codes)
    return total


def _counts():
    return {"centres": Count("centre_id", distinct=True), "expected": Count("pk", filter=Q(expected=True))}


def _by_batch_kejuruan(rows, training, key: str) -> None:
    """Replace the training indicators' parts of `rows` by those of the per-kejuruan facts
    `training` (already filtered to one batch kejuruan), grouped by `key`: one more query."""
    if training is None:
        return
    found = {row[key]: row for row in indicators.aggregate(training, group_by=[key], codes=TRAINING)}
    for row in rows:
        other = found.get(row[key], {})
        for code in TRAINING:
            for part in ("num", "den"):
                row[f"{code}__{part}"] = other.get(f"{code}__{part}")


def breakdown(
    qs: QuerySet[CentreMonth], month: dt.date, by: str, name_field: str, training=None
) -> tuple[list[dict], dict]:
    """Rows per `by` (province_id, regency_id) for one month, with names, and their total. With
    `training` (per-kejuruan facts of one batch kejuruan), the training figures are those batches'."""
    rows = indicators.aggregate(qs.filter(month=month), group_by=[by, name_field], extra=_counts())
    _by_batch_kejuruan(rows, None if training is None else training.filter(month=month), by)
    rows.sort(key=lambda r: r[name_field] or "")
    _with_figures(rows)
    return rows, total_of(rows)


def trend(qs: QuerySet[CentreMonth], month: dt.date, count: int = TREND_MONTHS, training=None) -> list[dict]:
    """One row per month of the `count` months ending `month` (months without facts included); with
    `training`, the training figures of one batch kejuruan (see breakdown)."""
    months = months_back(month, count)
    found = {
        row["month"]: row
        for row in indicators.aggregate(
            qs.filter(month__gte=months[0], month__lte=months[-1]), group_by=["month"], extra=_counts()
        )
    }
    rows = [found.get(m, {"month": m}) for m in months]
    _by_batch_kejuruan(
        rows, None if training is None else training.filter(month__gte=months[0], month__lte=months[-1]), "month"
    )
    return _with_figures(rows)


def chart_series(rows, codes) -> dict:
    """JSON-ready trend data for Chart.js: labels and, per indicator, values with num/den for tooltips."""
    from django.utils.formats import date_format

    return {
        "labels": [date_format(r["month"], "M Y") for r in rows],
        "months": [r["month"].strftime("%Y-%m") for r in rows],
        "series": [
            {
                "code": code,
                "label": str(indicators.get(code).label),
                "values": [None if r["figures"][code].value is None else float(r["figures"][code].value) for r in rows],
                "num": [indicators._json_number(r["figures"][code].numerator) for r in rows],
                "den": [indicators._json_number(r["figures"][code].denominator) for r in rows],
            }
            for code in codes
        ],
    }


def centre_rows(qs: QuerySet[CentreMonth], month: dt.date, batch_kejuruan=None) -> QuerySet[CentreMonth]:
    """The month's facts of each centre (for a paginated centre table). `shown_batches` and
    `shown_graduated` are the centre's batches running and graduates, or, with `batch_kejuruan`,
    those of the batches of that kejuruan."""
    if batch_kejuruan is None:
        shown = {"shown_batches": F("batches_active"), "shown_graduated": F("graduated")}
    else:
        kej = CentreMonthKejuruan.objects.filter(
            centre_id=OuterRef("centre_id"), month=OuterRef("month"), kejuruan=batch_kejuruan
        )
        shown = {
            "shown_batches": Coalesce(Subquery(kej.values("batches_active")[:1]), 0),
            "shown_graduated": Coalesce(Subquery(kej.values("graduated")[:1]), 0),
        }
    return (
        qs.filter(month=month)
        .annotate(**shown)
        .select_related("centre", "regency")
        .only(
            *[f.name for f in CentreMonth._meta.concrete_fields if f.name not in ("centre", "regency")],
            "centre__name",
            "centre__reg_code",
            "regency__name",
        )
        .order_by("centre__name", "centre_id")
    )


def centre_history(centre: Centre, month: dt.date, count: int = HISTORY_MONTHS) -> list[dict]:
    """A centre's facts for the `count` months ending `month`, newest first, with figures."""
    months = months_back(month, count)
    rows = {
        row["month"]: row
        for row in indicators.aggregate(
            CentreMonth.objects.filter(centre=centre, month__gte=months[0], month__lte=months[-1]),
            # One fact per centre-month: grouping by its columns returns them as they are.
            group_by=["month", *HISTORY_FIELDS],
        )
    }
    result = [rows.get(m, {"month": m, "missing": True}) for m in months]
    _with_figures(result)
    return result


# --- Rankings --------------------------------------------------------------------------------------


def active_schemes() -> QuerySet[RankingScheme]:
    """The ranking page's scheme tabs (its versions come with its snapshots)."""
    return RankingScheme.objects.filter(is_active=True).order_by("-is_default", "name")


def schemes() -> QuerySet[RankingScheme]:
    return RankingScheme.objects.prefetch_related("versions").order_by("-is_default", "name")


def scheme_or_404(pk) -> RankingScheme:
    try:
        return RankingScheme.objects.get(pk=int(pk))
    except (RankingScheme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def version_or_404(pk) -> RankingSchemeVersion:
    try:
        return (
            RankingSchemeVersion.objects.select_related("scheme", "created_by")
            .prefetch_related("components")
            .get(pk=int(pk))
        )
    except (RankingSchemeVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def latest_version(scheme: RankingScheme) -> RankingSchemeVersion | None:
    return scheme.versions.order_by("-number").first()


def snapshots_for(scheme: RankingScheme) -> QuerySet[RankingSnapshot]:
    return (
        RankingSnapshot.objects.filter(version__scheme=scheme)
        .select_related("version")
        .order_by("-period", "-version__number", "-frozen")
    )


def _ranking_filtered(user, snapshot: RankingSnapshot, params: dict) -> QuerySet[RankingEntry]:
    scope = access.scope_for(user, Perm.VIEW_RANKINGS)
    return ranking_filter(RankingEntry.objects.filter(snapshot=snapshot).filter(scope_q(scope)), params)


def ranking_filter(qs: QuerySet[RankingEntry], params: dict) -> QuerySet[RankingEntry]:
    """The ranking page's filters on entries already in scope: the page's cleaned values (a Province,
    a Kejuruan) or their ids, as an export job of the ranking page keeps them."""
    if params.get("province"):
        qs = qs.filter(province=params["province"])
    if params.get("cohort_year"):
        qs = qs.filter(cohort_year=params["cohort_year"])
    if params.get("kejuruan"):
        through = Centre.kejuruan.through.objects.filter(kejuruan=params["kejuruan"]).values("centre_id")
        qs = qs.filter(centre_id__in=through)
    if params.get("peer_group"):
        qs = qs.filter(peer_group=params["peer_group"])
    if params.get("q"):
        qs = qs.filter(Q(centre__name__icontains=params["q"]) | Q(centre__reg_code__icontains=params["q"]))
    if params.get("ranked_only"):
        qs = qs.filter(rank__isnull=False)
    return qs


def ranking_peer_counts(snapshot: RankingSnapshot) -> dict[str, int]:
    """Ranked centres per peer group of the snapshot (national: ranks are given in national groups).
    A group where no centre met the minimum-data rule counts 0.

    Counted, not read from RankingEntry.peer_size: frozen snapshots computed before peer_size was set
    on unranked entries hold 0 there, and a frozen snapshot is never recomputed. A count per group,
    no centre's data, so it is not restricted to the reader's scope (the rank it qualifies is the
    national rank the ranking page shows too)."""
    rows = (
        RankingEntry.objects.filter(snapshot=snapshot)
        .order_by()
        .values("peer_group")
        .annotate(n=Count("pk", filter=Q(rank__isnull=False)))
        .values_list("peer_group", "n")
    )
    return dict(rows)


def _ranking_order(qs: QuerySet[RankingEntry]) -> QuerySet[RankingEntry]:
    # Unranked centres (below the minimum-data rule) last, on every database.
    return qs.order_by("peer_group", F("rank").asc(nulls_last=True), "-score", "centre__name", "pk")


def ranking_entries(user, snapshot: RankingSnapshot, params: dict) -> QuerySet[RankingEntry]:
    """The snapshot's entries the user may see (a manager: their own centre), filtered, whole rows
    with their breakdown (the API)."""
    return _ranking_order(_ranking_filtered(user, snapshot, params).select_related("centre", "province", "kejuruan"))


# What a row of the ranking page shows: no breakdown (JSON), no kejuruan, two columns of the centre.
RANKING_ROW_FIELDS = [
    "centre_id",
    "peer_group",
    "peer_size",
    "verified_months",
    "expected_months",
    "pending_months",
    "missing_components",
    "score",
    "rank",
]


def ranking_rows(user, snapshot: RankingSnapshot, params: dict) -> QuerySet[RankingEntry]:
    """The same entries and order as `ranking_entries`, as dicts of the ranking page's columns only."""
    qs = _ranking_order(_ranking_filtered(user, snapshot, params))
    return qs.values(
        *RANKING_ROW_FIELDS,
        centre_name=F("centre__name"),
        centre_reg_code=F("centre__reg_code"),
        province_name=F("province__name"),
    )


# Filters on columns copied into the entries when the snapshot was computed: the number of entries
# they match never changes for a snapshot. A kejuruan filter (centres' current registrations) and a
# name search (current names) read registry data that may change, so their counts are not kept.
FROZEN_COUNT_FILTERS = ("province", "cohort_year", "peer_group", "ranked_only")


def ranking_count(user, snapshot: RankingSnapshot, params: dict) -> int:
    """How many entries `ranking_rows` returns: stored on the snapshot for the whole ranking, else
    counted once per snapshot, scope and filters.

    A snapshot's entries are written once with it and never change (a live one is recomputed as a new
    snapshot), so the count is kept in the cache without expiry, keyed by the snapshot's id and
    computation time (ids can be reused after a rollback or restore; the time makes the key unique)."""
    scope = access.scope_for(user, Perm.VIEW_RANKINGS)
    filters = {key for key in (*FROZEN_COUNT_FILTERS, "q", "kejuruan") if params.get(key)}
    if scope.national and filters <= {"ranked_only"}:
        # Stored on the snapshot when it was computed (and shown in the page's header).
        return snapshot.ranked_count if filters else snapshot.entry_count
    qs = _ranking_filtered(user, snapshot, params)
    if filters & {"q", "kejuruan"}:
        return qs.count()
    parts = [
        "national" if scope.national else "",
        ",".join(sorted(scope.province_codes)),
        ",".join(str(pk) for pk in sorted(scope.centre_ids)),
        *(f"{key}={getattr(params[key], 'pk', params[key])}" for key in FROZEN_COUNT_FILTERS if params.get(key)),
    ]
    digest = hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()
    key = f"monitoring:ranking-count:{snapshot.pk}:{snapshot.computed_at.timestamp()}:{digest}"
    count = cache.get(key)
    if count is None:
        count = qs.count()
        cache.set(key, count, None)
    return count


def ranking_entry_or_404(user, snapshot: RankingSnapshot, centre_id) -> RankingEntry:
    try:
        return (
            RankingEntry.objects.filter(snapshot=snapshot)
            .filter(scope_q(access.scope_for(user, Perm.VIEW_RANKINGS)))
            .select_related("centre", "province", "kejuruan", "centre__regency")
            .get(centre_id=int(centre_id))
        )
    except (RankingEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def snapshot_or_404(pk) -> RankingSnapshot:
    try:
        return RankingSnapshot.objects.select_related("version", "version__scheme").get(pk=int(pk))
    except (RankingSnapshot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Public figures --------------------------------------------------------------------------------


def public_figures(month: dt.date | None = None) -> tuple[list[dict], dict]:
    """National aggregates for the public showcase, per province, from the facts of the latest closed
    month: centres, trainees in running batches, graduates and alumni in work (sums over the 12
    months ending that month: batches that ended / alumni reported), active tenants at month end."""
    from django.db.models import Sum

    month = month or latest_closed_month()
    first = add_months(month, -11)
    rows = list(
        CentreMonth.objects.filter(month__gte=first, month__lte=month)
        .values("province_id", "province__name")
        .annotate(
            centres=Count("centre_id", distinct=True, filter=Q(month=month)),
            trainees=Sum("trainees_active", filter=Q(month=month), default=0),
            graduates=Sum("graduated", default=0),
            placed=Sum("alumni_bekerja", default=0),
            tenants=Sum("tenants_active", filter=Q(month=month), default=0),
        )
        .order_by("province_id")
    )
    keys = ("centres", "trainees", "graduates", "placed", "tenants")
    total = {k: sum(r[k] or 0 for r in rows) for k in keys}
    total["month"] = month
    return rows, total
