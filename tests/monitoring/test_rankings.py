"""Rankings: hand-computed scores and ranks, verified data only, minimum-data rule, peer groups,
versioned schemes, frozen snapshots that reproduce, and set-based computation."""

import datetime as dt
from decimal import Decimal

import pytest

from blkportal.core.errors import DomainError
from blkportal.core.months import add_months
from blkportal.registry.models import Regency
from monitoring import rankings, services
from monitoring.models import RankingEntry, RankingSchemeVersion, RankingSnapshot
from tests.factories import CentreFactory, kejuruan
from tests.monitoring.conftest import batch, report

pytestmark = pytest.mark.django_db

PERIOD = dt.date(2024, 12, 1)
RULES = {"window_months": 12, "min_verified_months": 6, "peer_by_cohort": True, "peer_by_kejuruan": False}
WEIGHTS = {"reporting_rate": 50, "completion_rate": 50}


def months(n, start=dt.date(2024, 1, 1)):
    return [add_months(start, i) for i in range(n)]


@pytest.fixture
def ranked(world):
    """Window Jan-Dec 2024. Cohort 2019: A (12 approved, 14 of 16 graduated), A2 (8 verified +
    2 only submitted), A3 (5 verified: below the minimum). Cohort 2020: B (12 approved). C: nothing."""
    w = world
    w.centre_a2 = CentreFactory(reg_code="BLKK-A2", name="BLK A2", cohort_year=2019)
    w.centre_a3 = CentreFactory(reg_code="BLKK-A3", name="BLK A3", cohort_year=2019)
    for m in months(12):
        report(w.centre_a, m, "approved")
        report(w.centre_b, m, "approved")
    for m in months(8):
        report(w.centre_a2, m, "verified")
    for m in months(2, dt.date(2024, 9, 1)):
        report(w.centre_a2, m, "submitted")
    for m in months(5):
        report(w.centre_a3, m, "verified")
    batch(w.centre_a, dt.date(2024, 3, 1), dt.date(2024, 3, 28))  # 14 graduated of 16
    services.facts_rebuild()
    w.version = services.ranking_scheme_create(
        by=world.directorate, name="Uji", data=RULES, weights=WEIGHTS, is_default=True
    )
    return w


def entry(snapshot, centre):
    return RankingEntry.objects.get(snapshot=snapshot, centre=centre)


