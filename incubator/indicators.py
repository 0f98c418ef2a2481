"""The incubator's indicators, defined once (every page, export and ranking takes them from here).

The monitoring app imports and re-exports these; the incubator's own pages use them too. Every
function takes a queryset of tenants that the caller has already restricted to a scope (through
``access``) and a reference date, and returns a ``Ratio`` with its numerator and denominator, so a
figure is never shown without what it was computed from.

Definitions:

- **stage at a date**: the ``to_stage`` of the tenant's last stage change on or before that date;
  a tenant exists from its entry date.
- **active tenants vs target**: tenants whose stage at the date is not *gugur* (graduates count:
  the aim is that each centre *produces* ten entrepreneurs) ÷ (10 × incubator centres).
- **centres meeting the target**: incubator centres with ≥ 10 active tenants ÷ incubator centres.
- **jobs created**: Σ (workers in the latest progress month up to the date − baseline workers) over
  active tenants that have progress; denominator = those tenants (so jobs per tenant = value).
- **omzet growth**: (Σ latest monthly omzet − Σ baseline monthly omzet) ÷ Σ baseline omzet over the
  same tenants.
- **12-month survival**: tenants who entered at least 12 months before the date and did not drop
  out (a change to *gugur*) within 12 months of their entry ÷ those tenants.
- **sessions per tenant per quarter**: mentoring sessions held in the quarter with tenants in
  incubation (pra-inkubasi, inkubasi, pasca-inkubasi) at the quarter's end ÷ those tenants.
- **stage progression**: tenants not dropped out at the date that moved forward at least one stage
  along pra-inkubasi → inkubasi → pasca-inkubasi → mandiri by the date ÷ tenants entered by the date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from blkportal.core.months import add_months, first_of_month, quarter_end, quarter_start, today

from .models import ACTIVE_STAGES, IN_INCUBATION_STAGES, STAGE_PATH, MentoringSession, Stage, TenantProgress
from .models import TenantStageChange as Change

TARGET_PER_CENTRE = 10


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator, with the two parts kept for display and export."""

    numerator: int | Decimal
    denominator: int | Decimal
    detail: dict = field(default_factory=dict, compare=False)

    @property
    def value(self) -> float | None:
        return None if not self.denominator else float(self.numerator) / float(self.denominator)

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else 100 * value  # unrounded: display rounds once


# --- Building blocks -------------------------------------------------------------------------------


def stage_at(as_of: dt.date):
    """Expression for a tenant's stage on `as_of` (None before entry).

    Stage changes are never dated in the future (services refuse it), so from today on the current
    stage is exact and needs no subquery."""
    if as_of >= today():
        return F("stage")
    last = Change.objects.filter(tenant=OuterRef("pk"), changed_on__lte=as_of).order_by("-changed_on", "-pk")
    # Most tenants have not changed stage since `as_of`: their current stage is the answer, and the
    # history subquery runs only for the others.
    return Case(
        When(stage_since__lte=as_of, then=F("stage")),
        default=Subquery(last.values("to_stage")[:1]),
        output_field=CharField(),
    )


def entered(tenants: QuerySet, as_of: dt.date) -> QuerySet:
    """Tenants that had entered by `as_of`, annotated with `stage_on` (their stage that day)."""
    return tenants.filter(entry_date__lte=as_of).annotate(stage_on=stage_at(as_of))


def active(tenants: QuerySet, as_of: dt.date) -> QuerySet:
    return entered(tenants, as_of).filter(stage_on__in=ACTIVE_STAGES)


def _latest_progress(field_name: str, as_of: dt.date):
    rows = TenantProgress.objects.filter(tenant=OuterRef("pk"), month__lte=first_of_month(as_of)).order_by("-month")
    return Subquery(rows.values(field_name)[:1])


def with_latest_progress(tenants: QuerySet, as_of: dt.date) -> QuerySet:
    """Active tenants with progress by `as_of`, annotated with `workers_now` and `omzet_now`."""
    return (
        active(tenants, as_of)
        .annotate(
            workers_now=_latest_progress("workers", as_of),
            omzet_now=_latest_progress("omzet", as_of),
        )
        .filter(workers_now__isnull=False)
    )


# --- Indicators ------------------------------------------------------------------------------------


def active_vs_target(*, tenants: QuerySet, centre_count: int, as_of: dt.date) -> Ratio:
    """Active tenants ÷ (10 × incubator centres)."""
    return Ratio(active(tenants, as_of).count(), TARGET_PER_CENTRE * centre_count)


def active_by_centre(*, tenants: QuerySet, as_of: dt.date) -> dict[int, int]:
    rows = active(tenants, as_of).order_by().values("centre_id").annotate(n=Count("pk")).values_list("centre_id", "n")
    return dict(rows)


def centres_meeting_target(*, centres: QuerySet, tenants: QuerySet, as_of: dt.date) -> Ratio:
    """Incubator centres with at least 10 active tenants ÷ incubator centres."""
    centre_ids = set(centres.values_list("pk", flat=True))
    counts = active_by_centre(tenants=tenants.filter(centre_id__in=centre_ids), as_of=as_of)
    meeting = sum(1 for pk in centre_ids if counts.get(pk, 0) >= TARGET_PER_CENTRE)
    return Ratio(meeting, len(centre_ids))


