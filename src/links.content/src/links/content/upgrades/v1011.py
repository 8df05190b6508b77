"""1010 -> 1011: the verify page's limits (registry ``links.content.verify.*``) and its link in the site
actions (``actions.xml``, re-imported without purging: other actions stay as the site has them), #21.

The record of issue needs no migration: its index is created by the first PDF issued after the upgrade.
PDFs issued before it are not in the record; the verify page still recognises their valid seals
("signed") and says they predate the record.
"""

from plone import api

from links.content.upgrades.v1002 import add_missing_records


def upgrade(context=None):
    """Add the verify page's registry records a site does not have yet, and its site action."""
    add_missing_records(("verify.xml",))
    setup = context if context is not None else api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-links.content:default", "actions", run_dependencies=False)
