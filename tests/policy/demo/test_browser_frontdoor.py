"""Real Chromium: a member of the public finds how to complain, complains, and sees only their reference;
the register and the disclosure log are in the menu and the log's rows open what was released (#17)."""

import re

import pytest
import transaction
from plone import api

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _references(portal):
    transaction.begin()  # see what the served site committed
    with api.env.adopt_roles(["Manager"]):
        return {obj.reference: obj.absolute_url() for obj in portal["complaints"].objectValues()}


def test_anonymous_visitor_complains_from_the_home_page(functional_portal, page):
    url = functional_portal.absolute_url()
    before = _references(functional_portal)
    page.goto(url)
    # The home page says how; the menu has it too.
    assert page.locator("#portal-globalnav").get_by_role("link", name="Make a complaint").is_visible()
    page.locator("#content").get_by_role("link", name="Make a complaint").click()
    assert page.title().startswith("Make a complaint —")
    assert "Make a complaint" in page.locator("#portal-breadcrumbs").inner_text()
    page.get_by_label("The network's conduct").check()
    page.get_by_label("Your complaint").fill("The drop-in was closed without notice three weeks running.")
    page.get_by_label("Your name").fill("Beth Ashworth")
    page.get_by_label("Your e-mail address").fill("beth@example.org")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Send my complaint").click()
    page.wait_for_load_state("networkidle")
    reference = page.locator(".links-reference").inner_text()
    assert re.fullmatch(r"C-\d{4}-\d{4}", reference)
    assert "We will write to acknowledge it by" in page.content()
    screenshot(page, "public")
    # Nothing of any other case is on the page, and the new case itself is not public.
    content = page.content()
    assert not [other for other in before if other in content]
    complaint_url = _references(functional_portal)[reference]
    response = page.goto(complaint_url)
    assert response.status in (401, 403) or "Log in" in page.content()
    assert "Beth Ashworth" not in page.content()


def test_refusals_answer_with_their_own_status(functional_portal, page):
    url = functional_portal.absolute_url()
    page.goto(f"{url}/@@ask-for-information")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.get_by_role("button", name="Send my request").click()
    assert info.value.status == 400
    assert "Give an e-mail address, a telephone number or a postal address" in page.content()


def test_openness_pages_are_in_the_menu_with_their_titles(functional_portal, page):
    url = functional_portal.absolute_url()
    for name in ("Register of interests", "Disclosure log"):
        page.goto(url)
        with page.expect_navigation():
            page.locator("#portal-globalnav").get_by_role("link", name=name).click()
        assert page.title() == f"{name} — Northbridge Local Involvement Network"
        assert page.locator("#portal-breadcrumbs .active").inner_text().strip() == name


def test_disclosure_log_rows_open_what_was_released(functional_portal, page):
    page.goto(f"{functional_portal.absolute_url()}/@@disclosure-log")
    link = page.locator("table.listing a").first
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    "path",
    [
        "",
        "@@complain",
        "@@ask-for-information",
        "@@share-your-experience",
        "@@register-of-interests",
        "@@disclosure-log",
    ],
)
def test_public_pages_meet_wcag_aa(functional_portal, page, accessible, path):
    """axe-core: no critical or serious WCAG 2.2 AA violation, at desktop width and at 375 px."""
    page.goto(f"{functional_portal.absolute_url()}/{path}")
    accessible(page)


def test_the_first_tab_reaches_a_skip_link_to_the_content(functional_portal, page):
    page.goto(f"{functional_portal.absolute_url()}/@@disclosure-log")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    # The next Tab lands in the content (the log's first link), not in the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#content')")


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _press in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_a_complaint_can_be_made_with_the_keyboard_alone(functional_portal, page):
    page.goto(f"{functional_portal.absolute_url()}/@@complain")
    _tab_to(page, "input[name^='form.widgets.about']")
    page.keyboard.press("Space")
    _tab_to(page, "textarea[name='form.widgets.details']")
    page.keyboard.type("Nobody answered the phone at the drop-in.")
    _tab_to(page, "input[name='form.widgets.complainant_name']")
    page.keyboard.type("Ravi Chandra")
    _tab_to(page, "input[name='form.widgets.complainant_phone']")
    page.keyboard.type("01632 960 555")
    _tab_to(page, "input[type='checkbox'][name^='form.widgets.consent_to_share']")
    page.keyboard.press("Space")
    _tab_to(page, "button[name='form.buttons.send'], input[name='form.buttons.send']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".links-reference").is_visible()
