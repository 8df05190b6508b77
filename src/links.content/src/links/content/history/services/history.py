"""GET <record>/@history and @history/<version>: plone.restapi's, behind the disclosure rule.

Upstream serializes a version with the permissions the version carried when it was saved and checks only
"Access previous versions"; here the reader needs View on the record, a version shows only the fields the
reader may read on the record as it is now, and comments are withheld from readers who may not read the
record's free text (``links.content.disclosure``).
"""

from plone.dexterity.utils import iterSchemata
from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.services.history.get import HistoryGet as BaseHistoryGet
from zExceptions import BadRequest
from zope.component import getMultiAdapter
from zope.schema import getFieldsInOrder

from links.content import disclosure
from links.content.history import api


class HistoryGet(BaseHistoryGet):
    def reply(self):
        disclosure.require_view(self.context)
        if self.version:
            try:
                version_id = int(self.version)
            except (TypeError, ValueError):
                raise BadRequest(
                    f"The version must be a whole number (a version id), not {self.version!r}."
                ) from None
            known = (
                {v["version_id"] for v in api.versions(self.context)}
                if api.is_versioned(self.context)
                else set()
            )
            if version_id not in known:
                raise BadRequest(f"Version {version_id} does not exist (versions: {sorted(known)}).")
            self.version = str(version_id)
            data = super().reply()
            allowed = disclosure.readable_fields(self.context)
            version = None
            for schema in iterSchemata(self.context):
                for name, field in getFieldsInOrder(schema):
                    if name not in allowed:
                        data.pop(name, None)
                    elif name not in data:
                        # Upstream judged the version by the permissions it carried when saved.
                        version = version or api.get_version(self.context, version_id)
                        adapted = field.bind(schema(version, None) or version)
                        data[name] = getMultiAdapter((adapted, version, self.request), IFieldSerializer)()
            disclosure.note_read(self.context, "history")
            return data
        entries = super().reply()
        if not disclosure.may_read_free_text(self.context):
            for entry in entries:
                if entry.get("comments"):
                    entry["comments"] = disclosure.WITHHELD
        return entries
