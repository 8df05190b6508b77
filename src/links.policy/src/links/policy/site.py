"""Create the LINk site: a Classic UI Plone site with the policy (and, by default, the demo) installed."""

import logging
import os

import transaction
from Products.CMFPlone.factory import addPloneSite
from zope.component.hooks import setSite

logger = logging.getLogger("links.policy")

SITE_ID = "links"
SITE_TITLE = "Local Involvement Network"
POLICY_PROFILE = "links.policy:default"
DEMO_PROFILE = "links.policy:demo"


def run_as_site_builder(app):
    """Act as the Zope administrator, as someone creating a site in the ZMI would.

    The system user is not used: it holds no real roles, so workflow guards that check roles only pass
    through ``api.env.adopt_roles`` proxy roles, which nested ``adopt_user`` blocks (the demo's signers)
    do not preserve. The root ``admin`` (``LINKS_ADMIN_USER``) is used when it exists, else an unrestricted
    Manager that exists only for this process.
    """
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import UnrestrictedUser

    user = app.acl_users.getUser(os.environ.get("LINKS_ADMIN_USER", "admin"))
    if user is None:
        user = UnrestrictedUser("admin", "", ["Manager"], [])
    newSecurityManager(None, user.__of__(app.acl_users))


def create_site(app, site_id=SITE_ID, force=False, demo=True, title=None, commit=True):
    """Create the site unless it exists; return (site, created).

    :param app: the Zope application root
    :param site_id: id of the Plone site (its URL path)
    :param force: delete an existing site with that id first
    :param demo: also install the demo users and records
    :param title: site title (default: the demo network's name with demo data, else a generic one)
    :param commit: commit the new site (False: the caller's transaction does, e.g. a handover import that
        must leave no site behind when it stops)
    :returns: the site and whether it was created by this call
    """
    if site_id in app.objectIds():
        if not force:
            logger.info("Site %r exists; nothing to do (FORCE=1 recreates it).", site_id)
            return app[site_id], False
        logger.info("Deleting site %r (FORCE=1).", site_id)
        app.manage_delObjects([site_id])
        transaction.commit()

    # A new site starts a clean audit trail: an earlier site's read-event files and head are kept aside.
    from links.content.audit.readstore import move_aside

    moved = move_aside(site_id)
    if moved is not None:
        logger.info("The earlier audit folder of %r is kept as %s.", site_id, moved)
    extensions = [POLICY_PROFILE] + ([DEMO_PROFILE] if demo else [])
    if title is None:
        # The distribution's post-handler sets the title last, so the demo title is passed in here.
        from links.policy.demo import SITE_TITLE as DEMO_TITLE

        title = DEMO_TITLE if demo else os.environ.get("LINKS_SITE_TITLE", SITE_TITLE)
    site = addPloneSite(
        app,
        site_id,
        title=title,
        distribution_name="classic",
        setup_content=False,
        default_language="en-gb",
        portal_timezone="Europe/London",
    )
    setSite(site)
    # plone.distribution ignores extension_ids, so the profiles (and their dependencies) are applied here.
    setup_tool = site.portal_setup
    for profile_id in extensions:
        setup_tool.runAllImportStepsFromProfile(f"profile-{profile_id}")
    if commit:
        transaction.commit()
        # The first signed checkpoint, once the site exists: the trail is provable from its first hour.
        from links.content.audit import api as audit_api

        audit_api.checkpoint_committed(site)
    logger.info("Created site %r with %s.", site_id, ", ".join(extensions))
    return site, True
