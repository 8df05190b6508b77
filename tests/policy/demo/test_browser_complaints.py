"""Real Chromium on the demo site: the complaints officer assigns a reviewer, who then reads the case."""

import pytest

pytestmark = pytest.mark.browser


def _by_state(portal, state):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        for obj in portal["complaints"].objectValues():
            if api.content.get_state(obj) == state:
                return obj.absolute_url(), obj.complainant_name
    raise LookupError(state)


def test_officer_assigns_an_independent_reviewer(functional_portal, page, log_in):
    url = functional_portal.absolute_url()
    complaint_url, _name = _by_state(functional_portal, "appeal_requested")
    log_in(page, url, "complaints")
    page.goto(f"{complaint_url}/@@assign-reviewer")
    field = page.get_by_label("Independent reviewer")
    # The investigating officer is refused, with the reason on the form.
    field.fill("complaints")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_load_state("networkidle")
    assert "does not hold the Independent Reviewer role" in page.content()
    page.get_by_label("Independent reviewer").fill("reviewer")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == complaint_url
    assert "The independent reviewer has been assigned." in page.content()
    assert "Under independent review" in page.content()


def test_reviewer_reads_assigned_case_but_not_others(functional_portal, page, log_in):
    url = functional_portal.absolute_url()
    assigned_url, name = _by_state(functional_portal, "under_independent_review")
    other_url, _other = _by_state(functional_portal, "under_investigation")
    log_in(page, url, "reviewer")
    page.goto(assigned_url)
    assert name in page.content()
    response = page.goto(other_url)
    assert response.status in (401, 403) or "Insufficient Privileges" in page.content()
    assert _other not in page.content()
