"""django-axes: repeated failed logins through the real login view lock the account."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post("/masuk/", {"username": username, "password": password})


def test_five_failures_lock_the_account_in_indonesian(world):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    for n in range(1, 5):
        response = attempt(client, "manager_a", f"salah-{n}")
        assert response.status_code == 200, n
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    locked = attempt(client, "manager_a", "salah-5")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Akun terkunci sementara" in body and "Coba lagi dalam satu jam" in body
    assert '<html lang="id">' in body
    # The right password afterwards is still refused, and no session is made.
    again = attempt(client, "manager_a", "rahasia-uji-123")
    assert again.status_code == 429 and "Akun terkunci sementara" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert Client().get("/").status_code == 302


def test_lockout_is_per_account_and_success_before_the_limit_resets(world):
    client = Client()
    for n in range(4):
        attempt(client, "manager_b", f"salah-{n}")
    ok = attempt(client, "manager_b", "rahasia-uji-123")
    assert ok.status_code == 302 and ok.url == "/"
    client.post("/keluar/")
    # The counter was reset by the success: four more failures do not lock.
    for n in range(4):
        assert attempt(client, "manager_b", f"lagi-{n}").status_code == 200
    # Another account from the same address is not locked by manager_b's failures.
    assert attempt(Client(), "manager_a", "rahasia-uji-123").status_code == 302
