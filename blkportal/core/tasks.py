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
