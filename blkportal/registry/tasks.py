"""Celery tasks of the registry: the centre import's dry run and application. Ids in; the service
re-fetches the job and acts as its owner, whose scope it checks again."""

from celery import shared_task


@shared_task(name="registry.centre_import_check", acks_late=True, ignore_result=True)
def centre_import_check_task(job_id: int) -> None:
    from .imports import centre_import_check

    centre_import_check(job_id=job_id)


@shared_task(name="registry.centre_import_apply", acks_late=True, ignore_result=True)
def centre_import_apply_task(job_id: int) -> None:
    from .imports import centre_import_apply

    centre_import_apply(job_id=job_id)


@shared_task(name="registry.import_expire_old", ignore_result=True)
def import_expire_old_task() -> int:
    from .imports import import_expire_old

    return import_expire_old()
