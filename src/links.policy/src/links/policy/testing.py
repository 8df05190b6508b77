"""Test layers for links.policy (used by tests/policy/ through pytest-plone's fixtures_factory)."""

from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import applyProfile
from plone.testing.zope import WSGI_SERVER_FIXTURE

from links.content.testing import LINKS_CONTENT_FIXTURE


class LinksPolicyLayer(PloneSandboxLayer):
    """A Plone site set up as a LINk site: links.policy:default on top of links.content.

    The layers form one chain (content -> policy -> demo) so pytest can keep each set up for the
    whole session without two sibling sandboxes stacked at once.
    """

    defaultBases = (LINKS_CONTENT_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.classicui
        import plone.distribution

        import links.policy

        # links.policy.site.create_site builds sites from the "classic" distribution, as `make
        # create-site` does; PLONE_FIXTURE does not register distributions.
        self.loadZCML(name="meta.zcml", package=plone.distribution)
        self.loadZCML(name="distributions.zcml", package=plone.classicui)
        self.loadZCML(package=links.policy)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "links.policy:default")


LINKS_POLICY_FIXTURE = LinksPolicyLayer()


class LinksDemoLayer(PloneSandboxLayer):
    """The LINk site with the demo users and records, as `make create-site` builds it."""

    defaultBases = (LINKS_POLICY_FIXTURE,)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "links.policy:demo")


LINKS_DEMO_FIXTURE = LinksDemoLayer()

LINKS_POLICY_INTEGRATION_TESTING = IntegrationTesting(
    bases=(LINKS_POLICY_FIXTURE,),
    name="LinksPolicyLayer:IntegrationTesting",
)
LINKS_POLICY_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(LINKS_POLICY_FIXTURE, WSGI_SERVER_FIXTURE),
    name="LinksPolicyLayer:FunctionalTesting",
)
LINKS_DEMO_INTEGRATION_TESTING = IntegrationTesting(
    bases=(LINKS_DEMO_FIXTURE,),
    name="LinksDemoLayer:IntegrationTesting",
)
# A served demo site for HTTP and real-browser tests (port from ZSERVER_PORT, default 55001).
LINKS_DEMO_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(LINKS_DEMO_FIXTURE, WSGI_SERVER_FIXTURE),
    name="LinksDemoLayer:FunctionalTesting",
)
