"""Absolute links for e-mails and messages that leave the portal.

The base is PORTAL_BASE_URL when it is set. Otherwise it is the host the portal was last reached on
(`make run` on another port, a demo behind a tunnel): the current request's host inside a request,
and for Celery tasks the one the middleware last saw (kept in the cache, shared with workers when
Redis is configured). Only when the portal has never been reached is it the local default.
"""

from __future__ import annotations

import contextvars

from django.conf import settings
from django.core.cache import cache

LOCAL_DEFAULT = "http://127.0.0.1:8000"
CACHE_KEY = "portal:base-url"
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("portal_base_url", default=None)


def base_url() -> str:
    configured = (getattr(settings, "PORTAL_BASE_URL", "") or "").strip()
    if configured:
        return configured.rstrip("/")
    current = _current.get()
    if current:
        return current
    try:
        seen = cache.get(CACHE_KEY)
    except Exception:  # a cache outage must not stop an e-mail
        seen = None
    return (seen or LOCAL_DEFAULT).rstrip("/")


def absolute(path: str) -> str:
    """The absolute URL of a path ("/laporan/12/") on this portal."""
    return base_url() + path


class BaseUrlMiddleware:
    """Remember the scheme and host this request came in on, for links built during it (and later)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (getattr(settings, "PORTAL_BASE_URL", "") or "").strip():
            return self.get_response(request)
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except Exception:  # DisallowedHost: Django answers 400 itself
            return self.get_response(request)
        token = _current.set(base)
        try:
            if cache.get(CACHE_KEY) != base:
                cache.set(CACHE_KEY, base, None)
        except Exception:
            pass
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
