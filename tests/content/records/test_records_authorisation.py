"""A visit is refused unless every representative holds an authorisation with a valid DBS check."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api

from links.content.records.api import authorisation_problem

VISIT = date.today() - timedelta(days=7)


def test_authorised_representative_may_visit(portal, authorised):
    assert authorisation_problem("rep1", VISIT) is None


@pytest.mark.parametrize(
    "userid,overrides,expected",
    [
        ("participant", None, "Participant Example (participant) is not an authorised representative."),
        ("rep3", None, "Rep3 Example (rep3) has no recorded authorisation to enter and view."),
        ("rep3", {"dbs_outcome": "not-accepted"}, "whose outcome is not “clear”"),
        ("rep3", {"dbs_check_date": date.today()}, "had no DBS check by"),
        ("rep3", {"expires_on": VISIT - timedelta(days=1)}, "has an authorisation that expired on"),
        ("rep3", {"authorised_on": VISIT + timedelta(days=1)}, "was not yet authorised on"),
        ("rep3", {"checked_by": "rep3"}, "not considered by another person"),
    ],
)
def test_problems_name_the_person(portal, users, helpers, userid, overrides, expected):
    if overrides is not None:
        helpers.authorise(portal, userid, **overrides)
    problem = authorisation_problem(userid, VISIT)
    assert expected in problem
    assert f"({userid})" in problem


def test_invariant_refuses_unauthorised_visitor(portal, provider, authorised):
    from zope.interface import Invalid

    from links.content.records.report import IEnterAndViewReport

    class Data:
        visit_date = VISIT
        representatives = ["rep1", "rep3"]
        lead = "rep1"
        start_time = end_time = findings = provider_response_date = None
        provider = None

    with pytest.raises(Invalid) as raised:
        IEnterAndViewReport.validateInvariants(Data())
    assert "Rep3 Example (rep3)" in str(raised.value)


def _report_json(provider_uid, **overrides):
    body = {
        "@type": "EnterAndViewReport",
        "title": "Visit to Elm Lodge",
        "provider": provider_uid,
        "premises": "Lounge",
        "visit_date": VISIT.isoformat(),
        "announcement": "announced",
        "representatives": ["rep1"],
        "lead": "rep1",
    }
    body.update(overrides)
    return body


def test_rest_refuses_bad_reports_and_accepts_a_good_one(site, request_factory, helpers):
    session = request_factory(basic_auth=("manager", helpers.PASSWORD))
    uid = site["provider"].UID()

    response = session.post("/", json=_report_json(uid, representatives=["rep1", "rep2"]))
    assert response.status_code == 400, response.text
    assert "Rep2 Example (rep2)" in response.text and "not “clear”" in response.json()["message"]

    response = session.post("/", json=_report_json("0" * 32))
    assert response.status_code == 400, response.text
    assert "provider" in response.text.lower()

    body = _report_json(uid)
    del body["premises"]
    response = session.post("/", json=body)
    assert response.status_code == 400, response.text
    assert "premises" in response.text

    transaction.begin()
    assert len(api.content.find(context=site["portal"], portal_type="EnterAndViewReport")) == 0

    response = session.post("/", json=_report_json(uid))
    assert response.status_code == 201, response.text
    assert response.json()["review_state"] == "draft"


def test_register_of_interests_over_rest_is_public(site, request_factory):
    portal = site["portal"]
    for member, values in (
        ("chair", {"employment": "Retired head teacher"}),
        ("member1", {"sensitive": True, "sensitive_details": "Relative in a refuge"}),
    ):
        obj = api.content.create(
            container=portal, type="DeclarationOfInterest", title=member, member=member, **values
        )
        api.content.transition(obj, transition="declare")
    transaction.commit()
    response = request_factory(role="Anonymous").get("/@register-of-interests")
    assert response.status_code == 200, response.text
    items = {item["member"]: item for item in response.json()["items"]}
    assert items["chair"]["categories"][0]["entries"] == ["Retired head teacher"]
    assert items["member1"]["sensitive"] is True and "refuge" not in response.text
    # Anonymous cannot read the declarations themselves.
    assert request_factory(role="Anonymous").get(f"/{obj.getId()}").status_code in (401, 403)
