"""Personal API tokens: created on the profile, shown once, stored hashed, revocable, throttled."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from blkportal.api import services as api_services
from blkportal.api.models import ApiToken
from blkportal.core.errors import DomainError
from tests.api.conftest import JsonClient

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_hash(world):
    token, raw = api_services.token_create(by=world.manager_a, name="skrip laporan")
    assert raw.startswith(f"blk_{token.prefix}_") and len(raw) > 50
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    # The secret part appears in no column.
    secret = raw.split("_", 2)[2]
    assert all(secret not in str(value) for value in ApiToken.objects.filter(pk=token.pk).values().first().values())


def test_bearer_and_token_keywords_authenticate_as_the_owner(world):
    _, raw = api_services.token_create(by=world.manager_a, name="a")
    for keyword in ("Bearer", "Token", "bearer"):
        response = Client().get("/api/v1/me/", headers={"Authorization": f"{keyword} {raw}"})
        assert response.status_code == 200
        assert response.json()["username"] == "manager_a"
        assert response.json()["token"].startswith("blk_")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer blk_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "Bearer nonsense",
        "Bearer",
        "Bearer a b",
        "Token blk_",
    ],
)
def test_wrong_tokens_are_401_with_a_json_error(world, header):
    response = Client().get("/api/v1/centres/", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_tampered_secret_with_a_real_prefix_is_refused(world):
    _, raw = api_services.token_create(by=world.manager_a, name="a")
    tampered = raw[:-4] + ("AAAA" if not raw.endswith("AAAA") else "BBBB")
    assert Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401


def test_revoked_token_and_inactive_user_stop_working_at_once(world):
    token, raw = api_services.token_create(by=world.manager_a, name="a")
    client = JsonClient(raw)
    assert client.get("/api/v1/me/").status_code == 200
    api_services.token_revoke(token=token, by=token.user)
    assert client.get("/api/v1/me/").status_code == 401

    _, raw_b = api_services.token_create(by=world.manager_b, name="b")
    world.manager_b.is_active = False
    world.manager_b.save()
    assert JsonClient(raw_b).get("/api/v1/me/").status_code == 401


def test_last_used_is_recorded(world):
    token, raw = api_services.token_create(by=world.manager_a, name="a")
    assert token.last_used_at is None
    JsonClient(raw).get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_names_are_required_and_unique_among_active_tokens(world):
    with pytest.raises(DomainError):
        api_services.token_create(by=world.manager_a, name="  ")
    token, _ = api_services.token_create(by=world.manager_a, name="skrip")
    with pytest.raises(DomainError) as exc:
        api_services.token_create(by=world.manager_a, name="skrip")
    assert exc.value.field == "name"
    api_services.token_revoke(token=token, by=token.user)
    api_services.token_create(by=world.manager_a, name="skrip")  # the name is free again
    api_services.token_create(by=world.manager_b, name="skrip")  # and per user anyway


def test_profile_links_to_the_token_page(client_for):
    page = client_for("manager_a").get(reverse("registry:profile"))
    assert reverse("api_tokens:token_list").encode() in page.content


def test_token_page_shows_a_new_token_once_and_lists_only_own_tokens(client_for, world):
    api_services.token_create(by=world.manager_b, name="milik manager_b")
    client = client_for("manager_a")
    created = client.post(reverse("api_tokens:token_list"), {"name": "skrip bulanan"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    raw = created.context["created"]["raw"]
    assert raw.encode() in created.content
    # Reloading the page never shows the token again; the list shows its prefix only.
    again = client.get(reverse("api_tokens:token_list"))
    assert raw.encode() not in again.content
    assert b"skrip bulanan" in again.content
    assert b"milik manager_b" not in again.content
    # It works at once.
    assert JsonClient(raw).get("/api/v1/me/").json()["username"] == "manager_a"


def test_token_page_keeps_the_typed_name_on_error(client_for, world):
    api_services.token_create(by=world.manager_a, name="dobel")
    response = client_for("manager_a").post(reverse("api_tokens:token_list"), {"name": "dobel"})
    assert response.status_code == 200
    assert "sudah punya token aktif" in response.content.decode()
    assert response.context["created"] is None


def test_revoke_from_the_page_only_for_own_tokens(client_for, world):
    token, raw = api_services.token_create(by=world.manager_b, name="b")
    url = reverse("api_tokens:token_revoke", kwargs={"pk": token.pk})
    assert client_for("manager_a").post(url).status_code == 404
    assert JsonClient(raw).get("/api/v1/me/").status_code == 200
    assert client_for("manager_b").post(url).status_code == 302
    assert JsonClient(raw).get("/api/v1/me/").status_code == 401


def test_throttling_counts_per_token(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/minute"}}
    _, first = api_services.token_create(by=world.manager_a, name="satu")
    _, second = api_services.token_create(by=world.manager_a, name="dua")
    one, two = JsonClient(first), JsonClient(second)
    assert [one.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = one.get("/api/v1/me/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    # Another token of the same user has its own budget.
    assert two.get("/api/v1/me/").status_code == 200


def test_a_forged_revoke_of_someone_elses_token_is_refused(world):
    token, raw = api_services.token_create(by=world.manager_b, name="milik b")
    for intruder in (world.manager_a, world.admin):
        with pytest.raises(DomainError) as info:
            api_services.token_revoke(token=token, by=intruder)
        assert info.value.code == "forbidden"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
