"""API test helpers: a token per persona and a JSON client that sends it."""

import itertools
import json

import pytest
from django.core.cache import cache
from django.test import Client

from blkportal.api import services as api_services


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # Throttle counters live in the (local-memory) cache; start every test with none.
    cache.clear()
    yield
    cache.clear()


class JsonClient:
    """A Django test client that speaks JSON with a personal token (like a script would)."""

    def __init__(self, token: str | None = None, language: str | None = None):
        self.client = Client()
        self.headers = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def request(self, method, url, data=None, raw=None, content_type="application/json", **headers):
        kwargs = {"headers": {**self.headers, **headers}}
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type)
        elif data is not None:
            kwargs.update(data=json.dumps(data), content_type=content_type)
        if method == "get":
            return self.client.get(url, data or {}, headers=kwargs["headers"])
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url, params=None, **headers):
        return self.request("get", url, params, **headers)

    def post(self, url, data=None, **kw):
        return self.request("post", url, data, **kw)

    def patch(self, url, data=None, **kw):
        return self.request("patch", url, data, **kw)

    def put(self, url, data=None, **kw):
        return self.request("put", url, data, **kw)

    def delete(self, url, **kw):
        return self.request("delete", url, **kw)


@pytest.fixture
def token_for(world):
    """token_for("manager_a") -> a fresh personal token (the raw string) of that persona."""

    counter = itertools.count(1)

    def make(name, token_name="uji"):
        _, raw = api_services.token_create(by=world.users[name], name=f"{token_name}-{name}-{next(counter)}")
        return raw

    return make


@pytest.fixture
def api_for(token_for):
    """api_for("manager_a") -> JsonClient authenticated with that persona's token."""

    def make(name, language=None):
        return JsonClient(token_for(name) if name != "anon" else None, language=language)

    return make
