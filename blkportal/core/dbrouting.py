"""The read replica: which database a query goes to (docs/operations.md, "Read replica").

Without DATABASE_REPLICA_URL none of this is installed: one database, as always. With it, settings
add the "replica" alias, `PrimaryReplicaRouter` and `ReadYourWritesMiddleware`, and:

- Every write, every read inside a transaction and every read outside a replica scope goes to the
  primary ("default"). Who may see what (roles, scope, the object a URL names) is read there too.
- A replica scope (`replica_reads`, `read_from_replica`, `replica_view`, `ReplicaReadsMixin`) is opened
  only around work that reads many rows and can show data a moment old: the dashboards' bodies,
  the rankings, the data of an export, the API's lists. Inside it reads go to the replica, except
  - for a client that wrote in the last DATABASE_REPLICA_PIN_SECONDS (read-your-writes: the
    middleware pins it to the primary after any POST/PUT/PATCH/DELETE or any write in a request);
  - while the replica is unreachable (then for DATABASE_REPLICA_RETRY_SECONDS) or more than
    DATABASE_REPLICA_MAX_LAG seconds behind;
  - when the caller needs data at least as new as a position of the primary's WAL that the replica
    has not replayed yet (a dashboard cached under a facts version, an export).
  If the replica fails in the middle of the work, the work runs again on the primary.

A physical streaming replica replays whole transactions in commit order, so each read of the
replica sees a consistent (if slightly older) state: a page built from it can miss the newest rows,
never half of a transaction.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router

from . import months as clock

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
PIN_COOKIE = "blk_primary"
DB_ERRORS = (OperationalError, InterfaceError)
# Writes that are bookkeeping, not something the user will look for on the next page.
NOT_USER_WRITES = frozenset({"sessions.session", "api.apitoken"})

# True inside a replica scope that chose the replica.
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("blk_replica_reading", default=False)
# The current request's write marker (set by the middleware).
_writes: contextvars.ContextVar[_Writes | None] = contextvars.ContextVar("blk_request_writes", default=None)


class _Writes:
    seen = False


class _Health:
    """What this process last learnt about the replica (shared by its threads)."""

    lock = threading.Lock()
    checked = float("-inf")  # time.monotonic() of the last probe
    lag = 0.0
    down_until = float("-inf")


def enabled() -> bool:
    """A replica is configured and the router is installed."""
    return REPLICA in settings.DATABASES and any(isinstance(r, PrimaryReplicaRouter) for r in router.routers)


class PrimaryReplicaRouter:
    """Reads inside a replica scope go to the replica (an object read from the primary keeps reading
    its relations there); everything else, and every write, goes to the primary."""

    def db_for_read(self, model, **hints):
        if not _reading.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and instance._state.db == PRIMARY:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        writes = _writes.get()
        if writes is not None and model._meta.label_lower not in NOT_USER_WRITES:
            writes.seen = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows: an object read from the replica may point at one read from the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


# --- Read-your-writes ------------------------------------------------------------------------------


def _pin_key(user_id) -> str:
    return f"dbrouting:pin:{user_id}"


class ReadYourWritesMiddleware:
    """After a request that wrote (an unsafe method, or any write in the request), the client reads
    from the primary for DATABASE_REPLICA_PIN_SECONDS: a cookie for the browser (held by no server, so
    every process sees it) and a cache entry for the user (API tokens, other devices)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        writes = _Writes()
        token = _writes.set(writes)
        try:
            response = self.get_response(request)
        finally:
            _writes.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") or writes.seen:
            _pin(request, response)
        return response


