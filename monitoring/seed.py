"""Demo monitoring data, after the registry, reporting and incubator seeds: every fact rebuilt from
their rows, a default ranking scheme, today's live ranking and three frozen months. Skipped when
facts and a scheme exist (a second seed_demo run changes nothing)."""

from blkportal.core.months import add_months
from blkportal.registry.seed import demo_admin

from . import services
from .models import CentreMonth, RankingScheme, RankingSnapshot

DEFAULT_SCHEME = "Peringkat Kinerja BLK Komunitas"
DEFAULT_RULES = {
    "description": (
        "Kinerja 12 bulan terakhir dari laporan terverifikasi/disetujui: kepatuhan pelaporan, hasil "
        "pelatihan, keterlacakan dan penempatan alumni, serta kriteria kemandirian. BLK dibandingkan "
        "dengan BLK yang dibangun pada tahun yang sama."
    ),
    "window_months": 12,
    "min_verified_months": 6,
    "peer_by_cohort": True,
    "peer_by_kejuruan": False,
    "change_note": "Skema awal.",
}
DEFAULT_WEIGHTS = {
    "reporting_rate": 20,
    "on_time_rate": 15,
    "completion_rate": 15,
    "placement_rate": 20,
    "known_status_share": 10,
    "kemandirian_score": 20,
}
FROZEN_MONTHS = 3


def seed(ctx):
    if CentreMonth.objects.exists() and RankingScheme.objects.exists():
        ctx.log("Monitoring: fakta dan skema peringkat sudah ada, dilewati.")
        return
    result = services.facts_rebuild()
    ctx.log(f"Monitoring: {result['rows']} fakta BLK-bulan dibangun dalam {result['seconds']} detik.")
    version = RankingScheme.objects.filter(name=DEFAULT_SCHEME).first()
    if version is None:
        version = services.ranking_scheme_create(
            by=demo_admin(), name=DEFAULT_SCHEME, data=DEFAULT_RULES, weights=DEFAULT_WEIGHTS, is_default=True
        )
    else:
        version = version.versions.order_by("-number").first()
    # Creating the scheme queued its live ranking on commit (computed already when tasks run eagerly).
    snapshot = RankingSnapshot.objects.filter(version=version, period=services.default_period(), frozen=False).first()
    if snapshot is None:
        snapshot = services.ranking_compute(version=version, period=services.default_period())
    ctx.log(f"Monitoring: peringkat terkini {snapshot.ranked_count}/{snapshot.entry_count} BLK.")
    for back in range(FROZEN_MONTHS):
        period = add_months(services.freeze_period(), -back)
        if not RankingSnapshot.objects.filter(version=version, period=period, frozen=True).exists():
            services.ranking_compute(version=version, period=period, frozen=True)
    ctx.log(f"Monitoring: {FROZEN_MONTHS} peringkat bulanan dibekukan.")
