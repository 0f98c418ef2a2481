"""Celery tasks of the registry: the invitation e-mail of an imported account. Ids in; the service
re-fetches.

The registry import's own task names of before the imports were generalised stay as aliases of the
core ones (blkportal/core/tasks.py), so a message queued under an old name still runs."""

from celery import shared_task


@shared_task(name="registry.account_invite", acks_late=True, ignore_result=True)
def account_invite_task(user_id: int) -> None:
    from .services import account_invite_send

    account_invite_send(user_id=user_id)


@shared_task(name="registry.centre_import_check", acks_late=True, ignore_result=True)
def centre_import_check_task(job_id: int) -> None:
    from blkportal.core.imports import import_check

    import_check(job_id=job_id)


@shared_task(name="registry.centre_import_apply", acks_late=True, ignore_result=True)
def centre_import_apply_task(job_id: int) -> None:
    from blkportal.core.imports import import_apply

    import_apply(job_id=job_id)


@shared_task(name="registry.import_expire_old", ignore_result=True)
def import_expire_old_task() -> int:
    from blkportal.core.imports import import_expire_old

    return import_expire_old()
