"""Celery tasks of exports. Ids in; the service re-fetches the job and re-checks the owner's scope.

Registered through settings.CELERY_IMPORTS (monitoring.tasks is another module's), and routed to the
"exports" queue so a national export never waits behind, or blocks, fact refreshes.
"""

from celery import shared_task


@shared_task(name="monitoring.export_run", queue="exports", acks_late=True, ignore_result=True)
def export_run_task(job_id: int) -> None:
    from .services_exports import export_run

    export_run(job_id=job_id)


@shared_task(name="monitoring.export_expire_old", queue="exports", ignore_result=True)
def export_expire_old_task() -> int:
    from .services_exports import export_expire_old

    return export_expire_old()
