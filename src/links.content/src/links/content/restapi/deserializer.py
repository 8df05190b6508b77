"""Deserialize REST edits of records, refusing fields the user may not write instead of dropping them.

plone.restapi skips, without a word, every field of a PATCH whose write permission the user lacks: a
PATCH to the findings of a report awaiting sign-off answers 204 and changes nothing, and the client
believes it saved. Here such a PATCH is a 400 that names the fields and the record's state, and nothing
is changed. Creation (POST) keeps plone.restapi's behaviour: the creator's permissions on a record that
does not exist yet are not those it will have once added.
"""

from plone.autoform.interfaces import WRITE_PERMISSIONS_KEY
from plone.dexterity.interfaces import IDexterityContent
from plone.dexterity.utils import iterSchemata
from plone.restapi.deserializer import json_body
from plone.restapi.deserializer.dxcontent import DeserializeFromJson
from plone.restapi.interfaces import IDeserializeFromJson
from plone.supermodel.utils import mergedTaggedValueDict
from zExceptions import BadRequest
from zope.component import adapter
from zope.interface import implementer
from zope.schema import getFields

from links.content.interfaces import ILinksContentLayer
from links.content.words import state_title


@implementer(IDeserializeFromJson)
@adapter(IDexterityContent, ILinksContentLayer)
class RecordDeserializer(DeserializeFromJson):
    """plone.restapi's deserializer, answering 400 for fields the user may not write (edits only)."""

    def __call__(self, validate_all=False, data=None, create=False, mask_validation_errors=True):
        if data is None:
            data = json_body(self.request)
        if not create:
            refused = self.refused_fields(data)
            if refused:
                titles = ", ".join(f"“{title}”" for title in refused.values())
                state = state_title(self.context)
                where = f" while it is “{state}”" if state else ""
                raise BadRequest(
                    f"You may not change {titles} of this record{where}: those fields are locked in "
                    f"this state or need a permission you do not hold ({', '.join(sorted(refused))}). "
                    "Nothing was changed."
                )
        return super().__call__(
            validate_all=validate_all,
            data=data,
            create=create,
            mask_validation_errors=mask_validation_errors,
        )

    def refused_fields(self, data: dict) -> dict[str, str]:
        """Field name -> title of the fields in ``data`` whose write permission the user lacks."""
        refused = {}
        for schema in iterSchemata(self.context):
            permissions = mergedTaggedValueDict(schema, WRITE_PERMISSIONS_KEY)
            for name, field in getFields(schema).items():
                if name in data and not field.readonly and not self.check_permission(permissions.get(name)):
                    refused[name] = str(field.title or name)
        return refused