def test_scores_and_ranks_by_hand(ranked):
    """Derived by hand from the documented rule (indicators.RULE_RANKING): only verified/approved
    months count; a month awaiting verification counts neither for nor against a centre (it leaves the
    reporting-rate denominator too); a component without data gets no points and the score is
    Σ value × weight ÷ Σ weights of the components with data (weights redistributed to total 100).

    A  (2019): reporting 12 verified / 12 expected = 100 %; completion 14 / (14+1+1) = 87.5 %.
               Both components have data: 100 × 50/100 + 87.5 × 50/100 = 50 + 43.75 = 93.75.
    A2 (2019): Jan-Aug verified (8), Sep-Oct submitted only (2 pending), Nov-Dec silent (expected,
               not pending). Reporting 8 / (12 − 2 pending) = 8/10 = 80 %. No batch ended, so
               completion has no data and is not scored ("menunggu verifikasi", since months are
               pending); its 50 goes to reporting: 80 × 50/50 = 80.00.
    A3 (2019): 5 verified of 12 expected, none pending: 5/12 = 41.666… → 41.67 %, completion none:
               41.67 × 50/50 = 41.67; 5 verified months < minimum 6, so listed without a rank.
    B  (2020): 12/12 = 100 %, completion no data (nothing pending: "belum ada data"): 100.00, alone
               in its peer group.
    C  (2021): 0 verified of 12 expected: 0 %, no rank.
    Peer group 2019 among eligible centres: A 93.75 (rank 1), A2 80.00 (rank 2); 3 ranked in all."""
    snap = services.ranking_compute(version=ranked.version, period=PERIOD)
    a, a2, a3, b = (entry(snap, c) for c in (ranked.centre_a, ranked.centre_a2, ranked.centre_a3, ranked.centre_b))
    assert a.score == Decimal("93.75") and a.rank == 1 and a.peer_size == 2
    parts = {p["indicator"]: p for p in a.components}
    assert (parts["reporting_rate"]["numerator"], parts["reporting_rate"]["denominator"]) == (12, 12)
    assert parts["reporting_rate"]["points"] == 50.0
    assert (parts["completion_rate"]["numerator"], parts["completion_rate"]["denominator"]) == (14, 16)
    assert parts["completion_rate"]["points"] == 43.75 and parts["completion_rate"]["weight"] == 50
    assert a.missing_components == 0 and a.pending_months == 0
    # A2: the 2 months awaiting verification leave the denominator; completion is pending, unscored.
    parts2 = {p["indicator"]: p for p in a2.components}
    assert (parts2["reporting_rate"]["numerator"], parts2["reporting_rate"]["denominator"]) == (8, 10)
    assert parts2["reporting_rate"]["value"] == 80.0 and parts2["reporting_rate"]["points"] == 80.0
    assert parts2["completion_rate"]["value"] is None and parts2["completion_rate"]["points"] == 0
    assert parts2["completion_rate"]["status"] == rankings.PENDING
    assert a2.pending_months == 2 and a2.missing_components == 1
    assert a2.score == Decimal("80.00") and a2.rank == 2
    # A3 has 5 verified months: below the minimum of 6, so no rank (score still shown).
    assert not a3.eligible and a3.rank is None and a3.verified_months == 5
    assert a3.score == Decimal("41.67")
    # B is alone in the 2020 peer group; its empty completion is "no data", not pending.
    assert b.rank == 1 and b.peer_size == 1 and b.score == Decimal("100.00") and b.peer_group == "Angkatan 2020"
    assert {p["indicator"]: p["status"] for p in b.components}["completion_rate"] == rankings.NO_DATA
    # C (no reports at all, but expected) is listed without a rank.
    c = entry(snap, ranked.centre_c)
    assert c.rank is None and c.verified_months == 0 and c.score == Decimal("0.00")
    assert snap.ranked_count == 3


def test_ties_share_a_rank(ranked):
    """A3 gets Jun-Dec approved (5 verified Jan-May + 7 = 12 of 12, none pending: 100 %) and a batch
    ending in 2024 with 14 of 16 completed (87.5 %), exactly A's figures: 50 + 43.75 = 93.75 each.
    Peer group 2019: A 93.75, A3 93.75, A2 80.00 (see above) -> ranks 1, 1, 3."""
    for m in months(7, dt.date(2024, 6, 1)):
        report(ranked.centre_a3, m, "approved")
    batch(ranked.centre_a3, dt.date(2024, 7, 1), dt.date(2024, 7, 28))
    services.facts_rebuild()
    snap = services.ranking_compute(version=ranked.version, period=PERIOD)
    a, a2, a3 = entry(snap, ranked.centre_a), entry(snap, ranked.centre_a2), entry(snap, ranked.centre_a3)
    assert a.score == a3.score == Decimal("93.75")
    assert a.rank == a3.rank == 1 and a2.rank == 3 and a3.peer_size == 3
    tie = [
        RankingEntry(centre_id=i, peer_group="g", eligible=True, score=Decimal(s)) for i, s in enumerate([5, 7, 7, 3])
    ]
    rankings.assign_ranks(tie)
    assert [e.rank for e in tie] == [3, 1, 1, 4]


