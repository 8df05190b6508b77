"""Create the LINk site: a Classic UI Plone site with the policy (and, by default, the demo) installed."""

import logging

import transaction
from Products.CMFPlone.factory import addPloneSite
from zope.component.hooks import setSite

logger = logging.getLogger("links.policy")

SITE_ID = "links"
SITE_TITLE = "Local Involvement Network"
POLICY_PROFILE = "links.policy:default"
DEMO_PROFILE = "links.policy:demo"


def create_site(app, site_id=SITE_ID, force=False, demo=True, title=SITE_TITLE):
    """Create the site unless it exists; return (site, created).

    :param app: the Zope application root
    :param site_id: id of the Plone site (its URL path)
    :param force: delete an existing site with that id first
    :param demo: also install the demo users and records
    :returns: the site and whether it was created by this call
    """
    if site_id in app.objectIds():
        if not force:
            logger.info("Site %r exists; nothing to do (FORCE=1 recreates it).", site_id)
            return app[site_id], False
        logger.info("Deleting site %r (FORCE=1).", site_id)
        app.manage_delObjects([site_id])
        transaction.commit()

    extensions = [POLICY_PROFILE] + ([DEMO_PROFILE] if demo else [])
    site = addPloneSite(
        app,
        site_id,
        title=title,
        distribution_name="classic",
        extension_ids=extensions,
        setup_content=False,
        default_language="en-gb",
        portal_timezone="Europe/London",
    )
    setSite(site)
    transaction.commit()
    logger.info("Created site %r with %s.", site_id, ", ".join(extensions))
    return site, True
