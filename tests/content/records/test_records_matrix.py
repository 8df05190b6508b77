"""Role x state x permission matrix of reports, the constitution and declarations.

One record in every state is built once for the class; each case asks the security machinery, as a
real user holding one site role, whether that role may view / modify the record.
"""

from datetime import date
from datetime import timedelta
from unittest import mock

import pytest
from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.SpecialUsers import nobody
from plone import api
from plone.app.textfield.value import RichTextValue

from links.content.workflows.guards import WorkflowGuards

#: role -> a user holding only that site role (None: anonymous)
ROLE_USERS = {
    "Anonymous": None,
    "Participant": "participant",
    "Authorised Representative": "rep3",  # not on the visit, so no local role
    "Governing Body Member": "chair",
    "Complaints Officer": "complaints",
    "Council Auditor": "auditor",
    "Host Staff": "staff",
    "Manager": "manager",
}
ALL = set(ROLE_USERS)
INTERNAL = {"Governing Body Member", "Council Auditor", "Host Staff", "Manager"}

VIEW = "View"
MODIFY = "Modify portal content"
FINDINGS = "links.content: Modify findings"

#: (type, state) -> {permission: roles allowed}
EXPECTED = {
    ("EnterAndViewReport", "draft"): {
        VIEW: INTERNAL,
        MODIFY: {"Host Staff", "Manager"},
        FINDINGS: {"Host Staff", "Manager"},
    },
    ("EnterAndViewReport", "pending_signoff"): {
        VIEW: INTERNAL,
        MODIFY: {"Host Staff", "Manager"},
        FINDINGS: set(),
    },
    ("EnterAndViewReport", "signed_off"): {
        VIEW: INTERNAL,
        MODIFY: {"Host Staff", "Manager"},
        FINDINGS: set(),
    },
    ("EnterAndViewReport", "sent_to_provider"): {
        VIEW: INTERNAL,
        MODIFY: {"Host Staff", "Manager"},
        FINDINGS: set(),
    },
    ("EnterAndViewReport", "published"): {VIEW: ALL, MODIFY: {"Manager"}, FINDINGS: set()},
    ("EnterAndViewReport", "withdrawn"): {VIEW: INTERNAL, MODIFY: {"Manager"}, FINDINGS: set()},
    ("Constitution", "draft"): {VIEW: INTERNAL, MODIFY: {"Governing Body Member", "Host Staff", "Manager"}},
    ("Constitution", "proposed"): {VIEW: INTERNAL, MODIFY: {"Host Staff", "Manager"}},
    ("Constitution", "adopted"): {VIEW: ALL, MODIFY: set()},
    ("Constitution", "superseded"): {VIEW: ALL, MODIFY: set()},
    ("DeclarationOfInterest", "draft"): {
        VIEW: {"Council Auditor", "Host Staff", "Manager"},
        MODIFY: {"Host Staff", "Manager"},
    },
    ("DeclarationOfInterest", "declared"): {VIEW: INTERNAL, MODIFY: set()},
    ("DeclarationOfInterest", "superseded"): {VIEW: INTERNAL, MODIFY: set()},
}

CASES = [
    (portal_type, state, permission, role)
    for (portal_type, state), permissions in EXPECTED.items()
    for permission in permissions
    for role in ROLE_USERS
]


def _html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def _report(portal, provider, helpers, report_id, transitions, **extra):
    report = helpers.make_report(portal, provider, id=report_id, **extra)
    with mock.patch.object(WorkflowGuards, "may_sign_off", return_value=True):
        for transition in transitions:
            if transition == "publish":
                report.provider_response_date = date.today() - timedelta(days=1)
            api.content.transition(report, transition=transition)
    return report


def _constitution(portal, cid, transitions):
    obj = api.content.create(
        container=portal,
        type="Constitution",
        id=cid,
        title=cid,
        version_label=cid,
        terms_of_reference=_html("<p>Terms</p>"),
        decision_procedures=_html("<p>Procedures</p>"),
    )
    with mock.patch.object(WorkflowGuards, "may_sign_off", return_value=True):
        for transition in transitions:
            api.content.transition(obj, transition=transition)
    return obj


def _declaration(portal, did, member, transitions):
    obj = api.content.create(
        container=portal, type="DeclarationOfInterest", id=did, title=did, member=member, nil_declaration=True
    )
    for transition in transitions:
        api.content.transition(obj, transition=transition)
    return obj


@pytest.fixture(scope="class")
def records(portal_class, helpers_class):
    portal = portal_class
    helpers = helpers_class
    helpers.create_users(portal)
    provider = helpers.create_provider(portal)
    for userid in ("rep1", "rep2"):
        helpers.authorise(portal, userid)
    built = {}
    report_paths = {
        "draft": [],
        "pending_signoff": ["submit"],
        "signed_off": ["submit", "sign_off"],
        "sent_to_provider": ["submit", "sign_off", "send_to_provider"],
        "published": ["submit", "sign_off", "send_to_provider", "publish"],
        "withdrawn": ["submit", "withdraw"],
    }
    for state, path in report_paths.items():
        built[("EnterAndViewReport", state)] = _report(portal, provider, helpers, f"report-{state}", path)
    old = _constitution(portal, "c-old", ["propose", "adopt"])
    built[("Constitution", "adopted")] = _constitution(portal, "c-new", ["propose", "adopt"])
    built[("Constitution", "superseded")] = old
    built[("Constitution", "draft")] = _constitution(portal, "c-draft", [])
    built[("Constitution", "proposed")] = _constitution(portal, "c-proposed", ["propose"])
    # member1's first declaration is superseded by the second; "member2" has only a draft.
    built[("DeclarationOfInterest", "superseded")] = _declaration(portal, "d-old", "member1", ["declare"])
    built[("DeclarationOfInterest", "declared")] = _declaration(portal, "d-new", "member1", ["declare"])
    built[("DeclarationOfInterest", "draft")] = _declaration(portal, "d-draft", "staff", [])
    return built


def _allowed(portal, permission, obj, userid):
    user = nobody if userid is None else portal.acl_users.getUserById(userid).__of__(portal.acl_users)
    old = getSecurityManager()
    newSecurityManager(None, user)
    try:
        return bool(getSecurityManager().checkPermission(permission, obj))
    finally:
        setSecurityManager(old)


class TestMatrix:
    def test_records_are_in_their_states(self, records):
        for (_portal_type, state), obj in records.items():
            assert api.content.get_state(obj) == state

    @pytest.mark.parametrize("portal_type,state,permission,role", CASES)
    def test_permission(self, portal_class, records, portal_type, state, permission, role):
        obj = records[(portal_type, state)]
        expected = role in EXPECTED[(portal_type, state)][permission]
        assert _allowed(portal_class, permission, obj, ROLE_USERS[role]) is expected
