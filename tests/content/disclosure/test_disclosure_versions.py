"""The version endpoints answer only what the reader may read on the record as it is now (#12)."""

import pytest

from links.content import words
from links.content.history import api as history

from .conftest import REQUESTER
from .conftest import SENSITIVE

#: Versions as they stand now (the end of today in England); a future date is refused.
TODAY = words.today().isoformat()


def _path(obj):
    return "/" + obj.getId()


@pytest.mark.parametrize("userid", ["auditor"])
def test_auditor_reads_foi_versions_without_the_requester(records, session, userid):
    client, path = session(userid), _path(records["foi"])
    as_of = client.get(f"{path}/@as-of", params={"date": TODAY})
    assert as_of.status_code == 200, as_of.text
    assert "request_text" in as_of.json()["fields"]
    assert "requester_name" not in as_of.json()["fields"]
    compare = client.get(f"{path}/@compare", params={"from": 0, "to": 1})
    assert compare.status_code == 200, compare.text
    assert {row["field"] for row in compare.json()["fields"]} >= {"request_text", "summary"}
    assert REQUESTER not in compare.text and "brenda@" not in compare.text
    version = client.get(f"{path}/@history/0")
    assert version.status_code == 200, version.text
    assert "request_text" in version.json() and "requester_name" not in version.json()
    listing = client.get(f"{path}/@history")
    assert listing.status_code == 200
    assert REQUESTER not in listing.text
    assert any(e["type"] == "versioning" and e["comments"] is None for e in listing.json())
    for page in (f"@@as-of?date={TODAY}", "@@compare-versions?from=0&to=1"):
        html = client.get(f"{path}/{page}")
        assert html.status_code == 200, page
        assert "Everything about GP visit" in html.text and REQUESTER not in html.text, page


def test_handler_reads_the_requester_and_the_comments(records, session):
    client, path = session("staff"), _path(records["foi"])
    assert (
        client.get(f"{path}/@as-of", params={"date": TODAY}).json()["fields"]["requester_name"]["value"]
        == REQUESTER
    )
    assert client.get(f"{path}/@history/0").json()["requester_name"] == REQUESTER
    assert REQUESTER in client.get(f"{path}/@history").text


@pytest.mark.parametrize(
    "endpoint",
    [
        "@history",
        "@history/0",
        f"@as-of?date={TODAY}",
        "@compare?from=0&to=1",
        "@@as-of",
        "@@compare-versions",
    ],
)
def test_no_version_endpoint_without_view(records, session, endpoint):
    # A governing body member has no View on FOI requests.
    response = session("member").get(f"{_path(records['foi'])}/{endpoint}")
    assert response.status_code in (401, 403, 404), response.text
    assert REQUESTER not in response.text and "GP visit" not in response.text


@pytest.mark.parametrize(
    "userid,sees",
    [("member", False), ("staff", False), ("auditor", True), ("declarant", True)],
)
def test_sensitive_interest_in_versions(records, session, userid, sees):
    client, path = session(userid), _path(records["declaration"])
    last = history.latest_version_id(records["declaration"])
    endpoints = (
        f"@as-of?date={TODAY}",
        f"@compare?from=0&to={last}",
        "@history/0",
        f"@@as-of?date={TODAY}",
    )
    for endpoint in endpoints:
        response = client.get(f"{path}/{endpoint}")
        assert response.status_code == 200, (endpoint, response.text)
        assert (SENSITIVE in response.text) is sees, endpoint
        if "compare" in endpoint:  # the version comment is free text of the record
            assert ("brother" in response.text) is sees, endpoint


@pytest.mark.parametrize("version,message", [("abc", "whole number"), ("99", "does not exist")])
def test_history_bad_version_is_400(records, session, version, message):
    response = session("staff").get(f"{_path(records['foi'])}/@history/{version}")
    assert response.status_code == 400
    assert message in response.json()["message"]
