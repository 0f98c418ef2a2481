"""Transactional outbox: Celery tasks recorded in the database with the change that asks for them.

`enqueue()` writes an OutboxTask row in the caller's transaction. After the commit a best-effort
"kick" publishes the relay task; if the broker is down the kick is swallowed (logged) and the write
still answers success. The relay (`relay()`, run by the kick and by beat every few seconds) publishes
pending rows:

- a row without a key is published as its own task and deleted (at least once: the task itself must
  be idempotent or harmless when repeated, like an e-mail notice or an export run);
- a row with a key (a coalesced, idempotent job such as a fact refresh of one centre-month) is
  published as `core.outbox_run(pk)`, which locks the row, runs the job and deletes the row in one
  transaction. While the row is pending, `enqueue()` with the same key only touches it (taking its
  lock), so a change committed before the run starts is read by that run, and a change made while it
  runs waits for the lock and then adds a new row. A run that fails (or a worker that dies) rolls
  back and leaves the row, which is published again after a back-off.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Heartbeat, OutboxTask

logger = logging.getLogger(__name__)

BATCH = 500


def enqueue(task: str, *args, key: str | None = None, queue: str = "", **kwargs) -> None:
    """Record `task(*args, **kwargs)` to run after the current transaction commits.

    With `key`, a pending row with the same key absorbs this one (the job must read current data and
    be idempotent). Arguments must be JSON (ids and ISO dates).
    """
    now = timezone.now()
    # The queue is decided when the task is asked for (the task's own queue unless given).
    queue = queue or getattr(_task(task), "queue", None) or ""
    row = OutboxTask(task=task, args=list(args), kwargs=kwargs, queue=queue, key=key, available_at=now)
    if key is None:
        row.save()
    else:
        # ON CONFLICT (key) DO UPDATE: the update takes the pending row's lock until this transaction
        # ends, so the relay cannot run it before this change is committed.
        OutboxTask.objects.bulk_create(
            [row], update_conflicts=True, unique_fields=["key"], update_fields=["touched_at"]
        )
    transaction.on_commit(kick)


def _eager() -> bool:
    from celery import current_app

    return bool(current_app.conf.task_always_eager)


def kick() -> None:
    """Ask a worker to run the relay now. Never raises because of the broker: beat runs it anyway."""
    if _eager():
        # No broker (development, most tests): publish in-process, so tasks run right away.
        relay()
        return
    from .tasks import outbox_relay

    try:
        outbox_relay.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - the broker may fail in any way; the outbox row is safe
        logger.warning("Outbox kick failed (broker unavailable?); beat will relay the pending tasks", exc_info=True)


def _task(name: str):
    """The registered task `name`; a web process imports the task modules on first use."""
    from celery import current_app
    from celery.exceptions import NotRegistered

    try:
        return current_app.tasks[name]
    except NotRegistered:
        current_app.loader.import_default_modules()
        return current_app.tasks[name]


def _publish(row: OutboxTask) -> None:
    """Publish one row, on its own queue or else the one its task declares."""
    target = _task(row.task)
    if row.key is None:
        options = {"queue": row.queue} if row.queue else {}
        target.apply_async(args=row.args, kwargs=row.kwargs, retry=False, **options)
    else:
        from .tasks import outbox_run

        queue = row.queue or getattr(target, "queue", None) or outbox_run.queue
        outbox_run.apply_async(args=[row.pk], retry=False, queue=queue)


def relay(limit: int | None = None) -> int:
    """Publish pending rows until none is left or the broker fails. Returns how many were published."""
    redispatch = dt.timedelta(seconds=settings.OUTBOX_REDISPATCH_SECONDS)
    published = 0
    while limit is None or published < limit:
        now = timezone.now()
        sent, failed = 0, False
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(available_at__lte=now)
                .exclude(dispatched_at__gt=now - redispatch)
                .order_by("pk")[:BATCH]
            )
            done_keyless, done_keyed = [], []
            for row in rows:
                try:
                    _publish(row)
                except Exception:  # noqa: BLE001 - stop at the first broker failure, keep the rest
                    if _eager():
                        raise
                    logger.warning("Outbox relay could not publish %s; will retry", row, exc_info=True)
                    failed = True
                    break
                (done_keyed if row.key else done_keyless).append(row.pk)
                sent += 1
            OutboxTask.objects.filter(pk__in=done_keyless).delete()
            OutboxTask.objects.filter(pk__in=done_keyed).update(dispatched_at=now)
        published += sent
        if failed or len(rows) < BATCH:
            break
    if published:
        beat("outbox_relay")
    return published


def run(pk: int) -> bool:
    """Run the keyed row `pk` and delete it in one transaction (see the module docstring).

    Returns False when the row is gone (an earlier message already ran it). A failure rolls back and
    backs the row off exponentially, then re-raises.
    """
    try:
        with transaction.atomic():
            row = OutboxTask.objects.select_for_update().filter(pk=pk).first()
            if row is None:
                return False
            _task(row.task).run(*row.args, **row.kwargs)
            row.delete()
    except Exception as exc:
        try:
            attempts = OutboxTask.objects.filter(pk=pk).values_list("attempts", flat=True).first()
            if attempts is not None:
                delay = min(10 * 2**attempts, 3600)
                OutboxTask.objects.filter(pk=pk).update(
                    attempts=attempts + 1,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    dispatched_at=None,
                    available_at=timezone.now() + dt.timedelta(seconds=delay),
                )
        except Exception:  # noqa: BLE001 - the database itself may be the failure; the row stays
            logger.warning("Could not record the failure of outbox task %s", pk, exc_info=True)
        raise
    beat(row.task)
    return True


def beat(name: str) -> None:
    """Record that `name` just succeeded (for /sehat/)."""
    Heartbeat.objects.update_or_create(name=name[:50], defaults={"at": timezone.now()})


def pending_summary() -> dict:
    """How many tasks wait and since when (for /sehat/ and operators)."""
    oldest = OutboxTask.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return {"pending": OutboxTask.objects.count(), "oldest": oldest}
