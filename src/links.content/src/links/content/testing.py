"""Test layers for links.content (used by tests/content/ through pytest-plone's fixtures_factory)."""

from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import applyProfile
from plone.testing.zope import WSGI_SERVER_FIXTURE


class LinksContentLayer(PloneSandboxLayer):
    """A Plone site with links.content:default installed."""

    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import os
        import tempfile

        import plone.restapi

        # Signing keys live outside the ZODB; tests must never touch a real var/keys.
        if not os.environ.get("LINKS_KEYS_DIR"):
            os.environ["LINKS_KEYS_DIR"] = tempfile.mkdtemp(prefix="links-keys-")
        # Read events (audit readstore.py) are files too: keep each test run's apart.
        if not os.environ.get("LINKS_AUDIT_DIR"):
            os.environ["LINKS_AUDIT_DIR"] = tempfile.mkdtemp(prefix="links-audit-")

        import links.content
        from links.content.timestamps.testing import LocalTSA

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=links.content)
        # A real RFC 3161 timestamp authority on 127.0.0.1 (a free port) for every signed PDF of the tests.
        self["tsa"] = LocalTSA().start()

    def setUpPloneSite(self, portal):
        from links.content.timestamps.testing import configure_site

        applyProfile(portal, "plone.app.contenttypes:default")
        applyProfile(portal, "links.content:default")
        configure_site(self["tsa"])

    def tearDownZope(self, app):
        self["tsa"].stop()


LINKS_CONTENT_FIXTURE = LinksContentLayer()

LINKS_CONTENT_INTEGRATION_TESTING = IntegrationTesting(
    bases=(LINKS_CONTENT_FIXTURE,),
    name="LinksContentLayer:IntegrationTesting",
)

# Functional tests talk HTTP to a real WSGI server (port from ZSERVER_PORT, default 55001).
LINKS_CONTENT_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(LINKS_CONTENT_FIXTURE, WSGI_SERVER_FIXTURE),
    name="LinksContentLayer:FunctionalTesting",
)


def add_users(portal, users: dict, password: str) -> None:
    """Create each test user once and set its password and global roles (the areas' fixtures share this,
    and a layer may already hold a user of the same id from another area's tests).

    :param portal: the Plone site of the layer
    :param users: user id -> list of global roles
    :param password: the password every one of them gets
    """
    from plone import api
    from plone.app.testing import setRoles

    for userid, user_roles in users.items():
        if api.user.get(userid=userid) is None:
            api.user.create(username=userid, email=f"{userid}@example.org", password=password)
        else:  # left by another area's tests in this layer: make the password the one this test uses
            portal.acl_users.userSetPassword(userid, password)
        setRoles(portal, userid, user_roles)


def install_mailhost(portal, mailhost):
    """Put a (recording) MailHost in the site, as utility and attribute, with a sender address, so tests
    can see what the site e-mails.

    :param mailhost: e.g. an instance of ``Products.CMFPlone.tests.utils.MockMailHost`` or a subclass
    :returns: the mailhost
    """
    from plone import api
    from Products.MailHost.interfaces import IMailHost
    from zope.component import getSiteManager

    portal._original_MailHost = portal.MailHost
    portal.MailHost = mailhost
    site_manager = getSiteManager(portal)
    site_manager.unregisterUtility(provided=IMailHost)
    site_manager.registerUtility(mailhost, provided=IMailHost)
    api.portal.set_registry_record("plone.email_from_address", "links@example.org")
    api.portal.set_registry_record("plone.email_from_name", "Northbridge LINk")
    return mailhost


def set_state(obj, workflow_id: str, state: str, action: str, when) -> None:
    """Put a record in a workflow state as if it had been walked there at ``when``: the state, the history
    entry with that time, and the state's permissions (who may see it). For tests of what is counted or
    shown by state and date; the transitions themselves are tested by their own areas.

    :param when: a ``datetime.date`` (noon in London that day) or a Zope ``DateTime``
    """
    from datetime import date

    from DateTime import DateTime
    from plone import api
    from plone.app.testing import TEST_USER_ID

    time = DateTime(f"{when.isoformat()} 12:00:00 Europe/London") if isinstance(when, date) else when
    workflow = api.portal.get_tool("portal_workflow")
    workflow.setStatusOf(
        workflow_id,
        obj,
        {"review_state": state, "action": action, "actor": TEST_USER_ID, "comments": "", "time": time},
    )
    workflow.getWorkflowById(workflow_id).updateRoleMappingsFor(obj)
    obj.reindexObject()
