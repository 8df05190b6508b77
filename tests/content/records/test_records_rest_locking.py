"""A REST edit of fields the user may not write is refused with a 400 naming them, not silently dropped
(links.content.restapi.deserializer)."""

import transaction
from plone import api


def test_patch_to_locked_findings_is_refused(site, request_factory, helpers):
    portal, provider = site["portal"], site["provider"]
    with api.env.adopt_roles(["Manager"]):
        report = helpers.make_report(portal, provider, representatives=["rep1"], id="locked-visit")
        api.content.transition(report, transition="submit")
    transaction.commit()
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))

    response = session.patch(
        "/locked-visit", json={"findings": "<p>Rewritten.</p>", "title": "Visit to Elm Lodge, May"}
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert "“Findings”" in body["message"] and "“Awaiting sign-off”" in body["message"]
    assert "(findings)" in body["message"] and "Nothing was changed" in body["message"]
    transaction.begin()
    assert report.title == "Visit to Elm Lodge"  # all or nothing: the allowed field is not saved either
    assert "Residents were positive" in report.findings.raw

    # Fields the user may write are still saved.
    response = session.patch("/locked-visit", json={"title": "Visit to Elm Lodge, May"})
    assert response.status_code == 204, response.text
    transaction.begin()
    assert report.title == "Visit to Elm Lodge, May"


def test_patch_to_a_draft_saves_the_findings(site, request_factory, helpers):
    portal, provider = site["portal"], site["provider"]
    with api.env.adopt_roles(["Manager"]):
        report = helpers.make_report(portal, provider, representatives=["rep1"], id="draft-visit")
    transaction.commit()
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))
    response = session.patch(
        "/draft-visit",
        json={"findings": {"data": "<p>Rewritten.</p>", "content-type": "text/html"}},
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert "Rewritten" in report.findings.raw


def test_creation_is_not_affected(site, request_factory, helpers):
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))
    response = session.post(
        "/",
        json={
            "@type": "EnterAndViewReport",
            "title": "Visit to Oak House",
            "provider": site["provider"].UID(),
            "premises": "Lounge",
            "visit_date": "2026-11-16",
            "announcement": "announced",
            "representatives": ["rep1"],
            "lead": "rep1",
            "findings": {"data": "<p>Positive.</p>", "content-type": "text/html"},
        },
    )
    assert response.status_code == 201, response.text