def test_stock_components_use_the_latest_verified_month(world):
    for m, (bekerja, belum) in zip(months(3), [(1, 9), (4, 6), (6, 4)], strict=True):
        report(world.centre_a, m, "approved", alumni_bekerja=bekerja, alumni_belum_bekerja=belum)
    report(world.centre_a, dt.date(2024, 4, 1), "submitted", alumni_bekerja=10, alumni_belum_bekerja=0)
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Penempatan",
        data={**RULES, "window_months": 4, "min_verified_months": 1},
        weights={"placement_rate": 100},
    )
    snap = services.ranking_compute(version=version, period=dt.date(2024, 4, 1))
    part = entry(snap, world.centre_a).components[0]
    # March is the latest verified month (April is only submitted): 6 of 10, not 11 of 30.
    assert (part["numerator"], part["denominator"], part["value"]) == (6, 10, 60.0)


def test_peer_groups_by_main_kejuruan(world):
    tik = kejuruan("teknik-informatika")
    for m in months(6):
        for c in (world.centre_a, world.centre_b, world.centre_c):
            report(c, m, "approved")
    batch(world.centre_c, dt.date(2024, 2, 1), dt.date(2024, 2, 20), code="teknik-informatika")
    batch(world.centre_c, dt.date(2024, 3, 1), dt.date(2024, 3, 20), code="teknik-informatika")
    batch(world.centre_c, dt.date(2024, 4, 1), dt.date(2024, 4, 20), code="teknik-las")
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Kejuruan",
        data={**RULES, "window_months": 6, "min_verified_months": 3, "peer_by_cohort": False, "peer_by_kejuruan": True},
        weights={"reporting_rate": 100},
    )
    snap = services.ranking_compute(version=version, period=dt.date(2024, 6, 1))
    # C teaches both; most batches in the window were TIK, so it is compared with B (TIK), not A (las).
    assert entry(snap, world.centre_c).kejuruan == tik
    assert entry(snap, world.centre_c).peer_group == entry(snap, world.centre_b).peer_group == tik.name
    assert entry(snap, world.centre_a).kejuruan.code == "teknik-las"
    assert entry(snap, world.centre_c).peer_size == 2


def test_frozen_snapshot_is_reproducible_after_data_and_scheme_change(world, ranked):
    frozen = services.ranking_compute(version=ranked.version, period=PERIOD, frozen=True)
    stored = sorted(RankingEntry.objects.filter(snapshot=frozen).values_list("centre_id", "score", "rank"))
    assert rankings.reproduce(frozen) == stored
    # Later: A2's returned months get verified and the scheme gets a new version.
    for m in months(2, dt.date(2024, 9, 1)):
        from reporting.models import Report

        Report.objects.filter(centre=ranked.centre_a2, period=m).update(status="approved")
    services.facts_rebuild()
    v2 = services.ranking_scheme_update(
        by=world.directorate,
        scheme=ranked.version.scheme,
        data=RULES,
        weights={"reporting_rate": 100},
        note="Hanya kepatuhan.",
    )
    live = services.ranking_compute(version=v2, period=PERIOD)
    assert entry(live, ranked.centre_a2).score == Decimal("83.33")  # 10/12 under v2
    frozen.refresh_from_db()
    assert sorted(RankingEntry.objects.filter(snapshot=frozen).values_list("centre_id", "score", "rank")) == stored
    assert rankings.reproduce(frozen) == stored
    # The old version is untouched and recomputing it for the same period from the same facts as
    # when frozen would give the same (so the frozen copy is the record); the frozen one is final.
    v1 = RankingSchemeVersion.objects.get(pk=ranked.version.pk)
    assert {c.indicator: c.weight for c in v1.components.all()} == {"reporting_rate": 50, "completion_rate": 50}
    with pytest.raises(DomainError):
        services.ranking_compute(version=v1, period=PERIOD, frozen=True)


def test_recomputing_from_unchanged_facts_gives_the_frozen_ranking(ranked):
    frozen = services.ranking_compute(version=ranked.version, period=PERIOD, frozen=True)
    live = services.ranking_compute(version=ranked.version, period=PERIOD)
    fields = ["centre_id", "score", "rank", "peer_group", "eligible", "components"]
    assert list(live.entries.order_by("centre_id").values(*fields)) == list(
        frozen.entries.order_by("centre_id").values(*fields)
    )


