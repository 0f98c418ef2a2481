"""Demo incubator data: 10 tenants per incubator centre with three years of monthly progress, stage
history, aid and mentoring sessions. Deterministic per seed; skipped when the demo centres already
have tenants; bulk_create throughout so the national scale (≈190 incubators) takes seconds."""

import datetime as dt
import random

from django.db import transaction

from blkportal.core.months import add_months, first_of_month, month_end, today
from blkportal.registry.models import Centre, Kejuruan, Role, RoleAssignment

from .models import (
    Bantuan,
    BantuanKind,
    LegalForm,
    MarketChannel,
    MentoringSession,
    ProblemTag,
    Sector,
    Stage,
    Tenant,
    TenantProgress,
    TenantStageChange,
)
from .services import nik_hash

TENANTS_PER_CENTRE = 10
PROGRESS_MONTHS = 36
FIRST_NAMES_F = ["Siti", "Sri", "Nur", "Dewi", "Rina", "Ani", "Yuli", "Fitri", "Lestari", "Wahyuni", "Aisyah", "Maria"]
FIRST_NAMES_M = ["Ahmad", "Budi", "Agus", "Hasan", "Joko", "Rudi", "Dedi", "Yusuf", "Slamet", "Bambang", "Petrus"]
LAST_NAMES = ["Rahmawati", "Santoso", "Hidayat", "Saputra", "Kurniawan", "Lestari", "Wibowo", "Nugroho", "Pratama"]
BUSINESS = {
    Sector.PERTANIAN_PETERNAKAN: [
        "Ternak Kambing {w}",
        "Budidaya Jamur {w}",
        "Kebun Hidroponik {w}",
        "Ayam Petelur {w}",
    ],
    Sector.PERIKANAN: ["Lele {w}", "Ikan Asap {w}", "Budidaya Nila {w}"],
    Sector.JASA_BOGA: ["Keripik {w}", "Catering {w}", "Roti {w}", "Sambal {w}", "Kopi {w}"],
    Sector.USAHA_KREATIF: ["Konveksi {w}", "Batik {w}", "Mebel {w}", "Sablon {w}", "Kerajinan Bambu {w}"],
    Sector.PERDAGANGAN: ["Toko Sembako {w}", "Grosir {w}"],
    Sector.JASA: ["Bengkel Motor {w}", "Servis Elektronik {w}", "Las {w}", "Salon {w}"],
    Sector.LAINNYA: ["Usaha {w}"],
}
WORDS = ["Barokah", "Mandiri", "Sejahtera", "Berkah", "Maju Jaya", "Sumber Rezeki", "Amanah", "Al-Ikhlas", "Lestari"]
SECTOR_WEIGHTS = [
    (Sector.JASA_BOGA, 30),
    (Sector.USAHA_KREATIF, 20),
    (Sector.JASA, 15),
    (Sector.PERTANIAN_PETERNAKAN, 15),
    (Sector.PERIKANAN, 8),
    (Sector.PERDAGANGAN, 8),
    (Sector.LAINNYA, 4),
]
TOPICS = [
    "Pembukuan sederhana",
    "Pemasaran digital",
    "Kemasan dan label",
    "Perizinan NIB dan PIRT",
    "Sertifikasi halal",
    "Perhitungan harga pokok",
    "Akses permodalan",
    "Rencana usaha",
    "Kualitas produk",
]


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def _trajectory(rng, entry: dt.date, stage: str, last_day: dt.date):
    """Dated stage moves after entry, up to last_day: forward steps, sometimes a drop-out."""
    moves = []
    day, current = entry, stage
    # About one in five drops out; graduating takes two to four years.
    drop_after = rng.randint(3, 30) if rng.random() < 0.2 else None
    steps = {Stage.PRA_INKUBASI: (2, 6), Stage.INKUBASI: (10, 20), Stage.PASCA_INKUBASI: (10, 20)}
    while current in steps:
        nxt = add_months(day, rng.randint(*steps[current]))
        if drop_after is not None and add_months(entry, drop_after) < nxt:
            gugur_on = add_months(entry, drop_after)
            if gugur_on <= last_day:
                moves.append((current, Stage.GUGUR, gugur_on, "Usaha berhenti: modal habis"))
            break
        if nxt > last_day:
            break
        following = {Stage.PRA_INKUBASI: Stage.INKUBASI, Stage.INKUBASI: Stage.PASCA_INKUBASI}.get(
            current, Stage.MANDIRI
        )
        moves.append((current, following, nxt, ""))
        day, current = nxt, following
    return moves


