"""Computing rankings, set-based: a versioned, weighted composite of indicator components, each with
its numerator, denominator and weight; only verified/approved months count.

For one scheme version and one period (the last month of the window):

1. one SQL aggregation over the window's facts, grouped by centre, gives each flow component's
   numerator and denominator from verified/approved months only, with the verified and expected
   month counts of the minimum-data rule;
2. one more gives the stock components (alumni outcomes, kemandirian, tenants) from each centre's
   latest verified month in the window (stocks must not be summed over months);
3. Python turns them into values (monitoring.indicators), points (value × weight ÷ 100), scores
   (Σ points, 0-100) and ranks within peer groups (cohort year and/or main kejuruan), among the
   centres that meet the minimum-data rule. Ties share a rank (1, 2, 2, 4).

Everything an entry's score depends on is stored on it, so `reproduce` can recompute any snapshot's
scores and ranks from the snapshot alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from blkportal.core.months import add_months
from blkportal.registry.models import Centre, Kejuruan
from reporting.models import TrainingBatch

from . import indicators
from .models import CentreMonth, RankingEntry, RankingSchemeVersion

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def window(version: RankingSchemeVersion, period: dt.date) -> tuple[dt.date, dt.date]:
    return add_months(period, -(version.window_months - 1)), period


def _component_rows(version, period):
    first, last = window(version, period)
    facts = CentreMonth.objects.filter(month__gte=first, month__lte=last)
    components = list(version.components.all())
    flow = [c.indicator for c in components if not indicators.get(c.indicator).stock]
    stock = [c.indicator for c in components if indicators.get(c.indicator).stock]
    per_centre = {
        row["centre_id"]: row
        for row in indicators.aggregate(
            facts,
            group_by=["centre_id"],
            codes=flow,
            verified_only=True,
            extra={
                "verified_months": Count("pk", filter=Q(verified=True)),
                "expected_months": Count("pk", filter=Q(expected=True)),
                "pending_months": Count("pk", filter=Q(expected=True) & indicators.PENDING),
            },
        )
    }
    if stock:
        latest = (
            CentreMonth.objects.filter(
                centre_id=OuterRef("centre_id"), verified=True, month__gte=first, month__lte=last
            )
            .order_by("-month")
            .values("month")[:1]
        )
        for row in indicators.aggregate(
            facts.filter(verified=True, month=Subquery(latest)), group_by=["centre_id"], codes=stock, verified_only=True
        ):
            per_centre.setdefault(row["centre_id"], {}).update({k: v for k, v in row.items() if k != "centre_id"})
    return components, per_centre


def main_kejuruan(centre_ids, first, last) -> dict[int, int]:
    """Each centre's main kejuruan: most batches started in the window, else its first registered one."""
    counts = defaultdict(dict)
    for cid, kid, n in (
        TrainingBatch.objects.filter(start_date__gte=first, start_date__lte=last)
        .order_by()
        .values_list("centre_id", "kejuruan_id")
        .annotate(n=Count("pk"))
    ):
        counts[cid][kid] = n
    registered = {}
    for cid, kid in Centre.kejuruan.through.objects.order_by("kejuruan_id").values_list("centre_id", "kejuruan_id"):
        registered.setdefault(cid, kid)
    result = {}
    for cid in centre_ids:
        if counts.get(cid):
            result[cid] = min(counts[cid].items(), key=lambda item: (-item[1], item[0]))[0]
        elif cid in registered:
            result[cid] = registered[cid]
    return result


NO_DATA = "no_data"
PENDING = "pending"


def score_components(components, row) -> tuple[list[dict], Decimal]:
    """[{indicator, label, numerator, denominator, value, weight, points, status}], score.

    A component without data (denominator 0) gets no points and is not held against the centre: the
    score is Σ value × weight over the components with data ÷ Σ their weights (RULE_RANKING). Its
    status is "pending" when the centre has months awaiting verification in the window, else
    "no_data"; months awaiting verification are left out of every component."""
    figures = []
    for comp in components:
        ind = indicators.get(comp.indicator)
        figures.append((comp, ind.figure(row.get(f"{comp.indicator}__num"), row.get(f"{comp.indicator}__den"))))
    counted = sum((Decimal(c.weight) for c, f in figures if f.value is not None), Decimal(0))
    pending = row.get("pending_months") or 0
    parts, score = [], Decimal(0)
    for comp, fig in figures:
        weight = Decimal(comp.weight)
        if fig.value is None or not counted:
            points = Decimal(0)
        else:
            points = (fig.value * weight / counted).quantize(TWO, ROUND_HALF_UP)
        score += points
        status = "ok" if fig.value is not None else (PENDING if pending else NO_DATA)
        parts.append(
            {
                **fig.as_dict(),
                "weight": float(weight),
                "points": float(points),
                "status": status,
                "pending_months": pending,
            }
        )
    return parts, score.quantize(TWO, ROUND_HALF_UP)


