"""Bad input on the disclosure endpoints answers 400 with a reason, never 500 (#12)."""

import pytest


def _foi(records):
    return "/" + records["foi"].getId()


GETS = [
    ("{foi}/@as-of", {"date": "2026-02-30"}),
    ("{foi}/@as-of", {"date": ["2026-01-01", "2026-01-02"]}),
    ("{foi}/@compare", {"from": "1.5", "to": 1}),
    ("{foi}/@compare", {"from": 0, "to": 99}),
    ("{foi}/@history/-1", {}),
    ("{foi}/@history/abc", {}),
    ("{foi}/@foi-search", {"q": "waiting", "on": "yesterday"}),
    ("{foi}/@foi-search", {"q": ["a", "b"]}),
    ("{foi}/@foi-search", {"q": "waiting", "type": "NoSuchType"}),
]


@pytest.mark.parametrize("path,params", GETS)
def test_bad_query_is_400(records, session, path, params):
    response = session("staff").get(path.format(foi=_foi(records)), params=params)
    assert response.status_code == 400, response.text
    assert response.json()["message"]


REDACTION = {"target": "x", "version": 0, "field": "summary", "text": "a", "exemption": "s40", "reason": "r"}
POSTS = [
    ("@redactions", ["not", "an", "object"]),
    ("@redactions", {**REDACTION, "target": ["a", "list"]}),
    ("@redactions", {**REDACTION, "text": 5}),
    ("@redactions", {**REDACTION, "field": {"an": "object"}}),
    ("@redactions", {**REDACTION, "exemption": ["s40"]}),
    ("@redactions", {**REDACTION, "version": "0"}),
    ("@disclosure-bundle", {"items": {"uid": "x"}}),
    ("@disclosure-bundle", {"items": [["x"]]}),
    ("@disclosure-bundle", {"items": [{"uid": "x", "version": "a"}]}),
    ("@disclosure-bundle", ["items"]),
    ("@clocks/foi-response/pause", ["reason"]),
    ("@clocks/foi-response/extend", {"reason": "r", "working_days": "5"}),
    ("@revert", [0]),
    ("@revert", {"version": "zero"}),
]


@pytest.mark.parametrize("endpoint,body", POSTS)
def test_bad_body_is_400(records, session, endpoint, body):
    response = session("staff").post(f"{_foi(records)}/{endpoint}", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"]


@pytest.mark.parametrize("endpoint", ["@redactions", "@disclosure-bundle", "@clocks/foi-response/pause"])
def test_body_that_is_not_json_is_400(records, session, endpoint):
    response = session("staff").post(
        f"{_foi(records)}/{endpoint}", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("body", [["reviewer"], {"reviewer": 5}, {"reviewer": ["a"]}])
def test_assign_reviewer_bad_body_is_400(records, session, body):
    response = session("officer").post(f"/{records['complaint'].getId()}/@assign-reviewer", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"]
