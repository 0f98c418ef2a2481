"""Demo reports and training batches: every state, some late, some returned, months of history.

Bulk-created (no simple_history rows for demo data) so `seed_demo --centres 2127 --months 60`
stays within the time budget. Deterministic for a given seed; skipped when demo reports exist.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from blkportal.core.months import END_OF_DAY, add_months, deadline_date, first_of_month, month_bounds
from blkportal.registry.models import Centre, Kejuruan, Role, RoleAssignment, User

from .bulk import insert_rows
from .models import (
    CorrectionRequest,
    FundingSource,
    IncomeSource,
    PartnerType,
    PermitStatus,
    ProblemCategory,
    Report,
    ReportIncome,
    ReportPartnership,
    ReportProblem,
    ReportProduct,
    ReportTransition,
    SalesChannel,
    TrainingBatch,
    TransitionAction,
)

DETAIL_MONTHS = 12  # child rows and transitions only for the most recent months
FLUSH_ROWS = 100_000  # reports generated before they are written
RETURN_REASONS = [
    "Jumlah alumni bekerja belum sesuai daftar penempatan; mohon dicek ulang.",
    "Daftar hadir angkatan belum dilampirkan.",
    "Biaya operasional jauh di atas bulan-bulan sebelumnya; mohon dijelaskan.",
    "Nomor izin operasional tidak terbaca; mohon unggah ulang bukti.",
]
PROGRAMS = ["Pelatihan Dasar", "Pelatihan Lanjutan", "Kelas Produksi", "Pelatihan Berbasis Kompetensi"]
PRODUCTS = ["Kerajinan kayu", "Pakaian jadi", "Roti dan kue", "Servis motor", "Kopi bubuk", "Tas anyaman"]
PARTNERS = ["PT Maju Bersama", "Dinas Tenaga Kerja", "Koperasi Sejahtera", "Politeknik Negeri", "Bank Daerah"]
S = Report.Status


def demo_present(centre_ids) -> bool:
    return bool(centre_ids) and Report.objects.filter(centre_id__in=centre_ids[:50]).exists()


def _moment(day: dt.date, tz: zoneinfo.ZoneInfo, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=tz)


def _state_for(age: int, rng: random.Random, reliability: float) -> str | None:
    """The state of a report `age` months ago (1 = last month); None = never filed."""
    if rng.random() > reliability:
        return None if age > 1 or rng.random() < 0.6 else S.DRAFT
    roll = rng.random()
    if age == 1:
        return [S.DRAFT, S.SUBMITTED, S.RETURNED, S.VERIFIED, S.APPROVED][
            0 if roll < 0.15 else 1 if roll < 0.55 else 2 if roll < 0.65 else 3 if roll < 0.9 else 4
        ]
    if age == 2:
        return S.SUBMITTED if roll < 0.1 else S.VERIFIED if roll < 0.35 else S.RETURNED if roll < 0.4 else S.APPROVED
    return S.APPROVED if roll < 0.93 else S.VERIFIED if roll < 0.98 else S.RETURNED


@transaction.atomic
def seed(ctx):
    centre_ids = list(ctx.centre_ids) or list(
        Centre.objects.filter(reg_code__startswith="DEMO-").order_by("pk").values_list("pk", flat=True)
    )
    if demo_present(centre_ids):
        ctx.log("Laporan: data demo sudah ada, dilewati.")
        return
    rng = random.Random(ctx.seed * 7919 + 3)
    current = first_of_month(timezone.localdate())
    first_month = add_months(current, -ctx.months)
    kejuruan = list(Kejuruan.objects.filter(is_active=True).values_list("pk", flat=True))
    centres = list(
        Centre.objects.filter(pk__in=centre_ids)
        .select_related("province")
        .only("pk", "activated_on", "deactivated_on", "province__timezone")
        .order_by("pk")
    )
    actors = _actors(centres)
    zones = {}
    batches, reports = [], []
    written = [0, 0]

    def flush():
        # Inserted as they pile up: ten years of 10,000 centres would otherwise sit in memory at once.
        written[0] += insert_rows(TrainingBatch, batches)
        written[1] += insert_rows(Report, reports)
        batches.clear()
        reports.clear()

    for index, centre in enumerate(centres):
        if len(reports) >= FLUSH_ROWS:
            flush()
        tz = zones.setdefault(centre.province.timezone, zoneinfo.ZoneInfo(centre.province.timezone))
        own_kejuruan = rng.sample(kejuruan, min(len(kejuruan), rng.choice([1, 2]))) if kejuruan else []
        reliability = 1.0 if index < 3 else rng.choice([0.98, 0.95, 0.9, 0.8, 0.6])
        punctual = rng.choice([0.95, 0.85, 0.7, 0.4])
        # Training batches: one every ~2 months, about 1.5 months long, 16 participants.
        start = max(first_month, first_of_month(centre.activated_on)) + dt.timedelta(days=rng.randint(0, 40))
        graduates_by_month: dict[dt.date, int] = {}
        while start < timezone.localdate() and own_kejuruan:
            end = start + dt.timedelta(days=rng.randint(30, 55))
            if centre.deactivated_on and end > centre.deactivated_on:
                break
            male = rng.randint(4, 14)
            enrolled = 16
            finished = end < timezone.localdate()
            withdrawn = rng.choice([0, 0, 0, 1, 2]) if finished else 0
            failed = rng.choice([0, 0, 1, 2]) if finished else 0
            graduated = enrolled - withdrawn - failed if finished else 0
            santri = rng.randint(6, enrolled)
            batches.append(
                {
                    "centre_id": centre.pk,
                    "kejuruan_id": rng.choice(own_kejuruan),
                    "program_name": f"{rng.choice(PROGRAMS)} {start:%m/%Y}",
                    "funding_source": rng.choice(FundingSource.values[:3] + [FundingSource.APBN] * 3),
                    "start_date": start,
                    "end_date": end,
                    "hours_jp": rng.choice([160, 200, 240, 320]),
                    "enrolled_male": male,
                    "enrolled_female": enrolled - male,
                    "graduated": graduated,
                    "failed": failed,
                    "withdrawn": withdrawn,
                    "certified": int(graduated * rng.uniform(0.5, 1.0)),
                    "santri_count": santri,
                    "umum_count": enrolled - santri,
                }
            )
            month = first_of_month(end)
            graduates_by_month[month] = graduates_by_month.get(month, 0) + graduated
            start = end + dt.timedelta(days=rng.randint(10, 45))
        graduates = 0
        income_level = rng.choice([0, 0, 500_000, 2_000_000, 8_000_000])
        permit = rng.choice(
            [PermitStatus.PERMIT, PermitStatus.PERMIT, PermitStatus.ACCREDITED, PermitStatus.IN_PROCESS]
        )
        for age in range(ctx.months, -1, -1):
            period = add_months(current, -age)
            graduates += graduates_by_month.get(period, 0)
            first, last = month_bounds(period)
            if not centre.is_active_in_month(first, last):
                continue
            # The month in progress: some centres have started their draft.
            state = (S.DRAFT if rng.random() < 0.3 else None) if age == 0 else _state_for(age, rng, reliability)
            if index == 0 and age == 1:
                state = S.RETURNED  # the demo manager's to-do list shows a returned report
            if index == 1 and age == 1:
                state = None  # and the second demo manager has last month still to do
            if state is None:
                continue
            traced = int(graduates * rng.uniform(0.6, 0.95))
            split = [rng.random() for _ in range(4)]
            total = sum(split) or 1
            alumni = [int(traced * s / total) for s in split]
            report = {
                "centre_id": centre.pk,
                "period": period,
                "status": state,
                "alumni_bekerja": alumni[0],
                "alumni_wirausaha": alumni[1],
                "alumni_studi": alumni[2],
                "alumni_belum_bekerja": alumni[3],
                "alumni_tidak_terlacak": graduates - sum(alumni),
                "permit_status": permit,
                "permit_number": f"563/{centre.pk}/{period.year}" if permit != PermitStatus.IN_PROCESS else "",
                "permit_expiry": dt.date(period.year + 2, 12, 31) if permit != PermitStatus.IN_PROCESS else None,
                "managers_count": rng.randint(2, 5),
                "instructors_count": (instructors := rng.randint(2, 8)),
                "instructors_certified": rng.randint(0, instructors),
                "own_income": Decimal(int(income_level * rng.uniform(0.5, 1.5)) // 1000 * 1000),
                "operating_cost": Decimal(rng.randint(15, 60) * 100_000),
            }
            if state != S.DRAFT:
                deadline = deadline_date(period)
                on_time = rng.random() < punctual
                day = (
                    deadline - dt.timedelta(days=rng.randint(0, 9))
                    if on_time
                    else deadline + dt.timedelta(days=rng.randint(1, 25))
                )
                day = max(day, last + dt.timedelta(days=1))
                submitted = _moment(day, tz, rng)
                report["first_submitted_at"] = report["last_submitted_at"] = submitted
                report["deadline_at"] = dt.datetime.combine(deadline, END_OF_DAY, tzinfo=tz)
                report["on_time"] = submitted <= report["deadline_at"]
                if state in (S.VERIFIED, S.APPROVED):
                    report["verified_at"] = submitted + dt.timedelta(days=rng.randint(1, 6))
                    report["verified_by_id"] = actors["reviewer"].get(centre.province_id)
                if state == S.APPROVED:
                    report["approved_at"] = report["verified_at"] + dt.timedelta(days=rng.randint(1, 10))
                    report["approved_by_id"] = actors["directorate"]
                if state == S.RETURNED:
                    report["returned_at"] = submitted + dt.timedelta(days=rng.randint(1, 4))
                    report["returned_by_id"] = actors["reviewer"].get(centre.province_id)
                    report["return_reason"] = rng.choice(RETURN_REASONS)
                    report["unlocked_until"] = report["returned_at"] + dt.timedelta(days=14)
            reports.append(report)
    flush()
    _details(centre_ids, rng, current, actors)
    ctx.log(f"Laporan: {written[0]} angkatan dan {written[1]} laporan bulanan demo selesai.")


def _actors(centres) -> dict:
    managers = dict(
        RoleAssignment.objects.filter(role=Role.MANAGER, centre__in=[c.pk for c in centres[:50]]).values_list(
            "centre_id", "user_id"
        )
    )
    reviewers = dict(RoleAssignment.objects.filter(role=Role.REVIEWER).values_list("province_id", "user_id"))
    directorate = User.objects.filter(role_assignments__role=Role.DIRECTORATE).values_list("pk", flat=True).first()
    return {"manager": managers, "reviewer": reviewers, "directorate": directorate}


def _details(centre_ids, rng, current, actors):
    """Child rows and transitions for the most recent months (history pages, demo screens)."""
    since = add_months(current, -DETAIL_MONTHS)
    recent = list(
        Report.objects.filter(centre_id__in=centre_ids, period__gte=since)
        .order_by("pk")
        .values_list(
            "pk",
            "centre_id",
            "status",
            "own_income",
            "first_submitted_at",
            "verified_at",
            "approved_at",
            "returned_at",
            "return_reason",
        )
    )
    income, products, problems, partners, transitions = [], [], [], [], []
    for pk, centre_id, _status, own_income, submitted, verified, approved, returned, reason in recent:
        if own_income:
            income.append({"report_id": pk, "source": rng.choice(IncomeSource.values), "amount": own_income})
        if centre_id % 3 == 0:
            products.append(
                {
                    "report_id": pk,
                    "name": rng.choice(PRODUCTS),
                    "units_sold": rng.randint(5, 400),
                    "revenue": Decimal(rng.randint(5, 300) * 50_000),
                    "channel": rng.choice(SalesChannel.values[:2] * 4 + [SalesChannel.EKSPOR]),
                }
            )
        if centre_id % 4 == 0:
            partners.append(
                {
                    "report_id": pk,
                    "partner_name": rng.choice(PARTNERS),
                    "partner_type": rng.choice(PartnerType.values),
                    "mou_date": dt.date(2023, rng.randint(1, 12), 1),
                }
            )
        if rng.random() < 0.2:
            problems.append(
                {
                    "report_id": pk,
                    "category": rng.choice(ProblemCategory.values),
                    "description": "Peralatan praktik sebagian rusak.",
                    "support_needed": "Bantuan perbaikan peralatan.",
                }
            )
        manager = actors["manager"].get(centre_id)
        if submitted:
            transitions.append(
                {
                    "report_id": pk,
                    "action": TransitionAction.SUBMIT,
                    "from_status": S.DRAFT,
                    "to_status": S.SUBMITTED,
                    "actor_id": manager,
                    "at": submitted,
                }
            )
        if verified:
            transitions.append(
                {
                    "report_id": pk,
                    "action": TransitionAction.VERIFY,
                    "from_status": S.SUBMITTED,
                    "to_status": S.VERIFIED,
                    "at": verified,
                }
            )
        if approved:
            transitions.append(
                {
                    "report_id": pk,
                    "action": TransitionAction.APPROVE,
                    "from_status": S.VERIFIED,
                    "to_status": S.APPROVED,
                    "actor_id": actors["directorate"],
                    "at": approved,
                }
            )
        if returned:
            transitions.append(
                {
                    "report_id": pk,
                    "action": TransitionAction.RETURN,
                    "from_status": S.SUBMITTED,
                    "to_status": S.RETURNED,
                    "at": returned,
                    "reason": reason,
                }
            )
    for model, rows in (
        (ReportIncome, income),
        (ReportProduct, products),
        (ReportProblem, problems),
        (ReportPartnership, partners),
        (ReportTransition, transitions),
    ):
        insert_rows(model, rows)
    # One pending correction request, so the reviewers' screens show that flow too.
    approved = Report.objects.filter(centre_id__in=centre_ids[:3], status=S.APPROVED).order_by("-period")
    target = approved.first()
    if target is not None:
        CorrectionRequest.objects.create(
            report=target,
            reason="Satu alumni ternyata sudah bekerja; mohon izin memperbaiki angka alumni.",
            requested_by_id=actors["manager"].get(target.centre_id),
            requested_at=timezone.now(),
        )
    return len(transitions)
