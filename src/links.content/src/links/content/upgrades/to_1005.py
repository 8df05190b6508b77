"""1003 -> 1005: the annual report (links.content.annual) and the period report base.

The XML this step re-imports (types, workflows, role map, catalog, versioning policy) is in
``upgrades/configure.zcml`` (``upgradeDepends``). Python does what re-importing the registry would do
badly, because the registry records are JSON texts a site may have changed: it adds the AnnualReport
sign-off transition and the two 30 June clock rules without touching the rest, declares the recipients
record, and fills the new ``period_dates`` index for the records already there, in batches.
"""

from __future__ import annotations

import json
import logging

import transaction
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from links.content.annual.interfaces import IAnnualReportSettings
from links.content.periodreport.figures import COUNTED_TYPES
from links.content.periodreport.figures import INDEX

logger = logging.getLogger(__name__)

SIGNOFF_RECORD = "links.content.signing.signoff_transitions"
CLOCKS_RECORD = "links.content.clocks.rules"
SIGNOFF = {"AnnualReport": ["pending_signoff", "sign_off"]}
CLOCK_RULES = {
    "annual-report": {
        "title": "Publish the annual report (by 30 June: 3 months from the end of the financial year)",
        "kind": "calendar_month",
        "count": 3,
    },
    "annual-report-copies": {
        "title": "Send copies of the annual report to the listed bodies (by 30 June)",
        "kind": "calendar_month",
        "count": 3,
    },
}
BATCH = 500


def _merge(record: str, additions: dict) -> None:
    """Add the missing keys of ``additions`` to a JSON registry record, keeping what the site has."""
    text = api.portal.get_registry_record(record, default=None)
    try:
        current = json.loads(text) if text else {}
    except ValueError:
        logger.error("Registry record %s is not valid JSON: left as it is; add %s by hand", record, additions)
        return
    missing = {key: value for key, value in additions.items() if key not in current}
    if missing:
        current.update(missing)
        api.portal.set_registry_record(record, json.dumps(current, ensure_ascii=False))
        logger.info("%s: added %s", record, ", ".join(sorted(missing)))


def upgrade(context) -> None:
    """The Python part of 1003 -> 1005 (the XML is re-imported by upgradeDepends)."""
    _merge(SIGNOFF_RECORD, SIGNOFF)
    _merge(CLOCKS_RECORD, CLOCK_RULES)
    getUtility(IRegistry).registerInterface(IAnnualReportSettings, prefix="links.content.annual")
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type=list(COUNTED_TYPES))
    for done, brain in enumerate(brains, 1):
        catalog.catalog_object(
            brain._unrestrictedGetObject(), brain.getPath(), idxs=[INDEX], update_metadata=0
        )
        if done % BATCH == 0:
            transaction.savepoint(optimistic=True)
            logger.info("%s: %d records indexed", INDEX, done)
