"""Real Chromium on the demo site: the council auditor compares two versions of a record and looks at it
as it stood on a date, from the record's "History and audit" page, using the labelled form controls."""

from datetime import date

import pytest

from links.content.words import version_label

pytestmark = pytest.mark.browser


def _record_with_versions(portal):
    """A demo record with at least two saved versions (the demo edits and re-saves several)."""
    from plone import api

    from links.content.history import api as history

    with api.env.adopt_roles(["Manager"]):
        for brain in api.content.find(context=portal, portal_type=["EnterAndViewReport", "Constitution"]):
            obj = brain.getObject()
            if history.is_versioned(obj) and len(history.versions(obj)) >= 2:
                return obj.absolute_url(), history.versions(obj)
    raise LookupError("no demo record with two versions")


def test_auditor_compares_versions_and_reads_a_record_as_of_today(functional_portal, page, log_in):
    record_url, versions = _record_with_versions(functional_portal)
    log_in(page, functional_portal.absolute_url(), "auditor")
    page.goto(f"{record_url}/@@history-and-audit")
    page.get_by_role("link", name="Compare two versions").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Older version").select_option(str(versions[0]["version_id"]))
    page.get_by_label("Newer version").select_option(str(versions[-1]["version_id"]))
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("networkidle")
    # Versions are numbered for people from 1 (CMFEditions' id + 1).
    heading = f"{version_label(versions[0]['version_id'])} and {version_label(versions[-1]['version_id'])}"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("table", name=heading).is_visible()

    page.goto(f"{record_url}/@@as-of")
    page.get_by_label("Date").fill(date.today().isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    today = date.today()
    assert page.get_by_role("heading", name=f"As it stood on {today.day} {today:%B %Y}").is_visible()
    assert f"{version_label(versions[-1]['version_id'])}, saved on" in page.content()
