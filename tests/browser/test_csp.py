"""The browser suite runs with the Content-Security-Policy enforced and notices a violation."""

from playwright.sync_api import expect


def test_pages_are_served_with_the_policy_and_a_violation_is_caught(page, world, login, live_server, csp_violations):
    response = page.goto(f"{live_server.url}/masuk/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login(page, world.manager_a)
    # The language switch works without an inline handler.
    page.select_option("#lang", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not csp_violations
    # An inline style injected into the page is refused by the browser and recorded.
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<div style="color: red">x</div>')""")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here; any other test with a violation fails


def test_django_admin_and_swagger_ui_work_under_the_policy(page, world, login, live_server):
    from tests.factories import UserFactory

    root = UserFactory(username="akar", is_superuser=True, is_staff=True)
    login(page, root)
    for path in ("/admin/", "/admin/registry/user/", f"/admin/registry/user/{world.manager_a.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    page.goto(f"{live_server.url}/admin/registry/centre/{world.centre_a.pk}/change/")
    expect(page.locator("#centre_form")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("BLK Komunitas API", timeout=15000)
