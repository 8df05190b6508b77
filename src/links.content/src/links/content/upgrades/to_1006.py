"""1005 -> 1006: every links workflow manages versions, revert and clocks per state (#12).

The workflows and the role map are re-imported by ``upgradeDepends`` (``upgrades/configure.zcml``); the
new per-state permissions reach the records already there only when their role mappings are recomputed,
which is what this step does.
"""

import logging

from plone import api

logger = logging.getLogger(__name__)


def upgrade(context) -> None:
    """Recompute the role mappings of every record from its workflow's current definition."""
    count = api.portal.get_tool("portal_workflow").updateRoleMappings()
    logger.info("Role mappings updated on %s objects", count)
