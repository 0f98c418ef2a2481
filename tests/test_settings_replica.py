"""DATABASE_REPLICA_URL in settings: absent, nothing changes; present, the replica alias, its router
and middleware; misconfigurations stop the start with a message."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = Path(__file__).resolve().parent.parent / "blkportal" / "settings.py"
PRIMARY = "postgres://blk@db.internal:5432/blkportal"
REPLICA = "postgres://blk@replica.internal:5432/blkportal"


def load(monkeypatch, **env):
    for key in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DATABASE_REPLICA_PIN_SECONDS", "DJANGO_ENV"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_replica_there_is_one_database_and_no_routing(monkeypatch):
    s = load(monkeypatch, DATABASE_URL=PRIMARY)
    assert list(s["DATABASES"]) == ["default"]
    assert s["DATABASE_ROUTERS"] == []
    assert not any("dbrouting" in m for m in s["MIDDLEWARE"])


def test_a_replica_adds_its_alias_router_and_middleware(monkeypatch):
    s = load(monkeypatch, DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA)
    replica = s["DATABASES"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("replica.internal", "blkportal")
    # Tests read the test database made on the primary through the replica's own server.
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == 3
    assert s["DATABASE_ROUTERS"] == ["blkportal.core.dbrouting.PrimaryReplicaRouter"]
    middleware = s["MIDDLEWARE"]
    position = middleware.index("blkportal.core.dbrouting.ReadYourWritesMiddleware")
    assert middleware[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_REPLICA_URL": REPLICA}, "needs a PostgreSQL DATABASE_URL"),
        ({"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": "sqlite:///x.db"}, "must be a postgres:// URL"),
        (
            {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": REPLICA, "DATABASE_REPLICA_PIN_SECONDS": "5"},
            "DATABASE_REPLICA_PIN_SECONDS must be at least",
        ),
    ],
)
def test_a_misconfigured_replica_stops_the_start(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(monkeypatch, **env)
