"""1000 → 1002: registry records of the timestamp authority and of the signing lock.

Only the two new registry files are imported: re-importing the whole registry would put back the XML
values of records a site has changed (its quorum, for one).
"""

import logging
from pathlib import Path

from lxml import etree
from plone.app.registry.exportimport.handler import RegistryImporter
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

FILES = ("timestamps.xml", "signing-lockout.xml")
REGISTRY = Path(__file__).parent.parent / "profiles" / "default" / "registry"


class _Environ:
    """What RegistryImporter asks of a GenericSetup import context."""

    def getLogger(self, name):
        return logging.getLogger(name)

    def shouldPurge(self):
        return False


def add_missing_records(files) -> None:
    """Import the records of ``files`` (names in ``profiles/default/registry``) that a site does not have
    yet, leaving every record it already has as it is."""
    registry = getUtility(IRegistry)
    importer = RegistryImporter(registry, _Environ())
    for name in files:
        tree = etree.fromstring((REGISTRY / name).read_bytes())
        for node in list(tree):
            if isinstance(node.tag, str) and node.get("name") in registry.records:
                tree.remove(node)
        importer.importDocument(etree.tostring(tree))


def add_signing_records(context=None):
    """Add the records that are not there yet, leaving any record a site already has as it is."""
    add_missing_records(FILES)