def _latest_totals(tenants: QuerySet, as_of: dt.date) -> dict:
    """One pass over active tenants with progress: Σ workers/omzet now and at entry, and how many."""
    # Aggregate aliases must differ from the annotations they sum, or Django sums the wrong thing.
    return with_latest_progress(tenants, as_of).aggregate(
        sum_workers_now=Coalesce(Sum("workers_now", output_field=IntegerField()), 0),
        sum_workers_base=Coalesce(Sum("baseline_workers"), 0),
        sum_omzet_now=Coalesce(
            Sum("omzet_now", output_field=DecimalField(max_digits=20, decimal_places=0)), Decimal(0)
        ),
        sum_omzet_base=Coalesce(Sum("baseline_omzet"), Decimal(0)),
        n=Count("pk"),
    )


def _jobs(t: dict) -> Ratio:
    now, base = t["sum_workers_now"], t["sum_workers_base"]
    return Ratio(now - base, t["n"], detail={"workers_now": now, "baseline": base})


def _growth(t: dict) -> Ratio:
    now, base = Decimal(t["sum_omzet_now"]), Decimal(t["sum_omzet_base"])
    return Ratio(now - base, base, detail={"omzet_now": now, "baseline": base, "tenants": t["n"]})


def jobs_created(*, tenants: QuerySet, as_of: dt.date) -> Ratio:
    """Σ(workers now − baseline workers) ÷ active tenants with progress (value = jobs per tenant)."""
    return _jobs(_latest_totals(tenants, as_of))


def omzet_growth(*, tenants: QuerySet, as_of: dt.date) -> Ratio:
    """(Σ latest monthly omzet − Σ baseline omzet) ÷ Σ baseline omzet, over active tenants with progress."""
    return _growth(_latest_totals(tenants, as_of))


def survival_12m(*, tenants: QuerySet, as_of: dt.date) -> Ratio:
    """Tenants entered ≥ 12 months before `as_of` that did not drop out within 12 months of entry."""
    cohort = tenants.filter(entry_date__lte=add_months(as_of, -12))
    size = cohort.count()
    dropped = set()
    rows = (
        Change.objects.filter(tenant__in=cohort.values("pk"), to_stage=Stage.GUGUR)
        .order_by()
        .values_list("tenant_id", "changed_on", "tenant__entry_date")
    )
    for tenant_id, changed_on, entry_date in rows:
        if changed_on < add_months(entry_date, 12):
            dropped.add(tenant_id)
    return Ratio(size - len(dropped), size)


def sessions_per_tenant_quarter(*, tenants: QuerySet, quarter: dt.date) -> Ratio:
    """Sessions in the quarter containing `quarter` ÷ tenants in incubation at its end."""
    start, end = quarter_start(quarter), quarter_end(quarter)
    in_incubation = entered(tenants, end).filter(stage_on__in=IN_INCUBATION_STAGES)
    sessions = MentoringSession.objects.filter(
        tenant__in=in_incubation.values("pk"), held_on__gte=start, held_on__lte=end
    ).count()
    return Ratio(sessions, in_incubation.count(), detail={"start": start, "end": end})


def _forward_moves() -> Q:
    cond = Q(pk__in=[])
    for i, source in enumerate(STAGE_PATH):
        cond |= Q(from_stage=source, to_stage__in=STAGE_PATH[i + 1 :])
    return cond


def stage_progression(*, tenants: QuerySet, as_of: dt.date) -> Ratio:
    """Tenants not dropped out that moved forward ≥ 1 stage by `as_of` ÷ tenants entered by `as_of`."""
    base = entered(tenants, as_of)
    forward = Change.objects.filter(_forward_moves(), tenant=OuterRef("pk"), changed_on__lte=as_of)
    progressed = base.filter(stage_on__in=ACTIVE_STAGES).filter(Exists(forward)).count()
    return Ratio(progressed, base.count())


def stage_counts(*, tenants: QuerySet, as_of: dt.date) -> dict[str, int]:
    """Tenants per stage on `as_of` (every stage present, zero when none)."""
    counts = Counter(
        dict(entered(tenants, as_of).order_by().values("stage_on").annotate(n=Count("pk")).values_list("stage_on", "n"))
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


def summary(*, tenants: QuerySet, centres: QuerySet, as_of: dt.date | None = None) -> dict:
    """Every incubator indicator for one scope (a centre, a province, the nation) on `as_of`."""
    as_of = as_of or today()
    centre_count = centres.count()
    totals = _latest_totals(tenants, as_of)
    return {
        "as_of": as_of,
        "centre_count": centre_count,
        "target": TARGET_PER_CENTRE * centre_count,
        "active": active_vs_target(tenants=tenants, centre_count=centre_count, as_of=as_of),
        "centres_meeting_target": centres_meeting_target(centres=centres, tenants=tenants, as_of=as_of),
        "jobs_created": _jobs(totals),
        "omzet_growth": _growth(totals),
        "survival_12m": survival_12m(tenants=tenants, as_of=as_of),
        "sessions_quarter": sessions_per_tenant_quarter(tenants=tenants, quarter=as_of),
        "sessions_last_quarter": sessions_per_tenant_quarter(
            tenants=tenants, quarter=add_months(quarter_start(as_of), -3)
        ),
        "stage_progression": stage_progression(tenants=tenants, as_of=as_of),
        "stages": stage_counts(tenants=tenants, as_of=as_of),
    }
