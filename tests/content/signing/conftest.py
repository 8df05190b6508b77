"""Fixtures for signing tests: governing body members with passwords and an EnterAndViewReport
awaiting sign-off (links_report_workflow: pending_signoff --sign_off--> signed_off)."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from Products.CMFPlone.tests.utils import MockMailHost

from links.content.roles import GOVERNING_BODY_MEMBER

MEMBERS = [f"gbm{i}" for i in range(1, 8)]
SIGNABLE_STATE = "pending_signoff"
SIGNED_STATE = "signed_off"


def password_of(userid: str) -> str:
    return f"pw-{userid}-secret"


def make_members(count: int = 7) -> list[str]:
    """Create governing body members (the role comes from links.content's rolemap.xml).

    Granting a role is limited to roles the current user holds (CMFCore's _limitGrantedRoles), so
    the test user acts as Manager while creating them.
    """
    ids = []
    portal = api.portal.get()
    setRoles(portal, TEST_USER_ID, ["Manager"])
    for userid in MEMBERS[:count]:
        if api.user.get(userid=userid) is None:
            api.user.create(
                email=f"{userid}@example.org",
                username=userid,
                password=password_of(userid),
                roles=("Member", GOVERNING_BODY_MEMBER),
                properties={"fullname": f"Member {userid[3:]} Name"},
            )
        ids.append(userid)
    return ids


def make_provider(portal, title="Elm House Care Home"):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return api.content.create(
        container=portal,
        type="ServiceProvider",
        title=title,
        address="2 Elm Road, Northbridge NB1 2AA",
    )


def make_representative(portal, userid: str = "rep1", name: str = "Rosa Ellison") -> str:
    """The visiting representative the reports name: a user with a printed name, the role and an
    authorisation in force (so that an edit of the report validates)."""
    from links.content.roles import AUTHORISED_REPRESENTATIVE

    if api.user.get(userid=userid) is None:
        api.user.create(
            email=f"{userid}@example.org",
            username=userid,
            password=f"pw-{userid}-secret",
            roles=("Member", AUTHORISED_REPRESENTATIVE),
            properties={"fullname": name},
        )
        api.content.create(
            container=portal,
            type="RepresentativeAuthorisation",
            title=f"Authorisation of {name}",
            representative=userid,
            authorised_on=date.today() - timedelta(days=400),
            evidence="Training completed.",
            dbs_check_date=date.today() - timedelta(days=400),
            dbs_level="enhanced",
            dbs_outcome="clear",
            checked_by="admin",
            expires_on=date.today() + timedelta(days=400),
        )
    return userid


def make_record(portal, title="Visit to Elm House", provider=None, submit=True, paragraphs=1):
    """An EnterAndViewReport (submitted for sign-off unless ``submit`` is False)."""
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    setRoles(portal, TEST_USER_ID, ["Manager"])
    provider = provider or make_provider(portal)
    make_representative(portal)
    findings = "".join(
        f"<p>Finding {i + 1}: residents were treated with dignity and the lounge was clean and calm.</p>"
        for i in range(paragraphs)
    )
    record = api.content.create(
        container=portal,
        type="EnterAndViewReport",
        title=title,
        description="Announced enter and view visit.",
        provider=RelationValue(getUtility(IIntIds).getId(provider)),
        premises="Communal lounge",
        visit_date=date.today() - timedelta(days=7),
        announcement="announced",
        representatives=["rep1"],
        lead="rep1",
        findings=RichTextValue(findings, "text/html", "text/x-html-safe"),
    )
    if submit:
        api.content.transition(record, "submit")
    return record


@pytest.fixture
def members(portal):
    return make_members()


@pytest.fixture
def record(portal, members):
    return make_record(portal)


@pytest.fixture
def passwords():
    """userid -> password of the governing body members the fixtures create."""
    return password_of


@pytest.fixture
def record_factory():
    return make_record


@pytest.fixture
def members_factory():
    return make_members


def expected(record) -> str:
    """The SHA-256 a member reads before signing (what the form and REST clients send)."""
    from links.content.canonical import canonical_hash

    return canonical_hash(record)


def sign(record, userid, meaning="approve", password=None, **kw):
    """Sign as ``userid`` with their password, the version as it stands."""
    from links.content.signing import api as signing

    kw.setdefault("expected_version", expected(record))
    return signing.sign(
        record, userid, password or password_of(userid), meaning, request=record.REQUEST, **kw
    )


@pytest.fixture
def signer():
    return sign


#: (message bytes, immediate) of everything the RecordingMailHost was given. Kept outside the ZODB: the
#: savepoints CMFEditions makes (and rolls back to) while retrieving versions would drop what a persistent
#: mock recorded, where Plone's real MailHost queues mail in a data manager that savepoints do not touch.
SENT: list = []


class RecordingMailHost(MockMailHost):
    """Collects what is sent and whether it was asked to leave at once or after commit (module level: the
    site holds it, and savepoints pickle the site)."""

    def send(self, messageText, mto=None, mfrom=None, subject=None, encode=None, immediate=False, **kw):
        result = super().send(messageText, mto, mfrom, subject, encode, immediate, **kw)
        SENT.append((self.messages[-1], immediate))
        return result


def install_mailhost(portal):
    from links.content.testing import install_mailhost as install

    return install(portal, RecordingMailHost("MailHost"))


def mails(mailbox) -> list:
    """The messages sent, parsed: ``[(to, subject, body)]``."""
    import email
    import email.policy

    parsed = [email.message_from_bytes(raw, policy=email.policy.default) for raw in mailbox.messages]
    return [(m["To"], m["Subject"], m.get_content()) for m in parsed]


class Mailbox:
    """What the site's recording MailHost was given (see ``SENT``)."""

    @property
    def messages(self):
        return [message for message, _immediate in SENT]

    @property
    def immediate(self):
        return [immediate for _message, immediate in SENT]

    def reset(self):
        SENT.clear()

    def parsed(self) -> list:
        """``[(to, subject, body)]`` of what was sent."""
        return mails(self)


@pytest.fixture
def mailhost(portal):
    install_mailhost(portal)
    SENT.clear()
    return Mailbox()


@pytest.fixture
def functional_mailhost(functional_portal):
    """The recording MailHost on the served site (committed)."""
    import transaction

    install_mailhost(functional_portal)
    transaction.commit()
    SENT.clear()
    return Mailbox()


@pytest.fixture
def tsa(integration):
    """The layer's RFC 3161 timestamp authority (put back in order after the test)."""
    server = integration["tsa"]
    yield server
    server.mode = "ok"


@pytest.fixture(autouse=True)
def no_signing_locks(request):
    """Failures and locks are committed at once (their own transaction), so they outlive an integration
    test's aborted transaction: start every integration test without any."""
    if "portal" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("portal")
    from links.content.signing import lockout

    lockout.reset()
    yield


@pytest.fixture
def read_events(monkeypatch):
    """Every read event recorded through the audit's public function (it still writes them)."""
    from links.content.audit import api as audit

    seen = []
    original = audit.record_read

    def spy(action, obj=None, details=None, actor=None, site_id=None):
        entry = original(action, obj, details, actor=actor, site_id=site_id)
        seen.append(entry)
        return entry

    monkeypatch.setattr(audit, "record_read", spy)
    return seen
