"""A Redis cache that fails soft: when Redis does not answer, reads miss and writes are dropped, so a
page built from the cache is built from the database instead of answering 500.

After a failure the cache is skipped for a few seconds (per process), so a dead Redis costs one
connection attempt per process and interval, not one per cache call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


def _fail_soft(method: str, fallback):
    def call(self, *args, **kwargs):
        from redis.exceptions import RedisError

        if time.monotonic() < self._down_until:
            return fallback(args, kwargs)
        try:
            return getattr(super(FailSoftRedisCache, self), method)(*args, **kwargs)
        except (RedisError, OSError):
            FailSoftRedisCache._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Redis cache unavailable (%s); answering from the database", method, exc_info=True)
            return fallback(args, kwargs)

    call.__name__ = method
    return call


def _default(args, kwargs):
    if "default" in kwargs:
        return kwargs["default"]
    return args[1] if len(args) > 1 else None


class FailSoftRedisCache(RedisCache):
    _down_until = 0.0

    get = _fail_soft("get", _default)
    get_many = _fail_soft("get_many", lambda args, kwargs: {})
    has_key = _fail_soft("has_key", lambda args, kwargs: False)
    set = _fail_soft("set", lambda args, kwargs: None)
    set_many = _fail_soft("set_many", lambda args, kwargs: [])
    add = _fail_soft("add", lambda args, kwargs: False)
    touch = _fail_soft("touch", lambda args, kwargs: False)
    delete = _fail_soft("delete", lambda args, kwargs: False)
    delete_many = _fail_soft("delete_many", lambda args, kwargs: None)

    @classmethod
    def is_down(cls) -> bool:
        return time.monotonic() < cls._down_until
