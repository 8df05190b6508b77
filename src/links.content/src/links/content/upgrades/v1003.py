"""1000 -> 1003: references that cannot be shared, honest clocks, the statutory FOI and subject access rules.

- Reference counters: ``BTrees.Length`` objects (which merged concurrent increments, so two cases could
  share a number) become plain integers, which conflict instead (``annotations.next_in_year``).
- Clock rules (registry ``links.content.clocks.rules``): rules and keys the site lacks are added from the
  profile, rules the site changed are kept. Re-importing registry/clocks.xml would overwrite a network's own
  rules, so this is done here; for the same reason the new record ``backdate_working_days`` is added here.
- The FOI workflow (fees notice, lapsed requests) and the "Backdate clock changes" permission come from
  the profile (``upgradeDepends``).
- Records with clocks are reindexed: ``clock_status`` knows "met_late", ``clock_summary`` carries lateness.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import transaction
from BTrees.Length import Length
from lxml import etree
from plone import api
from plone.registry import field
from plone.registry.interfaces import IRegistry
from plone.registry.record import Record
from zope.component import getUtility

from links.content.annotations import annotated_tree
from links.content.clocks.api import BACKDATE_RECORD
from links.content.clocks.api import CLOCK_INDEXES
from links.content.clocks.api import CLOCKS_MARKER
from links.content.clocks.api import DEFAULT_BACKDATE
from links.content.clocks.api import RULES_RECORD
from links.content.complaints.api import COUNTER_KEY as COMPLAINT_COUNTERS
from links.content.foi.api import COUNTER_KEY as FOI_COUNTERS

logger = logging.getLogger("links.content.upgrades")

CLOCKS_XML = Path(__file__).parent.parent / "profiles" / "default" / "registry" / "clocks.xml"
BATCH = 500


def upgrade(setup_tool=None) -> None:
    migrate_counters()
    merge_clock_rules()
    add_backdate_record()
    reindex_clocks()


def migrate_counters() -> None:
    """Each year's ``Length`` counter becomes the integer it holds."""
    portal = api.portal.get()
    for key in (COMPLAINT_COUNTERS, FOI_COUNTERS):
        counters = annotated_tree(portal, key)
        for year, value in list((counters or {}).items()):
            if isinstance(value, Length):
                counters[year] = value()


def profile_rules() -> dict:
    """The clock rules of the profile's registry/clocks.xml."""
    tree = etree.parse(str(CLOCKS_XML))
    [value] = tree.xpath(f"//record[@name='{RULES_RECORD}']/value/text()")
    return json.loads(value)


def merge_clock_rules() -> None:
    """Add the profile's new rules, and new keys of known rules, to the site's rules (site values win)."""
    current = json.loads(api.portal.get_registry_record(RULES_RECORD, default="") or "{}")
    for name, rule in profile_rules().items():
        mine = current.setdefault(name, {})
        for key, value in rule.items():
            mine.setdefault(key, value)
    api.portal.set_registry_record(RULES_RECORD, json.dumps(current, indent=2))


def add_backdate_record() -> None:
    registry = getUtility(IRegistry)
    if BACKDATE_RECORD in registry.records:
        return
    registry.records[BACKDATE_RECORD] = Record(
        field.Int(
            title="Working days a clock change may be dated back",
            description=(
                "A pause, resumption, extension or end of a clock dated further back than this needs a "
                "Manager and a reason, and is marked as backdated."
            ),
            min=0,
            max=260,
        ),
        DEFAULT_BACKDATE,
    )


def reindex_clocks() -> None:
    """Reindex the clock indexes and metadata of every record with clocks (savepoints every BATCH)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(object_provides=CLOCKS_MARKER)
    for number, brain in enumerate(brains, 1):
        obj = brain._unrestrictedGetObject()
        # update_metadata: clock_summary is a metadata column.
        catalog.catalog_object(obj, idxs=list(CLOCK_INDEXES), update_metadata=True)
        if number % BATCH == 0:
            transaction.savepoint(optimistic=True)
            logger.info("Reindexed the clocks of %d records", number)