def _pin(request, response) -> None:
    seconds = settings.DATABASE_REPLICA_PIN_SECONDS
    until = int(clock.now().timestamp()) + seconds + 1
    if "HTTP_AUTHORIZATION" not in request.META:
        response.set_cookie(
            PIN_COOKIE,
            str(until),
            max_age=seconds + 1,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        cache.set(_pin_key(user.pk), until, seconds + 1)


def pinned(request) -> bool:
    """Did this client (cookie) or this user (cache) write in the last DATABASE_REPLICA_PIN_SECONDS?"""
    now = clock.now().timestamp()
    try:
        if int(request.COOKIES.get(PIN_COOKIE, "0")) > now:
            return True
    except ValueError:
        pass
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return (cache.get(_pin_key(user.pk)) or 0) > now
    return False


# --- Replica health and lag ------------------------------------------------------------------------

# Seconds the replica is behind (0 when it has replayed all it received and is still receiving; from
# the last replayed commit otherwise, which errs towards "behind" when the primary is idle), and
# whether it has replayed the primary's WAL up to %s (NULL: no such need). On a server that is not a
# standby (a replica URL pointing at a primary) both answers are "up to date".
PROBE_SQL = """
SELECT CASE
         WHEN NOT pg_is_in_recovery() THEN 0
         WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
              AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
         ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END,
       %s::pg_lsn IS NULL OR NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn
"""


def _probe(at_least: str | None) -> tuple[float, bool]:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(PROBE_SQL, [at_least, at_least])
        lag, caught_up = cursor.fetchone()
    return float(lag), bool(caught_up)


def _mark_down(exc: BaseException) -> None:
    seconds = settings.DATABASE_REPLICA_RETRY_SECONDS
    logger.warning("Read replica unavailable (%s); reading from the primary for %s s", exc, seconds)
    with _Health.lock:
        _Health.down_until = time.monotonic() + seconds
    with suppress(DB_ERRORS):
        connections[REPLICA].close()


def reset_health() -> None:
    """Forget what this process learnt about the replica (tests, after the replica is back)."""
    with _Health.lock:
        _Health.checked = float("-inf")
        _Health.lag = 0.0
        _Health.down_until = float("-inf")


def replica_usable(*, at_least: str | None = None, wait: float = 0.0) -> bool:
    """May reads use the replica now? It must answer, be at most DATABASE_REPLICA_MAX_LAG seconds
    behind and, with `at_least`, have replayed the primary's WAL up to that position (waiting up to
    `wait` seconds for it). Without `at_least` the lag is probed at most every
    DATABASE_REPLICA_CHECK_SECONDS per process."""
    if not enabled():
        return False
    now = time.monotonic()
    if now < _Health.down_until:
        return False
    if at_least is None and now - _Health.checked < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return _Health.lag <= settings.DATABASE_REPLICA_MAX_LAG
    deadline = now + wait
    while True:
        try:
            lag, caught_up = _probe(at_least)
        except DB_ERRORS as exc:
            _mark_down(exc)
            return False
        with _Health.lock:
            _Health.checked, _Health.lag = time.monotonic(), lag
        if lag > settings.DATABASE_REPLICA_MAX_LAG:
            return False
        if caught_up or time.monotonic() >= deadline:
            return caught_up
        time.sleep(0.05)


def primary_lsn() -> str | None:
    """The primary's current WAL position (None without a replica): what a reader of the replica
    must wait for to see everything committed so far."""
    if not enabled():
        return None
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _replica_failed(exc: BaseException) -> bool:
    """Did `exc` come from the replica (rather than the primary, or the code)? Either it went away
    (then it is left alone for DATABASE_REPLICA_RETRY_SECONDS) or it cancelled the query (e.g. a
    conflict with recovery): the work may run again on the primary. Asked once per exception."""
    known = getattr(exc, "_blk_replica_failed", None)
    if known is not None:
        return known
    failed = False
    if isinstance(exc, DB_ERRORS):
        conn = connections[REPLICA]
        failed = conn.errors_occurred  # Django marks the connection whose query raised
        try:
            conn.close_if_unusable_or_obsolete()
            conn.ensure_connection()
            alive = conn.is_usable()
        except DB_ERRORS:
            alive = False
        if not alive:
            failed = True
            _mark_down(exc)
        elif failed:
            logger.warning("Read replica query failed (%s); reading from the primary", exc)
    with suppress(AttributeError):
        exc._blk_replica_failed = failed
    return failed


# --- Replica scopes --------------------------------------------------------------------------------


@contextmanager
def replica_reads(request=None, *, at_least: str | None = None, wait: float = 0.0):
    """Reads inside go to the replica when it may be used (see the module docstring); yields whether
    it is. `request` is the client to keep on the primary after its own writes (None: a job)."""
    use = enabled() and not (request is not None and pinned(request)) and replica_usable(at_least=at_least, wait=wait)
    token = _reading.set(use)
    try:
        yield use
    except DB_ERRORS as exc:
        if use:
            _replica_failed(exc)
        raise
    finally:
        _reading.reset(token)


def read_from_replica(fn, *, request=None, at_least: str | None = None):
    """fn() with its reads in a replica scope; if the replica fails meanwhile, fn() again on the
    primary. fn must only read."""
    with replica_reads(request, at_least=at_least) as used:
        try:
            return fn()
        except DB_ERRORS as exc:
            if not used or not _replica_failed(exc):
                raise
    return fn()


def replica_view(view):
    """A read-only page (GET) whose queries go to the replica (see `read_from_replica`). Put it
    below the permission decorator: the user's roles are read from the primary."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return read_from_replica(lambda: view(request, *args, **kwargs), request=request)

    return wrapper


class ReplicaReadsMixin:
    """For DRF viewsets: the actions in `replica_actions` (by default the list) read from the replica,
    after authentication and permissions (read from the primary). If the replica fails during the
    action, the request is answered again from the primary."""

    replica_actions = ("list",)
    _replica_scope = None
    _replica_retry = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in self.replica_actions and enabled() and not self._replica_retry:
            self._replica_scope = replica_reads(request)
            self._replica_scope.__enter__()

    def _close_replica_scope(self):
        scope, self._replica_scope = self._replica_scope, None
        if scope is not None:
            scope.__exit__(None, None, None)

    def handle_exception(self, exc):
        scope_used = self._replica_scope is not None and _reading.get()
        self._close_replica_scope()
        if scope_used and not self._replica_retry and _replica_failed(exc):
            self._replica_retry = True
            from rest_framework.response import Response

            return Response(status=503)  # replaced by the answer from the primary (dispatch)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        self._close_replica_scope()
        return super().finalize_response(request, response, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if self._replica_retry:
            response = super().dispatch(request, *args, **kwargs)
            self._replica_retry = False
        return response
