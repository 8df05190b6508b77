"""tests/policy/demo/: pytest-plone's fixtures on the demo site, as `make create-site` builds it."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def integration(demo_integration_session, demo_integration):
    return demo_integration


@pytest.fixture
def functional(demo_functional_session, demo_functional):
    return demo_functional


@pytest.fixture
def sealed(functional_portal):
    """The demo site with a signed audit checkpoint, as ``create_site`` leaves a real site (#15); the test
    layer installs the profiles without it."""
    import transaction

    from links.content.audit import api as audit

    audit.checkpoint(functional_portal)
    transaction.commit()
    return functional_portal


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


#: Set LINKS_SCREENSHOTS to a folder to save the journeys' pictures (the README's docs/screenshots/).
SCREENSHOTS = os.environ.get("LINKS_SCREENSHOTS")


def screenshot(page, name: str) -> None:
    """Save the viewport as ``<name>.png`` in ``LINKS_SCREENSHOTS`` (nothing when it is not set)."""
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


# axe-core (npm, pinned in package.json; `make test` runs `npm ci`), injected into the page by the test.
AXE = Path(__file__).parents[3] / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.2 A and AA rules (axe's tags), the level the network's pages must meet.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page) -> list[str]:
    """axe-core's critical and serious WCAG 2.2 AA violations on the page as it is, one line each."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed ({AXE}): run `npm ci` in the repository (make test does).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def overflows(page) -> int:
    """How many pixels the page is wider than its viewport (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def accessible():
    """A check for a page: no serious axe violation at desktop width, and none and no overflow at 375 px."""

    def check(page):
        problems = [f"{page.url}: {line}" for line in serious_violations(page)]
        size = page.viewport_size
        page.set_viewport_size({"width": 375, "height": 812})
        try:
            page.reload()
            problems += [f"{page.url} at 375 px: {line}" for line in serious_violations(page)]
            wider = overflows(page)
            if wider > 0:
                problems.append(f"{page.url} at 375 px is {wider} px too wide")
        finally:
            page.set_viewport_size(size)
        assert problems == []

    return check
