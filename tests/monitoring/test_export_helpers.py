"""Shared data for the export tests (no tests here): reports, batches and tenants of the world."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.utils import timezone

from reporting.models import Report, TrainingBatch
from tests.factories import kejuruan

UTC = dt.UTC


def make_reports(world):
    """Reports for Jan-Mar 2024 for A and B, and Jan-Feb 2024 for C (WIT), plus one outside the range."""
    rows = []
    for centre, months in ((world.centre_a, 3), (world.centre_b, 3), (world.centre_c, 2)):
        for m in range(1, months + 1):
            rows.append(
                Report.objects.create(
                    centre=centre,
                    period=dt.date(2024, m, 1),
                    status=Report.Status.APPROVED if m == 1 else Report.Status.SUBMITTED,
                    alumni_bekerja=10 + m,
                    alumni_wirausaha=3,
                    alumni_tidak_terlacak=2,
                    own_income=Decimal(1_500_000 * m),
                    operating_cost=Decimal(700_000),
                    managers_count=3,
                    notes='=HYPERLINK("http://x")' if centre == world.centre_b and m == 1 else "Catatan\tbaik",
                    # 14:30 UTC on the 10th: 21:30 WIB, 23:30 WIT.
                    first_submitted_at=dt.datetime(2024, m + 1, 10, 14, 30, tzinfo=UTC),
                    on_time=True,
                )
            )
    Report.objects.create(centre=world.centre_a, period=dt.date(2023, 12, 1), own_income=Decimal(1))
    first = rows[0]  # centre A, January 2024
    first.partnerships.create(partner_name="PT Maju Las", partner_type="dudi", mou_date=dt.date(2023, 11, 2))
    first.income_lines.create(source="pelatihan", amount=Decimal(1_000_000), description="Kursus las berbayar")
    first.income_lines.create(source="unit_usaha", amount=Decimal(500_000))
    first.products.create(name="Pagar besi", units_sold=4, revenue=Decimal(6_000_000), channel="lokal")
    first.problems.create(category="pasar", description="Permintaan turun", support_needed="Promosi")
    return rows


def make_batches(world):
    las = kejuruan("teknik-las")
    return [
        TrainingBatch.objects.create(
            centre=world.centre_a,
            kejuruan=las,
            program_name="Las Dasar Angkatan 1",
            funding_source="apbn",
            start_date=dt.date(2024, 1, 8),
            end_date=dt.date(2024, 2, 20),
            hours_jp=240,
            enrolled_male=12,
            enrolled_female=4,
            graduated=14,
            failed=1,
            withdrawn=1,
            certified=10,
        ),
        TrainingBatch.objects.create(
            centre=world.centre_b,
            kejuruan=las,
            program_name="Las Lanjutan",
            funding_source="mitra",
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2024, 4, 15),
            enrolled_male=16,
        ),
    ]


def make_tenants(world):
    from incubator.models import Tenant, TenantProgress

    tenant = Tenant.objects.create(
        centre=world.centre_a,
        owner_name="Siti Rahma",
        owner_sex="P",
        business_name="Keripik Singkong Rahma",
        legal_form="perorangan",
        sector="jasa_boga",
        stage="inkubasi",
        stage_since=dt.date(2023, 6, 1),
        entry_date=dt.date(2023, 1, 10),
        baseline_omzet=Decimal(2_000_000),
        baseline_workers=1,
        has_pirt=True,
    )
    for month, omzet, workers in ((dt.date(2024, 1, 1), 3_000_000, 2), (dt.date(2024, 2, 1), 4_500_000, 3)):
        TenantProgress.objects.create(
            tenant=tenant,
            month=month,
            omzet=Decimal(omzet),
            profit=Decimal(omzet // 4),
            workers=workers,
            market_channels=["media_sosial", "langsung"],
            problem_tags=["pasar"],
        )
    other = Tenant.objects.create(
        centre=world.centre_b,
        owner_name="Budi",
        owner_sex="L",
        business_name="Bengkel Budi",
        legal_form="perorangan",
        sector="jasa",
        stage_since=dt.date(2024, 1, 1),
        entry_date=dt.date(2024, 1, 1),
    )
    return tenant, other


def read_xlsx(job):
    """The job's file as an openpyxl workbook (normal mode, so styles can be inspected)."""
    with job.file.storage.open(job.file.name, "rb") as fh:
        return openpyxl.load_workbook(BytesIO(fh.read()))


def sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def as_dicts(ws):
    rows = sheet_rows(ws)
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def local(value, tz):
    return timezone.localtime(value, timezone=zoneinfo.ZoneInfo(tz)).replace(tzinfo=None)


# Words of the English field names Django makes up when a field has no verbose_name, and of the
# English catalogue: none may stand in a header of an Indonesian export.
ENGLISH_WORDS = {
    "warnings",
    "created",
    "updated",
    "submitted",
    "verified",
    "approved",
    "returned",
    "uploaded",
    "content",
    "type",
    "by",
    "at",
    "user",
    "code",
    "name",
    "province",
    "month",
    "report",
    "year",
    "built",
    "rank",
    "ranking",
    "score",
    "page",
}
# One small export of each kind over make_every_kind's data.
EXPORT_PARAMS = {
    "reports": {"period_from": "2024-01", "period_to": "2024-03"},
    "compliance": {"period_from": "2024-01", "period_to": "2024-03"},
    "ranking": {"period_to": "2024-03"},
    "tenants": {},
    "batches": {},
}


def english_in(header) -> set[str]:
    """The English words of a header ("Created by (pengguna)" -> {"created", "by"})."""
    return {w.strip("():,").lower() for w in str(header).split()} & ENGLISH_WORDS


def run_export(user, kind, language="id", **params):
    """Run one export job of `user` to the end (as the worker would) and return it, done."""
    from monitoring import services_exports
    from monitoring.models import ExportJob, ExportStatus

    job = ExportJob.objects.create(owner=user, kind=kind, parameters=params, language=language)
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.error_message
    return job


def make_every_kind(world):
    """A little of everything each export kind reads: reports, batches, tenants, a fact, a ranking."""
    from tests.monitoring.test_export_kinds import _fact, _ranking

    make_reports(world)
    make_batches(world)
    make_tenants(world)
    _fact(world.centre_a, dt.date(2024, 1, 1), expected=True, reported=True, on_time=True, verified=True)
    _ranking(world)
    return world
