"""People see words, not internals: the main pages of one demo record of each type, read by the people who
use them, show no message ids, workflow or state ids, type ids, ISO or zero-padded dates, "version 0" or
"Versioning enabled"."""

import html
import re

import pytest
from plone import api

from links.policy.demo.users import DEMO_PASSWORD

RAW = re.compile(
    r"label_[a-z]|_workflow\b|\b(pending_signoff|signed_off|sent_to_provider|under_investigation|"
    r"appeal_requested|under_independent_review|response_sent)\b|\b(FOIRequest|EnterAndViewReport|"
    r"DecisionStatement|DeclarationOfInterest|InformationRequest|OSCReferral|RepresentativeAuthorisation)\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b0\d (January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|\d{1,2}/\d{1,2}/\d{4}|[Vv]ersion 0\b|Versioning enabled|: None\b"
)
TYPES = (
    "EnterAndViewReport",
    "Constitution",
    "DecisionStatement",
    "Complaint",
    "FOIRequest",
    "InformationRequest",
    "OSCReferral",
    "DeclarationOfInterest",
    "AnnualReport",
    "TransitionalReport",
)
VIEWS = ("", "/@@history-and-audit", "/@@compare-versions", "/@@as-of")


def _words(page: str) -> str:
    """What a person reads in the content area: markup, scripts and attributes left out."""
    start = page.find('id="content"')
    end = page.find("portal-footer", start)
    area = re.sub(r"<(script|style)\b.*?</\1>", " ", page[start:end], flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", area)).split())


def _one_of_each(portal) -> list[str]:
    paths = []
    with api.env.adopt_roles(["Manager"]):
        catalog = portal.portal_catalog
        for portal_type in TYPES:
            brains = catalog.unrestrictedSearchResults(portal_type=portal_type, sort_on="modified")
            if brains:
                paths.append(brains[-1].getPath()[len("/".join(portal.getPhysicalPath())) :])
    return paths


@pytest.mark.parametrize("userid", ["auditor", "complaints"])
def test_main_pages_show_words_not_internals(functional_portal, request_factory, userid):
    session = request_factory(basic_auth=(userid, DEMO_PASSWORD), api=False)
    found, read = [], 0
    for path in _one_of_each(functional_portal):
        for view in VIEWS:
            page = session.get(path + view, headers={"Accept": "text/html"})
            if page.status_code != 200:  # not theirs to read
                continue
            read += 1
            words = _words(page.text)
            found += [
                (path + view, m.group(0), words[max(0, m.start() - 60) : m.end() + 40])
                for m in RAW.finditer(words)
            ]
    assert read > 10
    assert not found, "\n".join(map(str, found))
