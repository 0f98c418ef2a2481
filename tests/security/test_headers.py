"""Response headers: no-store for signed-in pages and the API, an enforced Content-Security-Policy on
pages, the API schema and docs for signed-in users only."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/blk/", "/profil/", "/laporan/antrean/", "/monitoring/"])
def test_signed_in_pages_are_not_stored(client_for, url):
    response = client_for("directorate").get(url, follow=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_not_stored(client_for, api_for):
    assert "no-store" in api_for("directorate").get("/api/v1/centres/")["Cache-Control"]
    assert "no-store" in client_for("directorate").get("/api/v1/me/")["Cache-Control"]
    # Refusals too.
    assert "no-store" in Client().get("/api/v1/centres/")["Cache-Control"]


@pytest.mark.parametrize("url", ["/masuk/", "/", "/blk/"])
def test_pages_carry_an_enforced_content_security_policy(client_for, url):
    response = client_for("manager_a").get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_api_schema_and_docs_need_a_signed_in_user(client_for, api_for):
    anonymous = Client()
    schema = anonymous.get("/api/v1/schema/")
    assert schema.status_code == 401
    assert schema.json()["code"] == "not_authenticated"
    docs = anonymous.get("/api/v1/docs/")
    assert docs.status_code == 302 and docs.url.startswith("/masuk/?next=/api/v1/docs/")
    assert anonymous.get("/api/v1/docs/?script=").status_code == 302
    # Signed in (page session or personal token), they are there.
    assert client_for("manager_a").get("/api/v1/schema/").status_code == 200
    assert api_for("manager_a").get("/api/v1/schema/").status_code == 200
    page = client_for("manager_a").get("/api/v1/docs/")
    assert page.status_code == 200 and b"<script>" not in page.content
    assert client_for("manager_a").get("/api/v1/docs/?script=").status_code == 200


def test_a_setting_opens_the_api_docs(settings):
    settings.API_DOCS_PUBLIC = True
    assert Client().get("/api/v1/docs/").status_code == 200
    assert Client().get("/api/v1/schema/").status_code == 200
