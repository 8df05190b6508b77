"""The audit trail as people read it on "History and audit": action titles, full names, details as
sentences with UK dates, a workflow step shown once; no ids, message ids, hashes or ISO dates."""

import html
import re

import pytest
import transaction
from plone import api
from zope.event import notify
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent

from links.content.audit import api as audit
from links.content.audit import display
from links.content.events import RecordEvent
from links.content.roles import COUNCIL_AUDITOR
from links.content.testing import add_users

PASSWORD = "secret-audit-display-1"
#: What must never reach a person reading the trail.
RAW = re.compile(
    r"label_|_workflow|signature\.added|workflow\.transition|pending_signoff|sha256|\bseq\b|None\b|"
    r"\d{4}-\d{2}-\d{2}|\b0(\d) [A-Z][a-z]+ \d{4}"
)


def _trail(site, obj) -> list[dict]:
    audit.chain_now(site)
    return audit.entries({"uid": obj.UID()}, limit=1000, site=site)[1]


def _write_a_history(site, doc):
    """An edit, a domain event with its workflow step, signatures, a clock, as the product writes them."""
    doc.title = "Minutes of 23 November"
    notify(ObjectModifiedEvent(doc, Attributes(None, "IDublinCore.title")))
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(doc, "publish")
    # The domain event a record type announces for the same step, just before the workflow's own entry.
    step = {"transition": "publish", "from": "private", "to": "published", "comment": "Agreed on 8 May."}
    notify(RecordEvent(doc, step, actor="display-chair", action="report.published"))
    notify(
        RecordEvent(
            doc,
            {"reason": None, "seq": 1, "sha256": "ab" * 32, "version_id": 0},
            actor="display-chair",
            action="signature.added",
        )
    )
    notify(
        RecordEvent(
            doc,
            {"reason": "The dates are wrong.", "seq": 2, "sha256": "ab" * 32, "version_id": 0},
            actor="display-member",
            action="signature.rejected",
        )
    )
    clock = {"clock": "foi-response", "due": "2026-12-29", "started": "2026-11-01", "restarted": False}
    notify(RecordEvent(doc, clock, actor="display-chair", action="clock.started"))
    notify(RecordEvent(doc, {"zebra_count": 3, "when": "2026-08-01"}, action="unknown.thing_happened"))


def _add_people():
    for userid, name in (("display-chair", "Margaret Okafor"), ("display-member", "David Hughes")):
        if api.user.get(userid=userid) is None:
            properties = {"fullname": name}
            api.user.create(
                username=userid, email=f"{userid}@ex.org", password=PASSWORD, properties=properties
            )


@pytest.fixture
def people(portal):
    with api.env.adopt_roles(["Manager"]):
        _add_people()


@pytest.fixture
def doc(portal, people):
    portal.portal_workflow.setChainForPortalTypes(["Document"], ["simple_publication_workflow"])
    with api.env.adopt_roles(["Manager"]):
        doc = api.content.create(container=portal, type="Document", id="display-minutes", title="Minutes")
    _write_a_history(portal, doc)
    return doc


def test_rows_are_words_not_internals(portal, doc):
    with api.env.adopt_roles([COUNCIL_AUDITOR]):
        rows = display.rows(_trail(portal, doc), doc)
    by_what = {row["what"]: row for row in rows}
    assert by_what["Signed (approved)"]["who"] == "Margaret Okafor"
    assert by_what["Signed (approved)"]["details"] == "Approved version 1."
    assert by_what["Signed (rejected)"]["details"] == "Rejected version 1. Reason: “The dates are wrong”."
    changed = by_what["Changed"]["details"]
    assert changed == "Set Title to “Minutes of 23 November”."  # not committed: no value from before
    assert by_what["Clock started"]["details"] == (
        "The clock “Answer the freedom of information request” started on 1 November 2026. "
        "Due by 29 December 2026."
    )
    assert by_what["Thing happened"]["details"] == "When: 1 August 2026. Zebra count: 3."
    published = by_what["Published"]
    assert published["details"] == "Moved from Private to Published. Comment: “Agreed on 8 May”."
    for row in rows:
        assert not RAW.search(" ".join(row.values())), row


def test_a_workflow_step_and_its_domain_event_are_one_row(portal, doc):
    entries = _trail(portal, doc)
    steps = [e for e in entries if e.get("details", {}).get("transition") == "publish"]
    assert len(steps) == 2  # the trail keeps both entries
    rows = display.rows(entries, doc)
    folded = [row for row in rows if row["what"] in ("Published", "Publish")]
    assert len(folded) == 1
    assert folded[0]["seqs"] == ", ".join(str(e["seq"]) for e in sorted(steps, key=lambda e: e["seq"]))


def test_a_lone_workflow_step_is_named_by_its_transition(portal, doc):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(doc, "retract")
    row = display.rows(_trail(portal, doc), doc)[-1]
    assert (row["what"], row["details"]) == ("Member retracts submission", "Now Private.")


def test_administrators_also_see_the_user_id(portal, people):
    from links.content.words import person

    with api.env.adopt_roles(["Manager"]):
        assert person("display-chair") == "Margaret Okafor (display-chair)"
    with api.env.adopt_roles([COUNCIL_AUDITOR]):
        assert person("display-chair") == "Margaret Okafor"
    assert person(None) == "the system"


def test_odd_details_never_break_the_page():
    entry = {"action": "signature.added", "details": {"version_id": "not a number"}}
    assert display.describe(entry) == "Version id: not a number."


@pytest.fixture
def served(functional_portal, functional):
    with api.env.adopt_roles(["Manager"]):
        add_users(functional_portal, {"display-auditor": [COUNCIL_AUDITOR]}, PASSWORD)
        functional_portal.portal_workflow.setChainForPortalTypes(
            ["Document"], ["simple_publication_workflow"]
        )
        _add_people()
        doc = api.content.create(container=functional_portal, type="Document", id="served", title="Minutes")
        _write_a_history(functional_portal, doc)
    transaction.commit()
    return doc


def test_history_and_audit_page_shows_words(served, request_factory):
    session = request_factory(basic_auth=("display-auditor", PASSWORD), api=False)
    page = session.get("/served/@@history-and-audit")
    assert page.status_code == 200
    main = page.text[page.text.index('id="content"') : page.text.index("portal-footer")]
    assert "Signed (approved)" in main and "Margaret Okafor" in main
    assert "Approved version 1." in main and "Due by 29 December 2026." in main
    assert not RAW.search(main), RAW.search(main)


def test_the_export_downloads_from_the_pages_link(served, request_factory):
    """An auditor's browser sends no ``Accept: application/json``: the link still downloads the trail."""
    session = request_factory(basic_auth=("display-auditor", PASSWORD), api=False)
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = session.get("/served/@@history-and-audit", headers=browser)
    link = re.search(r'href="([^"]*@audit-export\?uid=[^"]*format=csv)"', page.text).group(1)
    download = session.get(html.unescape(link), headers=browser)
    assert download.status_code == 200, download.text[:500]
    assert download.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "signature.added" in download.text and served.UID() in download.text
    refused = session.get("/@audit-export?format=pdf", headers=browser)
    assert refused.status_code == 400
