"""Writes of monitoring: facts and rankings. Plain functions, keyword-only, atomic, DomainError with an
Indonesian message. Views, tasks, commands and the seed call these. (Exports live in
services_exports.py.)

A person's act (a ranking scheme) takes the acting user as `by`, checked through access. Facts and
ranking snapshots are derived data that tasks rebuild from what users already wrote: no one acts,
so those services take no `by`."""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.core.formatting import format_percent
from blkportal.core.months import add_months, current_month, first_of_month
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre

from . import facts, indicators, rankings
from .models import (
    CentreMonth,
    CentreMonthKejuruan,
    RankingComponent,
    RankingScheme,
    RankingSchemeVersion,
    RankingSnapshot,
)

log = logging.getLogger(__name__)

# A frozen ranking covers the month before last: by then the month's reports are past their
# deadline (day 10) and have had three weeks of verification.
FREEZE_LAG_MONTHS = 2


# --- Facts -----------------------------------------------------------------------------------------


def facts_refresh(*, centre_id: int, month: dt.date, now=None) -> int:
    """Rebuild the fact of one centre-month (after a report or batch change), in one transaction.
    Refused (DomainError) for an unknown centre or a month before the monitoring start."""
    month = facts.check_month(month)
    with transaction.atomic():
        facts.check_centre(centre_id)
        return facts.replace(centre_ids=[centre_id], first=month, last=month, now=now)


def facts_refresh_month(*, month: dt.date, centre_ids: list[int], now=None) -> int:
    """Rebuild the facts of many centres for one month in one set-based step (a large history
    import), in one transaction. Refused for a month before the monitoring start; centres deleted
    since are left out."""
    month = facts.check_month(month)
    with transaction.atomic():
        known = list(Centre.objects.filter(pk__in=centre_ids).values_list("pk", flat=True))
        if not known:
            return 0
        return facts.replace(centre_ids=known, first=month, last=month, now=now)


def facts_refresh_from(*, centre_id: int, month: dt.date, now=None) -> int:
    """Rebuild a centre's facts from `month` to now (a tenant change carries forward). A change in a
    month before the monitoring start still carries into the monitored months: from the start on."""
    month = max(first_of_month(month), facts.facts_start())
    with transaction.atomic():
        facts.check_centre(centre_id)
        return facts.replace(centre_ids=[centre_id], first=month, last=current_month(now), now=now)


def facts_refresh_centre(*, centre_id: int, now=None) -> int:
    """Rebuild every fact of one centre (registered, activated, deactivated, or its registry data
    changed: province, class, dates), in one transaction. Its expected rows exist from then on."""
    with transaction.atomic():
        facts.check_centre(centre_id)
        CentreMonth.objects.filter(centre_id=centre_id).delete()
        CentreMonthKejuruan.objects.filter(centre_id=centre_id).delete()
        bounds = facts.full_range(now)
        if bounds is None:
            facts.bump_version()
            return 0
        return facts.replace(centre_ids=[centre_id], first=bounds[0], last=bounds[1], now=now)


def facts_open_month(*, now=None) -> int:
    """Create the current month's expected rows that do not exist yet (beat, daily after midnight)."""
    return facts.open_month(now)


def facts_rebuild(*, now=None) -> dict:
    """Rebuild every fact from scratch; returns {"rows", "seconds", "vacuum_seconds"}."""
    started = time.monotonic()
    rows = facts.rebuild_all(now)
    seconds = round(time.monotonic() - started, 2)
    facts.vacuum()
    vacuum_seconds = round(time.monotonic() - started - seconds, 2)
    log.info("monitoring facts rebuilt: %s rows in %ss (vacuum %ss)", rows, seconds, vacuum_seconds)
    return {"rows": rows, "seconds": seconds, "vacuum_seconds": vacuum_seconds}


# --- Ranking schemes -------------------------------------------------------------------------------

SCHEME_FIELDS = ["description", "window_months", "min_verified_months", "peer_by_cohort", "peer_by_kejuruan"]


def _clean_weights(weights: dict) -> dict[str, Decimal]:
    """Validate weights {indicator: percent}: known rankable indicators, none negative, total 100."""
    cleaned = {}
    for code, raw in weights.items():
        if code not in indicators.RANKABLE:
            raise DomainError(
                _("Indikator %(code)s tidak dapat dipakai untuk peringkat.") % {"code": code}, field="weights"
            )
        if raw in (None, ""):
            continue
        try:
            weight = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise DomainError(_("Bobot harus berupa angka."), field=f"weight_{code}") from None
        if not weight.is_finite():
            raise DomainError(_("Bobot harus berupa angka."), field=f"weight_{code}")
        if weight < 0:
            raise DomainError(_("Bobot tidak boleh negatif."), field=f"weight_{code}")
        if weight > 100:
            raise DomainError(_("Bobot tidak boleh lebih dari 100 %."), field=f"weight_{code}")
        if weight != weight.quantize(Decimal("0.01")):
            raise DomainError(_("Bobot paling banyak dua angka di belakang koma."), field=f"weight_{code}")
        if weight > 0:
            cleaned[code] = weight
    if not cleaned:
        raise DomainError(_("Isi bobot sedikitnya satu komponen."), field="weights")
    total = sum(cleaned.values(), Decimal(0))
    if total != 100:
        raise DomainError(
            f"Jumlah bobot harus tepat 100 %; sekarang {format_percent(total, 2, trim=True)}.",
            field="weights",
        )
    return cleaned


