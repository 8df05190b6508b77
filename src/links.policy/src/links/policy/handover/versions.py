"""Reading and writing CMFEditions versions at handover speed, with the same results as the repository API.

A handover reads and writes every version of every record: 50,000 versions for 10,000 records. The public
``portal_repository`` calls are built for one version at a time in a user's request, and three of their
costs multiply here without adding anything:

- every ``save`` and ``retrieve`` takes a transaction savepoint (``save``: to roll back an aborted save;
  ``retrieve``: to undo copying the version onto the working copy). A savepoint writes every object
  changed so far in the transaction to a temporary file, and a rollback invalidates the working copy, which
  is then loaded again;
- ``retrieve`` copies the version's attributes onto the working copy (so that the old children can be
  traversed) and then rolls that back, while the handover only reads the version's field values;
- the modifier registry evaluates every modifier's TALES condition three times per save and twice per
  retrieve.

So the handover goes one level down, to the same archivist and modifier pipeline the repository itself uses
(``portal_archivist.prepare``/``save``/``retrieve`` through ``_recursiveSave``): the stored clones, the
referenced data (blobs), the ZVC log entries and the shadow history metadata are exactly those a
``portal_repository.save`` makes, except that author, date and comment are the archive's from the start
(``repository.save`` would record the importer and the time of the import). Within one record the
applicable modifiers are worked out once (see ``same_modifiers``).
"""

import contextlib
import threading

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from Products.CMFCore.utils import getToolByName
from Products.CMFEditions.interfaces.IArchivist import ArchivistRetrieveError
from Products.CMFEditions.interfaces.IModifier import IConditionalModifier
from Products.CMFEditions.interfaces.IStorage import StorageRetrieveError
from Products.CMFEditions.ModifierRegistryTool import ModifierRegistryTool
from Products.CMFEditions.Permissions import SaveNewVersion

_local = threading.local()
_collect_modifiers = ModifierRegistryTool._collectModifiers


def _collect_modifiers_once(self, obj, interface, reversed=False):  # noqa: A002 - CMFEditions' signature
    """``ModifierRegistryTool._collectModifiers``, remembering which modifiers apply to ``obj`` while
    ``same_modifiers()`` is active in this thread (and exactly the original everywhere else)."""
    cache = getattr(_local, "applicable", None)
    if cache is None:
        return _collect_modifiers(self, obj, interface, reversed)
    base = aq_base(obj)
    entry = cache.get(id(base))
    if entry is None or entry[0] is not base:
        portal = getToolByName(self, "portal_url").getPortalObject()
        applicable = [
            (mod_id, wrapper.getModifier())
            for mod_id, wrapper in self.objectItems()
            if IConditionalModifier.providedBy(wrapper) and wrapper.isApplicable(obj, portal)
        ]
        # Keeping ``base`` referenced keeps its id() from being reused by another object meanwhile.
        entry = cache[id(base)] = (base, applicable)
    found = [(mod_id, mod) for mod_id, mod in entry[1] if interface.providedBy(mod)]
    if reversed:
        found.reverse()
    return found


ModifierRegistryTool._collectModifiers = _collect_modifiers_once


@contextlib.contextmanager
def same_modifiers():
    """Within this block (one record), work out once per object which CMFEditions modifiers apply.

    The standard modifiers' conditions depend on what an object *is* (portal type, meta type, folderish or
    structural folder), which does not change between the versions of one record; they are still evaluated
    once for each object (the working copy and each retrieved clone).
    """
    outer = getattr(_local, "applicable", None)
    _local.applicable = {}
    try:
        yield
    finally:
        _local.applicable = outer


def history_entries(obj) -> list[dict]:
    """The version history of ``obj``, oldest first: ``version_id``, ``principal``, ``timestamp``,
    ``comment`` (from the shadow history's metadata, without loading any version)."""
    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(obj):
        return []
    history = repository.getHistoryMetadata(obj)
    if not history:
        return []
    entries = []
    for position in range(history.getLength(countPurged=False)):
        sys_metadata = history.retrieve(position, countPurged=False)["metadata"]["sys_metadata"]
        entries.append(
            {
                "version_id": history.getVersionId(position, countPurged=False),
                "principal": sys_metadata.get("principal"),
                "timestamp": sys_metadata.get("timestamp"),
                "comment": sys_metadata.get("comment") or "",
            }
        )
    return entries


def retrieve(obj, version_id: int):
    """Version ``version_id`` of ``obj`` as ``portal_repository.retrieve(obj, version_id).object`` returns
    it (the archivist's clone after the retrieve modifiers, wrapped in the working copy's parent), without
    touching the working copy and without a savepoint.

    :param obj: the working copy
    :param version_id: a version id of its history
    :returns: the version, acquisition-wrapped
    """
    return next(retrieve_many(obj, [version_id]))


def retrieve_many(obj, version_ids):
    """``retrieve`` for several versions of one record, through one archivist history (a generator).

    :raises ArchivistRetrieveError: a version does not exist
    """
    history = api.portal.get_tool("portal_archivist").getHistory(obj, countPurged=True)
    parent = aq_parent(aq_inner(obj))
    for version_id in version_ids:
        try:
            vdata = history[version_id]
        except StorageRetrieveError:
            raise ArchivistRetrieveError(f"Version {version_id} of {obj!r} does not exist.") from None
        yield aq_base(vdata.data.object).__of__(parent)


def save(obj, principal: str, timestamp: float, comment: str) -> None:
    """Save the current state of ``obj`` as its next version, recorded with the given author, time and
    comment (as ``portal_repository.save`` would have recorded them when the version was made).

    :param obj: the working copy
    :param principal: user id of the version's author
    :param timestamp: seconds since the epoch (``time.time()`` at the original save)
    :param comment: the version's comment
    :raises Unauthorized: the current user may not save versions of ``obj``
    """
    repository = api.portal.get_tool("portal_repository")
    repository._assertAuthorized(obj, SaveNewVersion, "save")
    sys_metadata = {"comment": comment, "timestamp": timestamp, "principal": principal, "originator": None}
    repository._recursiveSave(obj, {}, sys_metadata, autoapply=True)