def test_live_recompute_replaces_only_the_live_snapshot(ranked):
    services.ranking_compute(version=ranked.version, period=PERIOD, frozen=True)
    first = services.ranking_compute(version=ranked.version, period=PERIOD)
    second = services.ranking_compute(version=ranked.version, period=PERIOD)
    assert not RankingSnapshot.objects.filter(pk=first.pk).exists()
    assert RankingSnapshot.objects.filter(version=ranked.version, period=PERIOD).count() == 2
    assert second.entry_count == first.entry_count


@pytest.mark.parametrize(
    ("weights", "field", "message"),
    [
        ({"reporting_rate": -10, "completion_rate": 110}, "weight_reporting_rate", "tidak boleh negatif"),
        ({"reporting_rate": 50, "completion_rate": 40}, "weights", "tepat 100 %; sekarang 90 %"),
        ({}, "weights", "sedikitnya satu komponen"),
        ({"reporting_rate": "abc"}, "weight_reporting_rate", "berupa angka"),
        ({"tenant_count": 100}, "weights", "tidak dapat dipakai"),
    ],
)
def test_bad_weights_are_refused_with_a_message(world, ranked, weights, field, message):
    with pytest.raises(DomainError) as exc:
        services.ranking_scheme_update(
            by=world.directorate, scheme=ranked.version.scheme, data=RULES, weights=weights, note="uji"
        )
    assert exc.value.field == field and message in exc.value.message
    assert ranked.version.scheme.versions.count() == 1


def test_edit_needs_a_reason_and_keeps_old_versions(world, ranked):
    with pytest.raises(DomainError) as exc:
        services.ranking_scheme_update(
            by=world.directorate, scheme=ranked.version.scheme, data=RULES, weights=WEIGHTS, note=" "
        )
    assert exc.value.field == "change_note"
    v2 = services.ranking_scheme_update(
        by=world.directorate,
        scheme=ranked.version.scheme,
        data={**RULES, "window_months": 6},
        weights=WEIGHTS,
        note="Jendela 6 bulan",
    )
    assert v2.number == 2 and v2.window_months == 6
    assert RankingSchemeVersion.objects.get(pk=ranked.version.pk).window_months == 12


def test_compute_is_set_based(ranked, django_assert_max_num_queries):
    """The number of queries does not grow with the number of centres."""
    services.ranking_compute(version=ranked.version, period=PERIOD)  # so both runs replace a snapshot
    with django_assert_max_num_queries(14) as few:
        services.ranking_compute(version=ranked.version, period=PERIOD)
    regency = Regency.objects.get(code="35.07")
    for i in range(40):
        c = CentreFactory(reg_code=f"BLKK-N{i}", regency=regency, cohort_year=2020)
        for m in months(7):
            report(c, m, "verified")
    services.facts_rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        snap = services.ranking_compute(version=ranked.version, period=PERIOD)
    assert snap.ranked_count == 3 + 40


def test_a_forged_call_from_outside_the_scope_is_refused(world):
    from blkportal.core.errors import DomainError as Refused
    from monitoring import services_exports
    from monitoring.models import ExportJob, RankingScheme

    # A provincial FKN coordinator and a manager read rankings but may not edit schemes.
    for intruder in (world.fkn_jabar, world.manager_a):
        with pytest.raises(Refused) as info:
            services.ranking_scheme_create(by=intruder, name="Siluman", data=RULES, weights=WEIGHTS)
        assert info.value.code == "forbidden"
    # A mentor may not export data.
    with pytest.raises(Refused, match="izin"):
        services_exports.export_request(by=world.mentor_a, kind="batches", file_format="csv", parameters={})
    assert not RankingScheme.objects.exists() and not ExportJob.objects.exists()
