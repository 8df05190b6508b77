"""Demo users and realistic records for trying the product (profile ``links.policy:demo``).

Demo-only: the credentials are published in the README. Every step is idempotent, so
installing the profile again adds nothing twice. Feature areas add a module here and
append its ``create`` function to ``STEPS``.
"""

import logging

from plone import api

from links.policy.demo import annual
from links.policy.demo import complaints
from links.policy.demo import foi
from links.policy.demo import pages
from links.policy.demo import records
from links.policy.demo import transitional
from links.policy.demo import users

logger = logging.getLogger("links.policy.demo")

SITE_TITLE = "Northbridge Local Involvement Network"

#: Ordered: users first, because records name their authors and signers.
STEPS = [
    users.create,
    pages.create,
    records.create,
    complaints.create,
    foi.create,
    transitional.create,  # after the records: its figures count the records the steps above create
    annual.create,  # adds the last financial year's own records, then counts them
]


def _timestamps() -> None:
    """The demo signs records off; without a timestamp authority configured (LINKS_TSA_URL) its PDFs are
    sealed without an RFC 3161 timestamp, and say so, rather than the demo failing to build."""
    from links.content.timestamps import api as timestamps

    if not timestamps.settings().configured:
        logger.warning(
            "demo: no timestamp authority is configured, so the demo site's signed PDFs carry no timestamp "
            "(%s switched off). Set LINKS_TSA_URL to use one.",
            timestamps.REQUIRED,
        )
        api.portal.set_registry_record(timestamps.REQUIRED, False)


def install(context):
    """Post-handler of the demo profile; refused in production, whichever path applies the profile.

    The demo users' password is published in the README, so a production site must never get them
    (``make create-site``, ``create_site(demo=True)``, the ZMI's portal_setup: all end here).
    """
    from links.policy.safety import DemoCredentialsError
    from links.policy.safety import is_production

    if is_production():
        raise DemoCredentialsError(
            "Refusing the demo profile: this is a production instance (LINKS_PRODUCTION=1) and the demo "
            "users' password is published"
        )
    portal = api.portal.get()
    portal.title = SITE_TITLE
    api.portal.set_registry_record("plone.site_title", SITE_TITLE)
    _timestamps()
    for step in STEPS:
        logger.info("demo: %s.%s", step.__module__, step.__name__)
        step(portal)
