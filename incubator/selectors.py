"""Reads for the incubator. Every query starts from ``access``; out of scope is a 404."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from blkportal.core.forms import compact
from blkportal.core.months import month_label, today
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre

from . import indicators
from .filters import TenantFilter
from .models import Bantuan, MentoringSession, Stage, Tenant, TenantProgress, TenantStageChange


def tenants_for(user, perm: str = Perm.VIEW_TENANTS) -> QuerySet[Tenant]:
    """All tenants `user` may see (or act on) for `perm`."""
    return access.filter_by_scope(Tenant.objects.all(), user, perm, centre_field="centre")


def tenant_list(*, user, params=None) -> tuple[TenantFilter, QuerySet[Tenant]]:
    """Tenants in scope filtered by `params` (centre, province, stage, sector, cohort, search)."""
    base = tenants_for(user).select_related("centre", "centre__province")
    filterset = TenantFilter(params if params is not None else {}, queryset=base, user=user)
    compact(filterset.form)
    qs = filterset.qs if filterset.is_valid() else base.none()
    if not (params or {}).get("ordering"):
        qs = qs.order_by("business_name", "pk")
    return filterset, qs


def tenant_get(*, user, pk, perm: str = Perm.VIEW_TENANTS) -> Tenant:
    qs = Tenant.objects.select_related("centre", "centre__province", "centre__regency", "kejuruan")
    return access.get_object_or_404(qs, user, perm, centre_field="centre", pk=pk)


def incubator_centres(*, user) -> QuerySet[Centre]:
    """Incubator centres the user may see tenants of."""
    return access.centres_for(user, Perm.VIEW_TENANTS).filter(is_incubator=True)


def centre_get(*, user, pk, perm: str = Perm.VIEW_TENANTS) -> Centre:
    """A centre in scope that is (or was, and still has tenants) an incubator; else 404."""
    centre = access.get_centre_or_404(user, perm, pk)
    if not centre.is_incubator and not centre.tenants.exists():
        raise Http404
    return centre


def tenant_timeline(*, tenant: Tenant) -> list[dict]:
    """Stage changes, aid and mentoring sessions as one list, newest first."""
    events = []
    for change in TenantStageChange.objects.filter(tenant=tenant).select_related("by"):
        events.append(
            {
                "date": change.changed_on,
                "kind": "stage",
                "title": (
                    _("Tahap: %(from)s → %(to)s")
                    % {"from": Stage(change.from_stage).label, "to": Stage(change.to_stage).label}
                    if change.from_stage
                    else _("Masuk inkubator pada tahap %(to)s") % {"to": Stage(change.to_stage).label}
                ),
                "detail": change.reason if change.from_stage else "",
                "by": change.by.display_name if change.by else "",
                "order": (change.changed_on, 0, change.pk),
            }
        )
    for aid in Bantuan.objects.filter(tenant=tenant):
        events.append(
            {
                "date": aid.received_on,
                "kind": "bantuan",
                "title": _("Bantuan %(kind)s") % {"kind": aid.get_kind_display()},
                "amount": aid.amount,
                "detail": " · ".join(x for x in (aid.source, aid.notes) if x),
                "order": (aid.received_on, 1, aid.pk),
            }
        )
    for session in MentoringSession.objects.filter(tenant=tenant):
        events.append(
            {
                "date": session.held_on,
                "kind": "sesi",
                "title": _("Pendampingan: %(topic)s") % {"topic": session.topic},
                "detail": session.notes,
                "by": session.mentor_name,
                "minutes": session.duration_minutes,
                "order": (session.held_on, 2, session.pk),
            }
        )
    events.sort(key=lambda e: e["order"], reverse=True)
    return events


def tenant_progress(*, tenant: Tenant) -> QuerySet[TenantProgress]:
    return TenantProgress.objects.filter(tenant=tenant).select_related("recorded_by").order_by("-month")


def tenant_chart(*, tenant: Tenant) -> dict:
    """Series for the omzet/workers chart: one point per recorded month, oldest first, plus baseline."""
    rows = list(TenantProgress.objects.filter(tenant=tenant).order_by("month").values_list("month", "omzet", "workers"))
    return {
        "labels": [month.strftime("%Y-%m") for month, _o, _w in rows],
        "omzet": [int(omzet) for _m, omzet, _w in rows],
        "workers": [workers for _m, _o, workers in rows],
        "baseline_omzet": int(tenant.baseline_omzet),
        "baseline_workers": tenant.baseline_workers,
        "labels_omzet": _("Omzet (Rp)"),
        "labels_workers": _("Tenaga kerja"),
        "labels_baseline": _("awal"),
    }


def centre_summary(*, centre: Centre, as_of: dt.date | None = None) -> dict:
    """The incubator indicators of one centre, and its tenants with their latest month."""
    tenants = Tenant.objects.filter(centre=centre)
    return _with_stage_rows(
        indicators.summary(tenants=tenants, centres=Centre.objects.filter(pk=centre.pk), as_of=as_of)
    )


def _with_stage_rows(summary: dict) -> dict:
    summary["stage_rows"] = [((value, label), summary["stages"][value]) for value, label in Stage.choices]
    return summary


def centre_tenants(*, centre: Centre) -> QuerySet[Tenant]:
    """A centre's tenants with their latest recorded month (for the summary table)."""
    latest = TenantProgress.objects.filter(tenant=OuterRef("pk")).order_by("-month")
    return (
        Tenant.objects.filter(centre=centre)
        .annotate(
            last_month=Subquery(latest.values("month")[:1]),
            last_omzet=Subquery(latest.values("omzet")[:1]),
            last_workers=Subquery(latest.values("workers")[:1]),
        )
        .order_by("business_name", "pk")
    )


