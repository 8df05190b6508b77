"""A real Chromium, driven by Playwright, logs in as the chair on a served demo site."""

import shutil

import pytest

from links.policy.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.browser

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
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    yield page
    context.close()


def test_chair_logs_in_and_sees_front_page(functional_portal, page):
    url = functional_portal.absolute_url()
    page.goto(f"{url}/login")
    page.get_by_label("Login name").fill("chair")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    page.goto(url)
    assert "Northbridge Local Involvement Network" in page.title()
    assert page.get_by_text("Enter and view", exact=False).first.is_visible()
    # The personal bar names who is logged in.
    assert "Margaret Okafor" in page.locator("#personaltools-menulink").inner_text()
