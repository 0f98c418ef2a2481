"""Helpers for monitoring tests: reports and batches written straight to the database with exact
times (hand-computed fixtures), tenants with stage history and progress."""

import datetime as dt
from decimal import Decimal

import pytest

from blkportal.core.months import deadline_for
from blkportal.registry.models import Kejuruan
from incubator.models import Tenant, TenantProgress, TenantStageChange
from reporting.models import Report, ReportPartnership, TrainingBatch

FIRST_MONTH = dt.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def _monitoring_start(settings):
    # Centres are expected to report from January 2024 in these tests.
    settings.MONITORING_FIRST_MONTH = "2024-01"


def report(centre, period, status="approved", submitted_at=None, partner=None, **values):
    """A report in `status`, first submitted at `submitted_at` (aware), with section B/C values."""
    defaults = {
        "alumni_bekerja": 0,
        "alumni_wirausaha": 0,
        "alumni_studi": 0,
        "alumni_belum_bekerja": 0,
        "alumni_tidak_terlacak": 0,
        "own_income": Decimal(0),
    }
    defaults.update(values)
    if status != "draft" and submitted_at is None:
        submitted_at = dt.datetime.combine(period.replace(day=28), dt.time(9), tzinfo=dt.UTC) + dt.timedelta(days=5)
    # As report_submit does: the deadline in force is stored and timeliness judged once.
    deadline = deadline_for(centre, period) if submitted_at is not None else None
    obj = Report.objects.create(
        centre=centre,
        period=period,
        status=status,
        first_submitted_at=submitted_at,
        deadline_at=deadline,
        on_time=None if deadline is None else submitted_at <= deadline,
        last_submitted_at=submitted_at,
        return_reason="perbaiki" if status == "returned" else "",
        **defaults,
    )
    if partner:
        ReportPartnership.objects.create(report=obj, partner_name="PT Mitra", partner_type=partner)
    return obj


def batch(centre, start, end, male=10, female=6, graduated=14, failed=1, withdrawn=1, certified=10, code="teknik-las"):
    return TrainingBatch.objects.create(
        centre=centre,
        kejuruan=Kejuruan.objects.get(code=code),
        program_name="Pelatihan uji",
        funding_source="apbn",
        start_date=start,
        end_date=end,
        enrolled_male=male,
        enrolled_female=female,
        graduated=graduated,
        failed=failed,
        withdrawn=withdrawn,
        certified=certified,
    )


def tenant(centre, entry, stages=(), baseline_workers=1, baseline_omzet=1_000_000, progress=(), name="Usaha"):
    """A tenant entered on `entry` (pra-inkubasi), then `stages` = [(date, stage), ...],
    and `progress` = [(month, workers, omzet), ...]."""
    final = stages[-1][1] if stages else "pra_inkubasi"
    since = stages[-1][0] if stages else entry
    obj = Tenant.objects.create(
        centre=centre,
        owner_name="Pemilik",
        owner_sex="L",
        business_name=name,
        legal_form="perorangan",
        sector="jasa",
        stage=final,
        stage_since=since,
        entry_date=entry,
        baseline_workers=baseline_workers,
        baseline_omzet=Decimal(baseline_omzet),
    )
    TenantStageChange.objects.create(tenant=obj, from_stage="", to_stage="pra_inkubasi", changed_on=entry)
    previous = "pra_inkubasi"
    for day, stage in stages:
        TenantStageChange.objects.create(tenant=obj, from_stage=previous, to_stage=stage, changed_on=day)
        previous = stage
    for month, workers, omzet in progress:
        TenantProgress.objects.create(tenant=obj, month=month, workers=workers, omzet=Decimal(omzet), profit=0)
    return obj
