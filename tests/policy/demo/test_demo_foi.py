"""Demo FOI requests: one per stage, the answered one in the disclosure log without its requester,
idempotency."""

from plone import api

from links.content.foi import api as foi
from links.policy.demo import foi as demo


def _requests(portal):
    return {o.demo_key: o for o in portal["foi"].objectValues() if getattr(o, "demo_key", None)}


def test_requests_in_each_stage(portal):
    found = _requests(portal)
    assert set(found) == set(demo.REQUESTS)
    for key, (state, _age, _values) in demo.REQUESTS.items():
        assert api.content.get_state(found[key]) == state


def test_answered_request_is_in_the_log_without_requester(portal):
    total, entries = foi.disclosure_log()
    # This step's answered request, and those the annual report step adds for the last financial year.
    answered = [o for o in portal["foi"].objectValues() if api.content.get_state(o) == "answered"]
    assert total == len(answered) >= 1
    summary = demo.REQUESTS["information-requests-icb"][2]["summary"]
    assert summary in [entry["summary"] for entry in entries]
    assert "Wieczorek" not in str(entries)


def test_demo_step_is_idempotent(portal):
    before = len(portal["foi"].objectIds())
    with api.env.adopt_roles(["Manager"]):
        demo.create(portal)
    assert len(portal["foi"].objectIds()) == before


def test_answered_request_has_its_signed_disclosure_bundle(portal):
    """The demo's answered request shows a real bundle (the demo step must not silently skip it)."""
    manifest = foi.bundle_manifest(_requests(portal)["information-requests-icb"])
    assert manifest is not None and manifest["items"]
    assert all(len(item["sha256"]) == 64 for item in manifest["items"])
