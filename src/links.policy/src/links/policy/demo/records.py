"""Demo governance records: providers, authorisations, declarations, the constitution and reports.

Paths (other demo steps and browser tests rely on them):
``/providers/<id>``, ``/authorisations/<id>``, ``/declarations/<id>``, ``/constitution`` and
``/reports/<id>``; ``/reports/report-awaiting-signoff`` is submitted and has no signatures.

Sign-offs are real: governing body members sign with their demo password through the signing API.
Every step checks what exists first, so the profile can be applied again.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import time
from datetime import timedelta

from plone import api
from plone.app.textfield.value import RichTextValue
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

from links.content.words import format_date
from links.policy.demo.users import DEMO_PASSWORD

logger = logging.getLogger("links.policy.demo")

#: id -> (title, service type, address, CQC id, commissioner)
PROVIDERS = {
    "elm-lodge": (
        "Elm Lodge Care Home",
        "care-home",
        "14 Elm Road, Northbridge NB2 4EL",
        "1-101234567",
        "Northbridge Borough Council",
    ),
    "riverside-surgery": (
        "Riverside Medical Practice",
        "gp-surgery",
        "2 Quay Street, Northbridge NB1 2RQ",
        "1-202345678",
        "Northbridge and District Integrated Care Board",
    ),
    "northbridge-general": (
        "Northbridge General Hospital, Ward 7 (older people)",
        "acute-hospital",
        "Hospital Lane, Northbridge NB3 7HL",
        "RNB01",
        "Northbridge and District Integrated Care Board",
    ),
    "homecare-plus": (
        "HomeCare Plus Northbridge",
        "domiciliary-care",
        "Unit 5, Canal Business Park, Northbridge NB4 1CP",
        "1-303456789",
        "Northbridge Borough Council",
    ),
}

#: member -> declaration values (one sensitive: member4; one touching a provider: member2)
DECLARATIONS = {
    "chair": {
        "employment": "Retired head teacher (Northbridge Academy)",
        "trusteeships": "Trustee, Northbridge Carers' Centre",
        "memberships": "National Education Union (retired members)",
    },
    "member1": {"nil_declaration": True},
    "member2": {
        "employment": "Part-time bank nurse, Elm Lodge Care Home",
        "providers": ["elm-lodge"],
    },
    "member3": {
        "directorships": "Director, Whitfield Accessible Transport Ltd",
        "investments": "Shares in a listed pharmacy chain (under £5,000)",
    },
    "member4": {
        "sensitive": True,
        "sensitive_details": "Close family member is in a refuge in Northbridge (address withheld).",
        "memberships": "Northbridge Women's Network",
    },
    "member5": {
        "gifts_hospitality": "Lunch at a provider open day, March 2026 (about £15)",
        "memberships": "Labour Party",
    },
    "member6": {"family_interests": "Spouse is a practice manager at Riverside Medical Practice"},
}

CONSTITUTION_VERSIONS = [
    (
        "1.0",
        "<p>The network gives local people a voice in how health and social care services in Northbridge "
        "are planned, run and scrutinised.</p>",
    ),
    (
        "1.1",
        "<p>The network gives local people a voice in how health and social care services in Northbridge "
        "are planned, run and scrutinised, with particular attention to people who are seldom heard.</p>",
    ),
    (
        "2.0",
        "<p>The network gives local people a voice in how health and social care services in Northbridge "
        "are planned, run and scrutinised, with particular attention to people who are seldom heard. "
        "It may enter and view premises through authorised representatives.</p>",
    ),
]

PROCEDURES = (
    "<p>Relevant decisions (SI 2008/528 regulation 2) are taken by the governing body at a quorate "
    "meeting or by signed sign-off. A statement of each decision and its reasons is published within "
    "ten working days.</p>"
)
CONDUCT = (
    "<p>Members follow the seven principles of public life, declare their interests within 28 days of "
    "a change, review their declaration every year and take no part in matters touching them.</p>"
)

#: report id -> (title, provider id, days since the visit, the state to bring it to)
REPORTS = [
    ("visit-riverside-draft", "Visit to Riverside Medical Practice", "riverside-surgery", 6, "draft"),
    ("report-awaiting-signoff", "Visit to Elm Lodge Care Home", "elm-lodge", 21, "pending_signoff"),
    ("visit-homecare-signed", "Visit to HomeCare Plus office", "homecare-plus", 40, "signed_off"),
    (
        "visit-ward7-sent",
        "Visit to Ward 7, Northbridge General",
        "northbridge-general",
        20,
        "sent_to_provider",
    ),
    ("visit-elm-lodge-2025", "Visit to Elm Lodge Care Home (spring)", "elm-lodge", 120, "published"),
    (
        "visit-riverside-withdrawn",
        "Visit to Riverside Medical Practice (evening)",
        "riverside-surgery",
        90,
        "withdrawn",
    ),
]


def _html(text: str) -> RichTextValue:
    return RichTextValue(text, "text/html", "text/x-html-safe")


def _relation(obj) -> RelationValue:
    return RelationValue(getUtility(IIntIds).getId(obj))


def _folder(portal, folder_id: str, title: str, publish: bool = True):
    folder = portal.get(folder_id)
    if folder is None:
        folder = api.content.create(container=portal, type="Folder", id=folder_id, title=title)
        if publish and api.content.get_state(folder, default=None) == "private":
            api.content.transition(folder, to_state="published")
    return folder


def create(portal):
    """Create the demo records once (idempotent)."""
    with api.env.adopt_roles(["Manager"]):
        providers = _providers(portal)
        _authorisations(portal)
        _declarations(portal, providers)
        _constitution(portal)
        _reports(portal, providers)
        list_with_states(portal)


#: Folders whose records are listed with their states (``@@records-listing``, #17).
LISTED_WITH_STATES = ("reports", "decisions")


def list_with_states(portal) -> None:
    """Show the reports and decisions with the state each is in (who must sign what)."""
    for folder_id in LISTED_WITH_STATES:
        if folder_id in portal.objectIds():
            portal[folder_id].setLayout("records-listing")


def _providers(portal) -> dict:
    folder = _folder(portal, "providers", "Service providers")
    found = {}
    for provider_id, (title, service_type, address, registration, commissioner) in PROVIDERS.items():
        if provider_id not in folder:
            api.content.create(
                container=folder,
                type="ServiceProvider",
                id=provider_id,
                title=title,
                service_type=service_type,
                address=address,
                registration_id=registration,
                commissioner=commissioner,
            )
        found[provider_id] = folder[provider_id]
    return found


def _authorisations(portal) -> None:
    folder = _folder(portal, "authorisations", "Authorisations of representatives", publish=False)
    today = date.today()
    for userid, checked in (("rep1", today - timedelta(days=400)), ("rep2", today - timedelta(days=200))):
        record_id = f"authorisation-{userid}"
        if record_id in folder:
            continue
        api.content.create(
            container=folder,
            type="RepresentativeAuthorisation",
            id=record_id,
            title=f"Authorisation of {userid}",
            representative=userid,
            authorised_on=checked + timedelta(days=7),
            evidence="Governing body minute GB/2025/14: authorised after training on 3 March 2025.",
            dbs_check_date=checked,
            dbs_level="enhanced-barred",
            dbs_outcome="clear",
            checked_by="staff",
            expires_on=checked + timedelta(days=3 * 365),
        )


def _declarations(portal, providers: dict) -> None:
    folder = _folder(portal, "declarations", "Declarations of interests", publish=False)
    for userid, values in DECLARATIONS.items():
        record_id = f"declaration-{userid}"
        if record_id in folder:
            continue
        values = dict(values)
        values["providers"] = [_relation(providers[p]) for p in values.get("providers", [])]
        declaration = api.content.create(
            container=folder,
            type="DeclarationOfInterest",
            id=record_id,
            title=f"Declaration of interests: {api.user.get(userid=userid).getProperty('fullname')}",
            member=userid,
            nolan_wording="revised-2013",
            date_of_change=date.today() - timedelta(days=60),
            **values,
        )
        api.content.transition(declaration, transition="declare")


def _sign_off(obj, signers) -> None:
    """Sign ``obj`` as each member in turn (real signatures) until the quorum performs the transition."""
    from links.content.signing import api as signing_api

    state = api.content.get_state(obj)
    for userid in signers:
        if api.content.get_state(obj) != state:
            return
        if signing_api.conflicts(obj, userid):
            continue
        with api.env.adopt_user(username=userid):
            # What each member reads is the record as it stands: sign exactly that version.
            signing_api.sign(
                obj, userid, DEMO_PASSWORD, "approve", expected_version=signing_api.current_version(obj)[1]
            )
    if api.content.get_state(obj) == state:
        raise RuntimeError(f"Demo sign-off of {obj.absolute_url()} did not reach the quorum.")


SIGNERS = ["chair", "member1", "member2", "member3", "member5", "member6", "member4"]


def _constitution(portal) -> None:
    from links.content.audit.witness import witness_later

    if "constitution" in portal:
        return
    repository = api.portal.get_tool("portal_repository")
    constitution = None
    for label, terms in CONSTITUTION_VERSIONS:
        if constitution is None:
            constitution = api.content.create(
                container=portal,
                type="Constitution",
                id="constitution",
                title="Constitution of Northbridge Local Involvement Network",
                version_label=label,
                terms_of_reference=_html(terms),
                decision_procedures=_html(PROCEDURES),
                code_of_conduct=_html(CONDUCT),
            )
        else:
            constitution.version_label = label
            constitution.terms_of_reference = _html(terms)
        # Each version is kept in CMFEditions (the history shows how the text developed), and witnessed
        # in the audit trail like every saved version (verification names a version without its witness).
        repository.save(constitution, comment=f"Version {label}")
        witness_later(constitution)
    api.content.transition(constitution, transition="propose")
    _sign_off(constitution, SIGNERS)


def _reports(portal, providers: dict) -> None:
    from links.content.clocks import api as clocks_api

    folder = _folder(portal, "reports", "Enter and view reports")
    today = date.today()
    for report_id, title, provider_id, days_ago, target in REPORTS:
        if report_id in folder:
            continue
        provider = providers[provider_id]
        visited = today - timedelta(days=days_ago)
        report = api.content.create(
            container=folder,
            type="EnterAndViewReport",
            id=report_id,
            title=title,
            description=f"Announced visit by two authorised representatives on {format_date(visited)}.",
            provider=_relation(provider),
            premises="Communal areas, dining room and garden"
            if "care" in provider.service_type
            else "Waiting areas and reception",
            visit_date=visited,
            start_time=time(10, 0),
            end_time=time(12, 30),
            announcement="announced",
            representatives=["rep1", "rep2"],
            lead="rep1",
            purpose=_html("<p>To hear the views of people using the service, their families and staff.</p>"),
            methodology=_html(
                "<p>We spoke with eight people using the service, three relatives and four staff, and "
                "observed lunchtime.</p>"
            ),
            findings=_html(
                "<p>People told us staff were kind and knew them well. The lounge was clean but the "
                "garden door was locked, so people could not go outside without asking.</p>"
            ),
            recommendations=_html("<ol><li>Keep the garden door open in daytime when it is safe.</li></ol>"),
        )
        if target == "draft":
            continue
        api.content.transition(report, transition="submit")
        if target == "pending_signoff":
            continue  # left for the governing body to sign (the chair's journey)
        if target == "withdrawn":
            api.content.transition(
                report, transition="withdraw", comment="The visit overran the agreed window."
            )
            continue
        _sign_off(report, SIGNERS)
        if target == "signed_off":
            continue
        api.content.transition(
            report, transition="send_to_provider", comment="Signed off by the governing body."
        )
        # The draft went to the provider soon after the visit: date the response clock accordingly.
        clocks_api.start(report, "provider-response", started=visited + timedelta(days=3))
        if target == "sent_to_provider":
            continue
        report.provider_response = _html(
            "<p>Thank you for the visit. The garden door is now open from 9am to 5pm.</p>"
        )
        report.provider_response_date = visited + timedelta(days=30)
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(report))
        api.content.transition(report, transition="publish")
        report.publication_date = today
        report.reindexObject()