def _check_rules(data: dict) -> None:
    window = data.get("window_months") or 0
    minimum = data.get("min_verified_months")
    if not 1 <= window <= 36:
        raise DomainError(_("Jendela harus 1 sampai 36 bulan."), field="window_months")
    if minimum is None or minimum < 0:
        raise DomainError(_("Syarat data minimal tidak boleh negatif."), field="min_verified_months")
    if minimum > window:
        raise DomainError(_("Syarat data minimal tidak boleh lebih dari panjang jendela."), field="min_verified_months")


def _new_version(*, scheme, number, data, weights, by, note) -> RankingSchemeVersion:
    version = RankingSchemeVersion.objects.create(
        scheme=scheme,
        number=number,
        created_by=by,
        change_note=note,
        **{k: data[k] for k in SCHEME_FIELDS if k in data},
    )
    RankingComponent.objects.bulk_create(
        RankingComponent(version=version, indicator=code, weight=weight, position=i)
        for i, (code, weight) in enumerate(sorted(weights.items(), key=lambda item: indicators.RANKABLE.index(item[0])))
    )
    return version


@transaction.atomic
def ranking_scheme_create(*, by, name: str, data: dict, weights: dict, is_default=False):
    """Create a scheme with its version 1."""
    access.check(by, Perm.MANAGE_RANKINGS)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Nama skema wajib diisi."), field="name")
    if RankingScheme.objects.filter(name__iexact=name).exists():
        raise DomainError(_("Nama skema sudah dipakai."), field="name")
    cleaned = _clean_weights(weights)
    _check_rules(data)
    if is_default or not RankingScheme.objects.filter(is_default=True).exists():
        RankingScheme.objects.filter(is_default=True).update(is_default=False)
        is_default = True
    scheme = RankingScheme.objects.create(name=name, is_default=is_default)
    version = _new_version(scheme=scheme, number=1, data=data, weights=cleaned, by=by, note=data.get("change_note", ""))
    transaction.on_commit(lambda: enqueue_ranking_compute(version.pk))
    return version


@transaction.atomic
def ranking_scheme_update(*, scheme: RankingScheme, by, data: dict, weights: dict, note: str = ""):
    """Edit a scheme: always a new version; earlier versions and their snapshots stay as they were."""
    access.check(by, Perm.MANAGE_RANKINGS)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Tuliskan alasan perubahan; alasan ini tercatat pada versi baru."), field="change_note")
    cleaned = _clean_weights(weights)
    _check_rules(data)
    scheme = RankingScheme.objects.select_for_update().get(pk=scheme.pk)
    latest = scheme.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    try:
        with transaction.atomic():
            version = _new_version(scheme=scheme, number=number, data=data, weights=cleaned, by=by, note=note)
    except IntegrityError:
        raise DomainError(_("Skema ini baru saja diubah orang lain; muat ulang halaman."), field=None) from None
    transaction.on_commit(lambda: enqueue_ranking_compute(version.pk))
    return version


def enqueue_ranking_compute(version_id):
    """Queue the live ranking of a version for the default period (call inside on_commit)."""
    from .tasks import ranking_compute

    ranking_compute.delay(version_id, default_period().isoformat())


def window_first(snapshot) -> dt.date:
    return rankings.window(snapshot.version, snapshot.period)[0]


def default_period(now=None) -> dt.date:
    """The period of live rankings: last month."""
    return add_months(current_month(now), -1)


def freeze_period(now=None) -> dt.date:
    return add_months(current_month(now), -FREEZE_LAG_MONTHS)


# --- Ranking snapshots -----------------------------------------------------------------------------


@transaction.atomic
def ranking_compute(
    *, version: RankingSchemeVersion, period: dt.date, frozen: bool = False, now=None
) -> RankingSnapshot:
    """Compute a version's ranking for `period` from verified/approved facts and store it.

    A live snapshot replaces the previous live one of the same version and period; a frozen one is
    made once and never recomputed."""
    now = now or months.now()
    period = first_of_month(period)
    if period > current_month(now):
        raise DomainError(_("Periode peringkat tidak boleh di masa depan."), field="period")
    if frozen and RankingSnapshot.objects.filter(version=version, period=period, frozen=True).exists():
        raise DomainError(_("Peringkat periode ini sudah dibekukan dan tidak dapat dihitung ulang."), field="period")
    entries = rankings.compute_entries(version, period)
    if not frozen:
        RankingSnapshot.objects.filter(version=version, period=period, frozen=False).delete()
    snapshot = RankingSnapshot.objects.create(
        version=version,
        period=period,
        frozen=frozen,
        computed_at=now,
        entry_count=len(entries),
        ranked_count=sum(1 for e in entries if e.rank is not None),
    )
    for entry in entries:
        entry.snapshot = snapshot
    snapshot.entries.model.objects.bulk_create(entries, batch_size=2000)
    return snapshot


def current_versions():
    """The latest version of every active scheme."""
    result = []
    for scheme in RankingScheme.objects.filter(is_active=True).prefetch_related("versions"):
        versions = sorted(scheme.versions.all(), key=lambda v: v.number)
        if versions:
            result.append(versions[-1])
    return result


def rankings_recompute_live(*, period: dt.date | None = None, now=None) -> list[RankingSnapshot]:
    """Recompute the live snapshot of every active scheme's latest version (nightly)."""
    period = period or default_period(now)
    return [ranking_compute(version=v, period=period, now=now) for v in current_versions()]


def rankings_freeze(*, period: dt.date | None = None, now=None) -> list[RankingSnapshot]:
    """Freeze the month-before-last for every active scheme's latest version (monthly, beat)."""
    period = period or freeze_period(now)
    done = []
    for version in current_versions():
        if not RankingSnapshot.objects.filter(version=version, period=period, frozen=True).exists():
            done.append(ranking_compute(version=version, period=period, frozen=True, now=now))
    return done
