"""Login lockouts cannot be abused: an attacker elsewhere cannot lock the directorate out, the
client address comes from X-Forwarded-For only behind configured proxies, and one address trying
many accounts is stopped."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches the portal from here
GOOD = "rahasia-uji-123"


def attempt(client, username, password, remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/masuk/", {"username": username, "password": password}, **extra)


def test_attacker_behind_the_proxy_cannot_lock_out_the_directorate(world, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(8):
        attempt(attacker, "directorate", f"tebakan-{n}", forwarded="203.0.113.66")
    assert attempt(attacker, "directorate", GOOD, forwarded="203.0.113.66").status_code == 429
    # The directorate, through the same proxy from its own office, still signs in.
    office = attempt(Client(), "directorate", GOOD, forwarded="198.51.100.7")
    assert office.status_code == 302 and office.url == "/"


def test_a_spoofed_forwarded_address_is_not_believed_behind_the_proxy(world, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    # The attacker writes the office's address into the header; the proxy appends the real one.
    for n in range(5):
        attempt(attacker, "directorate", f"tebakan-{n}", forwarded=f"198.51.100.7, 203.0.113.{n}")
    # Each request was counted under its real address, so the office is not locked ...
    assert attempt(Client(), "directorate", GOOD, forwarded="198.51.100.7").status_code == 302
    # ... and the attacker cannot dodge the lockout by rewriting the header either.
    for n in range(5):
        attempt(attacker, "manager_a", f"tebakan-{n}", forwarded=f"192.0.2.{n}, 203.0.113.9")
    assert attempt(attacker, "manager_a", GOOD, forwarded="192.0.2.77, 203.0.113.9").status_code == 429


def test_forwarded_header_is_ignored_without_trusted_proxies(world, settings):
    assert settings.PORTAL_TRUSTED_PROXY_COUNT == 0
    attacker = Client()
    # A different made-up X-Forwarded-For on every try does not reset the count: REMOTE_ADDR decides.
    for n in range(5):
        attempt(attacker, "manager_b", f"salah-{n}", remote="203.0.113.66", forwarded=f"192.0.2.{n}")
    locked = attempt(attacker, "manager_b", GOOD, remote="203.0.113.66", forwarded="192.0.2.200")
    assert locked.status_code == 429
    # The same header from another address is not locked: it is not who the header says.
    assert attempt(Client(), "manager_b", GOOD, remote="198.51.100.7", forwarded="203.0.113.66").status_code == 302


def test_one_address_guessing_many_accounts_is_locked(world, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    attacker = Client()
    for username in ("manager_a", "manager_b", "reviewer"):
        for n in range(2):
            response = attempt(attacker, username, f"salah-{n}", remote="203.0.113.66")
            assert response.status_code == (429 if (username, n) == ("reviewer", 1) else 200)
    # No single account reached five failures, but the address reached its limit of six.
    blocked = attempt(attacker, "fkn", GOOD, remote="203.0.113.66")
    assert blocked.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # Other addresses are unaffected.
    assert attempt(Client(), "fkn", GOOD, remote="198.51.100.7").status_code == 302


def test_signing_in_with_a_valid_account_does_not_reset_the_address_count(world, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    attacker = Client()
    for n in range(4):
        attempt(attacker, "manager_a", f"salah-{n}", remote="203.0.113.66")
    # The attacker owns a valid account and signs in with it between guesses.
    assert attempt(Client(), "norole", GOOD, remote="203.0.113.66").status_code == 302
    for n in range(2):
        attempt(attacker, "manager_b", f"salah-{n}", remote="203.0.113.66")
    assert attempt(Client(), "manager_a", GOOD, remote="203.0.113.66").status_code == 429
