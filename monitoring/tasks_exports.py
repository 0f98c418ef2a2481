"""Celery tasks of exports. Ids in; the service re-fetches the job and re-checks the owner's scope.

Registered through settings.CELERY_IMPORTS (monitoring.tasks is another module's), and routed to the
"exports" queue so a national export never waits behind, or blocks, fact refreshes.

The run is idempotent (a finished job is left alone, a running one starts over), so it is
acknowledged late and handed back to the queue when its worker dies (`reject_on_worker_lost`); a
database error retries with back-off. The broker's visibility timeout (settings) is longer than the
time limit, so a slow export is never delivered twice while it runs.
"""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

EXPORT_TIME_LIMIT = settings.EXPORT_TIME_LIMIT


@shared_task(
    name="monitoring.export_run",
    queue="exports",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=4,
    soft_time_limit=EXPORT_TIME_LIMIT,
    time_limit=EXPORT_TIME_LIMIT + 60,
)
def export_run_task(job_id: int) -> None:
    from .services_exports import export_run

    export_run(job_id=job_id)


@shared_task(name="monitoring.export_expire_old", queue="exports", ignore_result=True)
def export_expire_old_task() -> int:
    from .services_exports import export_expire_old

    return export_expire_old()


@shared_task(name="monitoring.export_sweep", queue="default", ignore_result=True)
def export_sweep_task() -> int:
    """Every minute: fail the jobs whose worker vanished, so their owners can retry."""
    from .services_exports import export_sweep

    return export_sweep()
