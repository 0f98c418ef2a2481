"""Real-browser tests: Playwright drives Debian's Chromium against live_server.

Chromium is at /usr/bin/chromium (Playwright cannot download its own browser here). Without it
these tests skip, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails the run.

Pages run under the portal's enforced Content-Security-Policy, and any violation (an inline script,
event handler or style attribute the browser refused) fails the test that caused it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}


def page_width(page) -> int:
    """The page's width once it has loaded: a layout read earlier may come before the stylesheets
    apply (an image at its natural width), which a person never sees."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


DESKTOP = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs all browser tests: two Chromiums on two cores thrash.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} and REQUIRE_BROWSER=1")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber + " on " + document.location.pathname);
});
"""


@pytest.fixture
def csp_violations():
    """The Content-Security-Policy violations seen by every page of the test's browser context."""
    return []


@pytest.fixture
def context(context, csp_violations):
    """Every page of the test reports CSP violations (Chromium's console message and the DOM event);
    the test fails if there was any."""
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            csp_violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.on("console", on_console)
    yield context
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def shot():
    """shot(page, "name") saves a full-page screenshot to test-artifacts/ and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(live_server):
    """login(page, user) signs in through the real login form."""

    def do(page, user, password="rahasia-uji-123"):
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
