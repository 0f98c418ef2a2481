"""Permission-matrix rows of the export pages and the benchmark floor (monitoring/urls_exports.py).

Jobs belong to their owner alone: every other persona, admins included, gets 404 for them.
"""

import datetime as dt

from tests.matrix import NOT_FOUND, OK, REDIRECT, Row

EXPORTERS = {
    "manager_a": OK,
    "manager_b": OK,
    "reviewer": OK,
    "directorate": OK,
    "fkn": OK,
    "fkn_jabar": OK,
    "admin": OK,
}


def _job(world, status="done", expired=False):
    """A finished tenants export of manager_a (a real file under PRIVATE_MEDIA_ROOT)."""
    from django.utils import timezone

    from monitoring import services_exports
    from monitoring.models import ExportJob

    job = ExportJob.objects.create(owner=world.manager_a, kind="tenants")
    if status == "done":
        services_exports.export_run(job_id=job.pk)
    else:
        ExportJob.objects.filter(pk=job.pk).update(status=status, progress=30)
    if expired:
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    return job


ROWS = [
    Row("monitoring:history_import", {"admin": OK}, note="past reports come in as approved: administrators only"),
    Row("monitoring:history_import_template", {"admin": OK}),
    Row("monitoring:export_list", EXPORTERS, note="mentors and users without a role hold no export_data"),
    Row(
        "monitoring:export_list",
        EXPORTERS,
        method="post",
        data=lambda w: {"kind": "tidak-ada", "file_format": "xlsx"},
        note="an unknown kind re-renders the form with a message; nothing is queued",
    ),
    Row("monitoring:export_status", {"manager_a": OK}, kwargs=lambda w: {"pk": _job(w, status="running").pk}),
    Row("monitoring:export_download", {"manager_a": OK}, kwargs=lambda w: {"pk": _job(w).pk}),
    Row(
        "monitoring:export_download",
        {"manager_a": 410},
        kwargs=lambda w: {"pk": _job(w, expired=True).pk},
        note="expired: 410 with a message for the owner, 404 for everyone else",
    ),
    Row(
        "monitoring:export_download",
        {"manager_a": NOT_FOUND},
        kwargs=lambda w: {"pk": _job(w, status="running").pk},
        note="not finished yet: nothing to download",
    ),
    Row(
        "monitoring:export_retry",
        {"manager_a": REDIRECT},
        method="post",
        kwargs=lambda w: {"pk": _job(w, status="failed").pk},
        note="the owner's failed job is queued again; anyone else gets 404",
    ),
]