@transaction.atomic
def seed(ctx):
    centres = list(
        Centre.objects.filter(pk__in=ctx.centre_ids, is_incubator=True).select_related("province").order_by("pk")
    )
    if not centres:
        ctx.log("Inkubator: tidak ada BLK inkubator demo.")
        return
    if Tenant.objects.filter(centre_id__in=[c.pk for c in centres]).exists():
        ctx.log("Inkubator: data demo sudah ada, dilewati.")
        return
    rng = random.Random(ctx.seed * 7919 + 4)
    now = today()
    last_month = add_months(first_of_month(now), -1)
    last_day = month_end(last_month)
    window_start = add_months(last_month, -(PROGRESS_MONTHS - 1))
    kejuruan = list(Kejuruan.objects.order_by("code").values_list("pk", flat=True))
    mentors = {
        centre_id: (user_id, full_name or username)
        for centre_id, user_id, full_name, username in RoleAssignment.objects.filter(
            role=Role.MENTOR, centre_id__in=[c.pk for c in centres]
        )
        .order_by("-pk")
        .values_list("centre_id", "user_id", "user__full_name", "user__username")
    }

    tenants, plans = [], []
    for centre in centres:
        earliest = max(window_start, centre.activated_on, dt.date(centre.incubator_year or 2021, 1, 1))
        if earliest > last_day:
            earliest = first_of_month(last_day)
        span = max(0, (last_day.year - earliest.year) * 12 + last_day.month - earliest.month)
        for n in range(TENANTS_PER_CENTRE):
            # Six founding tenants in the first half-year, the others joining later.
            offset = rng.randint(0, min(5, span)) if n < 6 else rng.randint(min(6, span), max(min(6, span), span))
            entry = min(add_months(earliest, offset).replace(day=rng.randint(1, 28)), last_day)
            entry = max(entry, centre.activated_on)
            female = rng.random() < 0.55
            owner = f"{rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)} {rng.choice(LAST_NAMES)}"
            sector = _pick(rng, SECTOR_WEIGHTS)
            alumnus = rng.random() < 0.6
            stage = Stage.PRA_INKUBASI if rng.random() < 0.7 else Stage.INKUBASI
            moves = _trajectory(rng, entry, stage, last_day)
            final_stage, since = (moves[-1][1], moves[-1][2]) if moves else (stage, entry)
            workers = rng.choice([1, 1, 1, 2, 2, 3])
            nik = f"{centre.province_id}{rng.randint(10**13, 10**14 - 1)}"
            tenants.append(
                Tenant(
                    centre_id=centre.pk,
                    owner_name=owner,
                    owner_sex="P" if female else "L",
                    owner_birth_year=rng.randint(1965, 2003),
                    owner_phone=f"08{rng.randint(100000000, 999999999)}",
                    nik_hash=nik_hash(nik),
                    is_alumnus=alumnus,
                    kejuruan_id=rng.choice(kejuruan) if alumnus and kejuruan else None,
                    business_name=rng.choice(BUSINESS[sector]).format(w=rng.choice(WORDS)),
                    legal_form=_pick(
                        rng, [(LegalForm.PERORANGAN, 75), (LegalForm.KELOMPOK, 20), (LegalForm.KOPERASI, 5)]
                    ),
                    sector=sector,
                    has_nib=rng.random() < 0.6,
                    has_pirt=sector == Sector.JASA_BOGA and rng.random() < 0.5,
                    has_halal=sector == Sector.JASA_BOGA and rng.random() < 0.3,
                    stage=final_stage,
                    stage_since=since,
                    entry_date=entry,
                    baseline_omzet=rng.randint(5, 80) * 100_000,
                    baseline_workers=workers,
                )
            )
            plans.append((centre, entry, stage, moves))
    Tenant.objects.bulk_create(tenants, batch_size=2000)

    changes, progress, aid, sessions = [], [], [], []
    for tenant, (centre, entry, stage, moves) in zip(tenants, plans, strict=True):
        changes.append(
            TenantStageChange(
                tenant_id=tenant.pk, from_stage="", to_stage=stage, changed_on=entry, reason="Masuk inkubator"
            )
        )
        for src, dst, on, reason in moves:
            changes.append(
                TenantStageChange(tenant_id=tenant.pk, from_stage=src, to_stage=dst, changed_on=on, reason=reason)
            )
        dropped = next((on for _s, dst, on, _r in moves if dst == Stage.GUGUR), None)
        stop = first_of_month(dropped) if dropped else last_month
        growth = rng.uniform(0.005, 0.04)
        omzet, workers, keeps = float(tenant.baseline_omzet), tenant.baseline_workers, rng.random() < 0.3
        month = first_of_month(entry)
        channels = rng.sample(MarketChannel.values[:5], rng.randint(1, 2))
        while month <= stop:
            omzet = max(0.0, omzet * (1 + growth) * rng.uniform(0.9, 1.1))
            if rng.random() < 0.04:
                workers += 1
            keeps = keeps or rng.random() < 0.05
            margin = rng.uniform(-0.1, 0.3) if rng.random() < 0.1 else rng.uniform(0.05, 0.3)
            tags = rng.sample(ProblemTag.values, rng.randint(1, 2)) if rng.random() < 0.3 else []
            progress.append(
                TenantProgress(
                    tenant_id=tenant.pk,
                    month=month,
                    omzet=round(omzet, -3),
                    profit=round(omzet * margin, -3),
                    workers=workers,
                    market_channels=channels,
                    keeps_records=keeps,
                    problem_tags=sorted(tags),
                    problems="Kendala dicatat saat pendampingan." if tags else "",
                )
            )
            if rng.random() < 0.6:
                mentor_id, mentor_name = mentors.get(
                    centre.pk, (None, f"Tim Pendamping {centre.incubator_university or 'BLK'}")
                )
                sessions.append(
                    MentoringSession(
                        tenant_id=tenant.pk,
                        held_on=max(entry, month.replace(day=rng.randint(1, 28))),
                        mentor_id=mentor_id,
                        mentor_name=mentor_name,
                        topic=rng.choice(TOPICS),
                        duration_minutes=rng.choice([45, 60, 90, 120]),
                    )
                )
            month = add_months(month, 1)
        received = min(add_months(entry, rng.randint(0, 4)), last_day)
        aid.append(
            Bantuan(
                tenant_id=tenant.pk,
                kind=BantuanKind.TKM_PEMULA,
                amount=10_000_000,
                received_on=received,
                source="Kemnaker (TKM Pemula)",
            )
        )
        if rng.random() < 0.3 and add_months(entry, 12) <= last_day:
            aid.append(
                Bantuan(
                    tenant_id=tenant.pk,
                    kind=rng.choice([BantuanKind.TKM_LANJUTAN, BantuanKind.PERALATAN]),
                    amount=rng.choice([15_000_000, 20_000_000, 7_500_000]),
                    received_on=add_months(entry, 12),
                    source=rng.choice(["Kemnaker", "Pemerintah daerah", "CSR mitra"]),
                )
            )
    TenantStageChange.objects.bulk_create(changes, batch_size=5000)
    TenantProgress.objects.bulk_create(progress, batch_size=5000)
    MentoringSession.objects.bulk_create(sessions, batch_size=5000)
    Bantuan.objects.bulk_create(aid, batch_size=5000)
    ctx.log(
        f"Inkubator: {len(tenants)} wirausaha di {len(centres)} BLK inkubator, {len(progress)} bulan perkembangan, "
        f"{len(sessions)} sesi, {len(aid)} bantuan."
    )
