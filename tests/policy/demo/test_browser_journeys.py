"""Each role's journey in a real Chromium, from the home page it lands on after logging in, with axe-core
WCAG 2.2 AA checks (desktop and 375 px) on every page of the way (#17)."""

import json

import pytest
import transaction
from plone import api

from links.policy.demo.users import DEMO_PASSWORD

from .conftest import screenshot
from .test_browser_signing import REPORT
from .test_browser_signing import _presign_all_but_one

pytestmark = pytest.mark.browser


def _complaint(portal, state):
    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        for obj in portal["complaints"].objectValues():
            if api.content.get_state(obj) == state:
                return obj
    raise LookupError(state)


def test_member_finds_the_report_awaiting_signature_and_signs_it(functional_portal, page, log_in, accessible):
    report = functional_portal.unrestrictedTraverse(REPORT)
    _presign_all_but_one(report)
    log_in(page, functional_portal.absolute_url(), "chair")
    page.goto(functional_portal.absolute_url())
    panel = page.locator(".links-role", has_text="Awaiting your signature")
    assert report.Title() in panel.inner_text()
    screenshot(page, "member")
    accessible(page)
    panel.get_by_role("link", name="Read and sign").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/@@sign")
    accessible(page)
    page.get_by_label("Approve").check()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign").click()
    page.wait_for_load_state("networkidle")
    assert "Signed off on" in page.locator("section.links-signatures").inner_text()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_officer_acknowledges_sees_deadlines_and_assigns_a_reviewer(
    functional_portal, page, log_in, accessible
):
    url = functional_portal.absolute_url()
    received = _complaint(functional_portal, "received")
    appealed = _complaint(functional_portal, "appeal_requested")
    log_in(page, url, "complaints")
    page.goto(url)
    panel = page.locator(".links-role", has_text="Open cases by due date")
    assert received.Title() in panel.inner_text()
    screenshot(page, "officer")
    accessible(page)
    # The deadlines, from the home page and from the menu.
    panel.get_by_role("link", name="All deadlines").click()
    assert page.title().startswith("Statutory deadlines")
    assert page.locator("#portal-globalnav").get_by_role("link", name="Deadlines").is_visible()
    accessible(page)
    # Acknowledge from the record's state menu: the answer says what happens next, with the date.
    page.goto(received.absolute_url())
    accessible(page)
    page.locator("#plone-contentmenu-workflow > a").click()
    page.locator("#workflow-transition-acknowledge").click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".portalMessage", has_text="Acknowledged.").inner_text()
    assert "Response due by " in message
    # The appeal: the record shows the action; an ineligible reviewer is refused with the reason.
    page.goto(appealed.absolute_url())
    page.get_by_role("link", name="Assign a reviewer").click()
    accessible(page)
    page.get_by_label("Independent reviewer").fill("complaints")
    page.get_by_role("button", name="Assign").click()
    assert "does not hold the Independent Reviewer role" in page.content()
    page.get_by_label("Independent reviewer").fill("reviewer")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_load_state("networkidle")
    assert "The independent reviewer has been assigned." in page.content()


def test_auditor_reads_history_compares_versions_and_verifies_the_trail(
    sealed, functional_portal, page, log_in, accessible
):
    url = functional_portal.absolute_url()
    log_in(page, url, "auditor")
    page.goto(url)
    panel = page.locator(".links-role", has_text="Reading the record")
    assert "History and audit" in panel.inner_text()
    # The site was sealed when it was created (#15): the panel names the checkpoint and links its page.
    assert "The audit trail was last sealed at entry" in panel.inner_text()
    assert (
        panel.get_by_role("link", name="The latest checkpoint")
        .get_attribute("href")
        .endswith("/@@audit-checkpoints")
    )
    screenshot(page, "auditor")
    accessible(page)
    report = functional_portal.unrestrictedTraverse("reports/visit-homecare-signed")
    page.goto(report.absolute_url())
    page.get_by_role("link", name="History and audit").first.click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    page.get_by_role("link", name="Compare two versions").click()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    page.goto(url)
    with page.expect_navigation():
        page.locator(".links-role").get_by_role("link", name="Verify the whole audit trail").click()
    assert json.loads(page.locator("body").inner_text())["ok"] is True