def assign_ranks(entries) -> None:
    """Rank eligible entries within each peer group by score (ties share a rank); set peer_size, the
    number of ranked centres in the group, on every entry of the group (unranked ones too)."""
    groups = defaultdict(list)
    for entry in entries:
        entry.rank = None
        if entry.eligible:
            groups[entry.peer_group].append(entry)
    for entry in entries:
        entry.peer_size = len(groups.get(entry.peer_group, ()))
    for members in groups.values():
        members.sort(key=lambda e: -e.score)
        previous, rank = None, 0
        for position, entry in enumerate(members, start=1):
            if entry.score != previous:
                rank, previous = position, entry.score
            entry.rank = rank


def peer_label(version, cohort_year, kejuruan_name) -> str:
    parts = []
    if version.peer_by_cohort:
        parts.append(_("Angkatan %(year)s") % {"year": cohort_year})
    if version.peer_by_kejuruan:
        parts.append(kejuruan_name or _("Tanpa kejuruan"))
    return " · ".join(parts) or _("Nasional")


def compute_entries(version: RankingSchemeVersion, period: dt.date) -> list[RankingEntry]:
    """Unsaved entries (snapshot not set) for every centre expected to report in the window."""
    components, per_centre = _component_rows(version, period)
    centre_ids = [cid for cid, row in per_centre.items() if row.get("expected_months")]
    info = {
        row[0]: row[1:]
        for row in Centre.objects.filter(pk__in=centre_ids).values_list("pk", "province_id", "cohort_year")
    }
    main = main_kejuruan(centre_ids, *window(version, period)) if version.peer_by_kejuruan else {}
    names = dict(Kejuruan.objects.values_list("pk", "name")) if version.peer_by_kejuruan else {}
    entries = []
    for cid in centre_ids:
        row = per_centre[cid]
        province_id, cohort_year = info[cid]
        parts, score = score_components(components, row)
        kejuruan_id = main.get(cid)
        entries.append(
            RankingEntry(
                centre_id=cid,
                province_id=province_id,
                cohort_year=cohort_year,
                kejuruan_id=kejuruan_id if version.peer_by_kejuruan else None,
                peer_group=peer_label(version, cohort_year, names.get(kejuruan_id)),
                verified_months=row.get("verified_months") or 0,
                expected_months=row.get("expected_months") or 0,
                pending_months=row.get("pending_months") or 0,
                missing_components=sum(1 for p in parts if p["value"] is None),
                eligible=(row.get("verified_months") or 0) >= version.min_verified_months,
                score=score,
                components=parts,
            )
        )
    assign_ranks(entries)
    return entries


def reproduce(snapshot) -> list[tuple[int, Decimal, int | None]]:
    """(centre_id, score, rank) recomputed from the snapshot's stored inputs and its version's weights
    alone: proof that a frozen ranking can be reproduced without the facts it was computed from."""
    components = list(snapshot.version.components.all())
    entries = list(snapshot.entries.all())
    for entry in entries:
        stored = {c["indicator"]: c for c in entry.components}
        row = {}
        for comp in components:
            part = stored.get(comp.indicator, {})
            # Stored numerators/denominators already include the indicator's factor.
            ind = indicators.get(comp.indicator)
            row[f"{comp.indicator}__num"] = _undo_factor(part.get("numerator"), ind.numerator.factor)
            row[f"{comp.indicator}__den"] = _undo_factor(part.get("denominator"), ind.denominator.factor)
        _, entry.score = score_components(components, row)
        entry.eligible = entry.verified_months >= snapshot.version.min_verified_months
    assign_ranks(entries)
    return sorted((e.centre_id, e.score, e.rank) for e in entries)


def _undo_factor(value, factor):
    if value is None:
        return None
    value = Decimal(str(value))
    return value / factor if factor != 1 else value