OVERVIEW_CACHE_SECONDS = 600


def overview(*, user, as_of: dt.date | None = None, use_cache: bool = True) -> dict:
    """Indicators over all incubator centres in the user's scope, by province and by centre.

    National and provincial scopes cover thousands of tenants (≈2.5 s for 21,000 on PostgreSQL), so
    their result is cached for ten minutes per scope and day; a centre's own scope is always live.
    The page says when the figures were computed."""
    as_of = as_of or today()
    scope = access.scope_for(user, Perm.VIEW_TENANTS)
    key = None
    if use_cache and (scope.national or scope.province_codes):
        raw = f"{scope.national}|{sorted(scope.province_codes)}|{sorted(scope.centre_ids)}|{as_of}"
        key = "incubator:overview:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
        cached = cache.get(key)
        if cached is not None:
            return cached
    data = _overview(user=user, as_of=as_of)
    if key:
        cache.set(key, data, OVERVIEW_CACHE_SECONDS)
    return data


def _overview(*, user, as_of: dt.date) -> dict:
    centres = incubator_centres(user=user)
    tenants = tenants_for(user).filter(Q(centre__in=centres.values("pk")))
    summary = _with_stage_rows(indicators.summary(tenants=tenants, centres=centres, as_of=as_of))
    active = indicators.active_by_centre(tenants=tenants, as_of=as_of)
    mandiri = dict(
        tenants.filter(stage=Stage.MANDIRI, stage_since__lte=as_of)
        .order_by()
        .values_list("centre_id")
        .annotate(n=Count("pk"))
        .values_list("centre_id", "n")
    )
    centre_rows = []
    provinces: dict[str, dict] = defaultdict(lambda: {"centres": 0, "active": 0, "meeting": 0, "mandiri": 0})
    for centre in centres.select_related("province", "regency").order_by("province__code", "name", "pk"):
        n = active.get(centre.pk, 0)
        row = {"centre": centre, "active": n, "mandiri": mandiri.get(centre.pk, 0)}
        row["meets"] = n >= indicators.TARGET_PER_CENTRE
        row["percent"] = min(100, round(100 * n / indicators.TARGET_PER_CENTRE))
        centre_rows.append(row)
        p = provinces[centre.province_id]
        p["province"] = centre.province
        p["centres"] += 1
        p["active"] += n
        p["meeting"] += int(row["meets"])
        p["mandiri"] += row["mandiri"]
    province_rows = []
    for code in sorted(provinces):
        p = provinces[code]
        p["target"] = indicators.TARGET_PER_CENTRE * p["centres"]
        p["percent"] = 100 * p["active"] / p["target"] if p["target"] else None
        province_rows.append(p)
    return {
        "summary": summary,
        "centre_rows": centre_rows,
        "province_rows": province_rows,
        "as_of_label": month_label(as_of),
        "computed_at": timezone.localtime(),
    }
