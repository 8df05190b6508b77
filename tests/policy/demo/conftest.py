"""tests/policy/demo/: pytest-plone's fixtures on the demo site, as `make create-site` builds it."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

import shutil

import pytest


@pytest.fixture
def integration(demo_integration_session, demo_integration):
    return demo_integration


@pytest.fixture
def functional(demo_functional_session, demo_functional):
    return demo_functional


# Real-browser tests: Debian's chromium driven by Playwright (no downloaded browser build).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless and quiet: no sandbox as root in CI, and no background calls to the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh British-English context per test (downloads allowed, for the signed PDF)."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in():
    """A function that logs ``page`` in as a demo user through the login form, as a person would."""
    from links.policy.demo.users import DEMO_PASSWORD

    def log_in(page, portal_url, userid):
        page.goto(f"{portal_url}/login")
        page.get_by_label("Login name").fill(userid)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("networkidle")

    return log_in
