"""GET @history / @compare / @as-of and POST @revert over HTTP: shape, 400s, 404s, permissions."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api

from links.content.history import api as history
from links.content.roles import COUNCIL_AUDITOR
from links.content.roles import PARTICIPANT
from links.content.testing import add_users

PASSWORD = "secret-history-1"


@pytest.fixture
def record(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        add_users(functional_portal, {"auditor": [COUNCIL_AUDITOR], "participant": [PARTICIPANT]}, PASSWORD)
        obj = api.content.create(
            container=functional_portal,
            type="InformationRequest",
            id="waiting-times",
            title="Waiting times",
            addressee="Northbridge ICB",
            addressee_kind="commissioner",
            questions="First wording",
        )
        obj.questions = "Second wording"
        history.save(obj, "Reworded by the chair")
    transaction.commit()
    return obj


def test_history_lists_author_time_and_comment(record, request_factory):
    response = request_factory(role="Manager").get("/waiting-times/@history")
    assert response.status_code == 200, response.text
    versions = [e for e in response.json() if e["type"] == "versioning"]
    assert {e["comments"] for e in versions} >= {"Reworded by the chair"}
    assert all(e["actor"]["id"] and e["time"] for e in versions)


def test_compare(record, request_factory):
    response = request_factory(role="Manager").get("/waiting-times/@compare", params={"from": 0, "to": 1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["changed"] == ["questions"]
    row = next(r for r in body["fields"] if r["field"] == "questions")
    assert (row["from"], row["to"]) == ("First wording", "Second wording")


@pytest.mark.parametrize(
    "params,message",
    [({"from": "x", "to": 1}, "whole number"), ({"to": 1}, "from"), ({"from": 0, "to": 7}, "does not exist")],
)
def test_compare_bad_input(record, request_factory, params, message):
    response = request_factory(role="Manager").get("/waiting-times/@compare", params=params)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_as_of(record, request_factory):
    session = request_factory(basic_auth=("auditor", PASSWORD))
    today = record.created().asdatetime().date().isoformat()
    response = session.get("/waiting-times/@as-of", params={"date": today})
    assert response.status_code == 200, response.text
    assert response.json()["fields"]["questions"]["value"] == "Second wording"
    assert session.get("/waiting-times/@as-of", params={"date": "2020-01-01"}).status_code == 404
    bad = session.get("/waiting-times/@as-of", params={"date": "1st May"})
    assert bad.status_code == 400 and "2026-05-01" in bad.json()["message"]
    # The future is refused, as a day or as a moment: the latest version would pass for a future one.
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for future in (tomorrow, f"{tomorrow}T09:30:00+00:00"):
        refused = session.get("/waiting-times/@as-of", params={"date": future})
        assert refused.status_code == 400 and "is in the future" in refused.json()["message"], future


def test_participant_cannot_read_versions(record, request_factory):
    session = request_factory(basic_auth=("participant", PASSWORD))
    assert session.get("/waiting-times/@as-of", params={"date": "2026-05-01"}).status_code in (401, 403)


def test_revert_creates_a_new_version(record, request_factory):
    session = request_factory(role="Manager")
    response = session.post("/waiting-times/@revert", json={"version": 0})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2 and len(body["versions"]) == 3
    assert session.post("/waiting-times/@revert", json={"version": "zero"}).status_code == 400
    transaction.begin()
    assert record.questions == "First wording"
