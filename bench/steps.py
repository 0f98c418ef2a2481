"""The measured steps of the benchmark and what describes the run (machine, data size, session).

Each step_* runs in its own process (bench/harness.py) and returns a dict; the harness adds the
wall time and the process's peak resident memory.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import platform
import re
import subprocess
import time
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-direktorat"
BENCH_PROVINCE = "32"  # Jawa Barat: the province with the most centres in the demo data


# --- Description of the run ---------------------------------------------------------------------


def _first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) if "MemTotal" in meminfo else 0
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0]
    import django
    import openpyxl

    return {
        "nproc": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "os": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "openpyxl": openpyxl.__version__,
        "postgresql": pg.split(" on ")[0],
        "redis": _first_line(["redis-server", "--version"]),
        "gunicorn": _first_line([str(ROOT / ".venv" / "bin" / "gunicorn"), "--version"]),
        "wrk": _first_line(["wrk", "--version"]),
    }


def data_size() -> dict:
    from blkportal.registry.models import Centre
    from reporting.models import Report, TrainingBatch

    sizes = {
        "centres": Centre.objects.count(),
        "reports": Report.objects.count(),
        "training_batches": TrainingBatch.objects.count(),
    }
    try:
        from incubator.models import Tenant, TenantProgress

        sizes["tenants"] = Tenant.objects.count()
        sizes["tenant_progress"] = TenantProgress.objects.count()
    except ImportError:
        pass
    from monitoring.models import CentreMonth

    sizes["centre_months"] = CentreMonth.objects.count()
    return sizes


def bench_user():
    from blkportal.registry.models import Role, RoleAssignment, User

    user, _ = User.objects.get_or_create(
        username=BENCH_USER, defaults={"full_name": "Pengguna Benchmark (Direktorat)", "email": "bench@demo.blk.local"}
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.DIRECTORATE)
    return user


def session_cookie(username: str = BENCH_USER, *, user=None) -> str:
    """A logged-in session made with the configured session engine (no login form, no axes), for
    `user` (default: the directorate's benchmark user)."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = user or bench_user()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600)
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- Pages measured over HTTP -------------------------------------------------------------------


def _url(names: list[str], kwargs=None, query: str = "") -> str | None:
    for name in names:
        try:
            path = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            continue
        return path + (f"?{query}" if query else "")
    return None


def pages() -> list[dict]:
    """The pages to load, floor first. Targets: dashboards ≥ 50 % of the floor's throughput and
    p95 ≤ 150 ms; ranking first page (filtered) p95 ≤ 300 ms."""
    found = [
        {
            "key": "floor",
            "label": "Floor: 38-row province table",
            "path": _url(["monitoring:bench_floor"]),
            "target": "reference",
        },
        {
            "key": "national",
            "label": "National dashboard",
            "path": _url(["monitoring:dashboard"]),
            "target": "≥ 50 % of floor; p95 ≤ 150 ms",
            "p95_max": 150,
            "floor_share_min": 0.5,
        },
        {
            "key": "province",
            "label": f"Province dashboard ({BENCH_PROVINCE})",
            "path": _url(["monitoring:dashboard_province"], {"code": BENCH_PROVINCE}),
            "target": "≥ 50 % of floor; p95 ≤ 150 ms",
            "p95_max": 150,
            "floor_share_min": 0.5,
        },
        {
            "key": "catalogue",
            "label": "Public catalogue of produk unggulan (cached)",
            "path": _url(["communication:catalogue"]),
            "target": "≥ 50 % of floor",
            "floor_share_min": 0.5,
        },
        {
            "key": "ranking",
            "label": "Ranking page (page 1, filtered)",
            "path": _url(
                ["monitoring:ranking_list", "monitoring:ranking", "monitoring:rankings"],
                None,
                f"province={BENCH_PROVINCE}",
            ),
            "target": "p95 ≤ 300 ms",
            "p95_max": 300,
        },
    ]
    for page in found:
        if not page["path"]:
            page["why"] = "URL not built yet"
    return found


# --- Steps run in their own process -------------------------------------------------------------


def step_facts() -> dict:
    """Full rebuild of the monitoring facts (target ≤ 20 s for 127,620 centre-months)."""
    from monitoring import services

    started = time.monotonic()
    result = services.facts_rebuild()
    seconds = round(time.monotonic() - started, 2)
    return {"rows": result["rows"], "seconds": seconds, "target_seconds": 20, **facts_coverage()}


def facts_coverage() -> dict:
    """One fact row per expected centre-month: the expected centre-months are counted here straight
    from the registry in SQL (a centre is expected in a month it was active on at least one day of,
    from the monitoring start to the current month), independently of the facts builder, and
    compared with the fact rows marked expected and with those missing."""
    from django.db import connection

    from blkportal.core.months import current_month
    from monitoring.facts import facts_start

    sql = """
        WITH months AS (
            SELECT generate_series(%s::date, %s::date, interval '1 month')::date AS first_day
        ), expected AS (
            SELECT c.id AS centre_id, m.first_day
            FROM registry_centre c JOIN months m
              ON c.activated_on <= (m.first_day + interval '1 month' - interval '1 day')::date
             AND (c.deactivated_on IS NULL OR c.deactivated_on > m.first_day)
        )
        SELECT
            (SELECT count(*) FROM expected),
            (SELECT count(*) FROM monitoring_centremonth WHERE expected),
            (SELECT count(*) FROM expected e WHERE NOT EXISTS (
                SELECT 1 FROM monitoring_centremonth f
                WHERE f.centre_id = e.centre_id AND f.month = e.first_day AND f.expected)),
            (SELECT count(*) FROM monitoring_centremonth)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [facts_start(), current_month()])
        expected, marked, missing, rows = cursor.fetchone()
    return {
        "expected_centre_months": expected,
        "fact_rows_expected": marked,
        "expected_missing": missing,
        "fact_rows": rows,
    }


def step_ranking() -> dict:
    """Recompute the default scheme's live ranking for the default period (target ≤ 5 s)."""
    from monitoring import services

    versions = services.current_versions()
    if not versions:
        return {"skipped": "no ranking scheme"}
    version = next((v for v in versions if v.scheme.is_default), versions[0])
    period = services.default_period()
    started = time.monotonic()
    snapshot = services.ranking_compute(version=version, period=period)
    seconds = round(time.monotonic() - started, 2)
    return {
        "version": str(version),
        "period": period.isoformat(),
        "entries": snapshot.entry_count,
        "ranked": snapshot.ranked_count,
        "seconds": seconds,
        "target_seconds": 5,
    }


def _all_reports_params() -> dict:
    from reporting.models import Report

    first = Report.objects.order_by("period").values_list("period", flat=True).first()
    last = Report.objects.order_by("-period").values_list("period", flat=True).first()
    return {"period_from": f"{first:%Y-%m}", "period_to": f"{last:%Y-%m}"}


def step_export() -> dict:
    """The full reports export, exactly as the worker runs it (exporter + styled writer + progress)."""
    return _export()


def step_export_split() -> dict:
    """The same export with the per-sheet row limit lowered to BENCH_SPLIT_ROWS (default 100,000),
    so the split by year runs on real data even when the export fits on one sheet (SCALE=large)."""
    settings.EXPORT_SHEET_MAX_ROWS = int(os.environ.get("BENCH_SPLIT_ROWS", "100000"))
    return {**_export(), "sheet_max_rows": settings.EXPORT_SHEET_MAX_ROWS}


def _export() -> dict:
    from monitoring import services_exports
    from monitoring.models import ExportJob

    job = ExportJob.objects.create(owner=bench_user(), kind="reports", parameters=_all_reports_params())
    started = time.monotonic()
    job = services_exports.export_run(job_id=job.pk)
    seconds = round(time.monotonic() - started, 2)
    size = job.file.size if job.file else 0
    result = {
        "status": job.status,
        "error": job.error_message,
        "note": job.note,
        "rows": job.row_count,
        "section_rows": _section_rows(),
        "columns": _export_columns(),
        "seconds": seconds,
        "file_mb": round(size / 1e6, 1),
    }
    if job.file:
        result["sheets"] = _sheet_names(job.file.path)
        job.file.delete(save=False)
    job.delete()
    return result


def _sheet_names(path: str) -> list[str]:
    """The sheet names from the file's index (xl/workbook.xml): openpyxl, even read-only, would load
    the shared strings and count their memory against the export's."""
    with zipfile.ZipFile(path) as archive:
        index = archive.read("xl/workbook.xml").decode()
    return [html.unescape(name) for name in re.findall(r'<sheet [^>]*?name="([^"]*)"', index)]


def _section_rows() -> int:
    from monitoring.exporters.reports import ReportExporter

    exporter = ReportExporter(user=bench_user(), params=_all_reports_params())
    return sum(qs.count() for _title, _columns, _specs, qs in exporter.sections())


def _export_columns() -> int:
    from monitoring.exporters.reports import ReportExporter

    return len(ReportExporter(user=bench_user(), params={}).columns())


def _plain(value):
    """The least openpyxl needs to accept a value: no tzinfo, no lists (the JSON warnings)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (list, dict)):
        return str(value)
    return value


def step_bare() -> dict:
    """The floor of the export: the same queries and rows (reports and their section sheets),
    appended to plain openpyxl write-only sheets with no styles, labels or progress (only what
    openpyxl requires: tzinfo dropped, JSON as text)."""
    from openpyxl import Workbook

    from monitoring.exporters.reports import ReportExporter

    exporter = ReportExporter(user=bench_user(), params=_all_reports_params())
    sheets = [(exporter.title, exporter.columns(), exporter.ordered_values())]
    sheets += [(title, columns, qs) for title, columns, _specs, qs in exporter.sections()]
    path = Path(settings.PRIVATE_MEDIA_ROOT) / f"bare-{uuid.uuid4().hex}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    wb = Workbook(write_only=True)
    rows = 0
    for title, columns, qs in sheets:
        ws = wb.create_sheet(str(title)[:31])
        ws.append([str(c.header) for c in columns])
        for row in qs.iterator(chunk_size=2000):
            ws.append([_plain(v) for v in row[:-1]])
            rows += 1
    wb.save(path)
    seconds = round(time.monotonic() - started, 2)
    size = path.stat().st_size
    path.unlink()
    return {"rows": rows, "seconds": seconds, "file_mb": round(size / 1e6, 1)}


def step_freshness() -> dict:
    """Approve a verified report with a real Celery worker running and time until the dashboard
    shows it (target ≤ 5 s). Filled in by bench/freshness.py."""
    from bench.freshness import measure

    return measure()


def step_autosave() -> dict:
    """Autosave under load: N managers on their own drafts, open-loop at a target rate, then
    saturated; every last acknowledged value checked in the database. Filled in by bench/autosave.py."""
    from bench.autosave import measure

    return measure()


def step_import() -> dict:
    """Registry import of 2,127 centres with the usual region-name variants: the dry run of a file
    with 20 bad rows (target ≤ 10 s), then a clean file checked and applied (target ≤ 20 s). The
    application is rolled back afterwards so the bench database stays as seeded."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from blkportal.core.models import ImportJob, ImportStatus
    from blkportal.registry import imports
    from tests.registry.import_files import national_file

    user = bench_user()

    def job_for(file) -> ImportJob:
        job = ImportJob(kind=imports.KIND, owner=user, file_name=file.name, expires_at=timezone.now() + dt.timedelta(1))
        job.file.save("bench.xlsx", ContentFile(file.read()), save=False)
        job.save()
        return job

    results = {"rows": 2127, "bad_rows": 20}
    bad = job_for(national_file(2127, bad=20))
    started = time.monotonic()
    checked = imports.centre_import_check(job_id=bad.pk)
    results["dry_run_seconds"] = round(time.monotonic() - started, 2)
    results["dry_run_summary"] = checked.summary
    clean = job_for(national_file(2127, bad=0))
    imports.centre_import_check(job_id=clean.pk)
    ImportJob.objects.filter(pk=clean.pk).update(status=ImportStatus.APPLYING)
    with transaction.atomic():
        started = time.monotonic()
        applied = imports.centre_import_apply(job_id=clean.pk)
        results["apply_seconds"] = round(time.monotonic() - started, 2)
        results["apply_status"] = applied.status
        results["apply_summary"] = applied.summary
        transaction.set_rollback(True)
    for job in (bad, clean):
        job.file.delete(save=False)
    ImportJob.objects.filter(pk__in=[bad.pk, clean.pk]).delete()
    results["target_dry_run_seconds"], results["target_apply_seconds"] = 10, 20
    return results
