"""Celery tasks of the outbox: the relay (kicked after each commit and run by beat) and the runner of
coalesced jobs."""

from celery import shared_task


@shared_task(name="core.outbox_relay", queue="facts", ignore_result=True)
def outbox_relay() -> int:
    from .outbox import relay

    return relay()


@shared_task(name="core.outbox_run", queue="facts", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outbox_run(pk: int) -> bool:
    from .outbox import run

    return run(pk)


# Imports (blkportal/core/imports.py): ids in; the service re-fetches the job and acts as its owner,
# whose permission it checks again.
@shared_task(name="core.import_check", acks_late=True, ignore_result=True)
def import_check(job_id: int) -> None:
    from .imports import import_check as check

    check(job_id=job_id)


@shared_task(name="core.import_apply", acks_late=True, ignore_result=True)
def import_apply(job_id: int) -> None:
    from .imports import import_apply as apply

    apply(job_id=job_id)


@shared_task(name="core.import_expire_old", ignore_result=True)
def import_expire_old() -> int:
    from .imports import import_expire_old as expire

    return expire()
