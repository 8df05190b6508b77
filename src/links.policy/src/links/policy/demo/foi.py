"""Demo FOI requests in /foi: one just received, one waiting for clarification, and one answered in
part with a redaction and a signed disclosure bundle (listed in the public disclosure log).

Requests are logged by the demo user ``staff`` (host staff). Each carries a ``demo_key`` so the step
is idempotent.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import timedelta

import transaction
from plone import api

from links.content.foi import api as foi

logger = logging.getLogger("links.policy.demo")

STAFF = "staff"

#: demo key -> (target state, days since receipt, field values)
REQUESTS = {
    "visit-reports-2026": (
        "received",
        2,
        {
            "summary": "Enter and view reports on Northbridge care homes since January",
            "requester_name": "Gareth Pryce",
            "requester_contact": "gareth.pryce@example.org",
            "request_text": (
                "Please send every enter and view report about care homes in Northbridge this year."
            ),
        },
    ),
    "spending-volunteers": (
        "awaiting_clarification",
        9,
        {
            "summary": "Spending on volunteer expenses",
            "requester_name": "Leonie Marsh",
            "requester_contact": "14 Canal Street, Northbridge NB2 4CS",
            "request_text": "How much did the network spend on volunteers?",
        },
    ),
    "information-requests-icb": (
        "answered",
        30,
        {
            "summary": "Requests for information sent to the integrated care board",
            "requester_name": "Tomasz Wieczorek",
            "requester_contact": "t.wieczorek@example.org",
            "request_text": (
                "Copies of the information requests the network sent to Northbridge ICB and any replies."
            ),
            "outcome": "part-disclosed",
            "answer": "The requests are enclosed. One name has been withheld under section 40.",
            "exemptions": ["s40"],
            "refusal_reasons": (
                "The withheld text names a patient; disclosure would breach data protection law."
            ),
        },
    ),
}


def create(portal):
    """Create the demo FOI requests once (idempotent)."""
    with api.env.adopt_roles(["Manager"]):
        folder = portal.get("foi")
        if folder is None:
            folder = api.content.create(
                container=portal, type="Folder", id="foi", title="Freedom of information"
            )
        for group, local_roles in (
            ("host-staff", ["Reader", "Contributor"]),
            ("complaints-officers", ["Reader", "Contributor"]),
            ("council-auditors", ["Reader"]),
        ):
            if api.group.get(groupname=group) is not None:
                api.group.grant_roles(groupname=group, obj=folder, roles=local_roles)
    existing = {getattr(obj, "demo_key", None) for obj in folder.objectValues()}
    for key, (target, age, values) in REQUESTS.items():
        if key not in existing:
            _request(portal, folder, key, target, age, dict(values))


def _request(portal, folder, key, target, age, values):
    answer_fields = {
        k: values.pop(k) for k in list(values) if k in ("outcome", "answer", "exemptions", "refusal_reasons")
    }
    received = date.today() - timedelta(days=age)
    with api.env.adopt_user(username=STAFF):
        request = foi.create_request(folder, received=received, **values)
        request.demo_key = key
        if target == "received":
            return
        if target == "awaiting_clarification":
            api.content.transition(obj=request, transition="start_work")
            api.content.transition(obj=request, transition="ask_clarification")
            return
        api.content.transition(obj=request, transition="start_work")
        sources = list(api.content.find(portal_type="InformationRequest", sort_on="created"))[:3]
        # The demo's records are all created today, after the demo request was "received": the officer
        # picks their latest versions explicitly (by default a bundle takes the version held on receipt).
        items = [{"uid": brain.UID, "version": _latest_version(brain.getObject())} for brain in sources]
        # A failed bundle must leave nothing half-written behind (CMFEditions may have stored objects).
        savepoint = transaction.savepoint()
        try:
            if items:
                record = sources[0].getObject()
                name = "Mr Arthur Penhaligon"
                if name in (record.questions or ""):
                    foi.redact(request, record.UID(), 0, "questions", name, "s40", "Names a patient.")
                foi.build_bundle(request, items)
        except Exception:  # a demo bundle is a nicety: never stop the demo profile for it
            savepoint.rollback()
            logger.warning("demo: no FOI bundle for %s", key, exc_info=True)
        for name, value in answer_fields.items():
            setattr(request, name, value)
        api.content.transition(obj=request, transition="answer")


def _latest_version(obj) -> int:
    from links.content.history import api as history

    return history.versions(obj)[-1]["version_id"]
