"""API tokens do not outlive the credentials they were made with: a password change or reset and a
deactivation revoke them, and the profile page says so."""

import re

import pytest
from django.core import mail
from django.test import Client

from blkportal.api import services as api_services
from blkportal.api.models import ApiToken
from blkportal.registry import services as registry_services

pytestmark = pytest.mark.django_db

OLD = "rahasia-uji-123"
NEW = "sandi-baru-yang-panjang-77"


def works(raw):
    return Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_password_change_revokes_tokens_and_the_profile_says_so(client_for, world):
    _, raw = api_services.token_create(by=world.manager_a, name="skrip laporan")
    _, other = api_services.token_create(by=world.manager_b, name="skrip lain")
    client = client_for("manager_a")
    response = client.post("/kata-sandi/ubah/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert not works(raw)
    assert works(other)  # someone else's token is untouched
    profile = client.get("/profil/").content.decode()
    assert 'id="tokens-auto-revoked"' in profile
    assert "dicabut otomatis" in profile and "karena kata sandi diubah" in profile
    # A new token afterwards works, and the notice goes away.
    _, fresh = api_services.token_create(by=world.manager_a, name="skrip baru")
    assert works(fresh)
    assert "tokens-auto-revoked" not in client.get("/profil/").content.decode()


def test_password_reset_revokes_tokens(world):
    _, raw = api_services.token_create(by=world.manager_a, name="skrip")
    Client().post("/kata-sandi/lupa/", {"email": world.manager_a.email})
    link = re.search(r"https?://[^\s]+/kata-sandi/atur/[^\s]+", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    client = Client()
    form_page = client.get(path, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert not works(raw)
    assert ApiToken.objects.get(user=world.manager_a).revoked_reason == "password"


def test_deactivation_revokes_tokens_for_good(world):
    _, raw = api_services.token_create(by=world.manager_a, name="skrip")
    registry_services.user_update(
        user=world.manager_a, email=world.manager_a.email, full_name="", is_active=False, by=world.admin
    )
    registry_services.user_update(
        user=world.manager_a, email=world.manager_a.email, full_name="", is_active=True, by=world.admin
    )
    # Reactivating the account does not bring the old token back.
    assert not works(raw)
    assert ApiToken.objects.get(user=world.manager_a).revoked_reason == "deactivated"


def test_signing_in_does_not_revoke_tokens(world):
    _, raw = api_services.token_create(by=world.manager_a, name="skrip")
    assert Client().post("/masuk/", {"username": "manager_a", "password": OLD}).status_code == 302
    assert works(raw)
