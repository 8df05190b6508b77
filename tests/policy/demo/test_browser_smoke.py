"""A real Chromium, driven by Playwright, logs in as the chair on a served demo site."""

import pytest

from links.policy.demo.users import DEMO_PASSWORD

pytestmark = pytest.mark.browser


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
