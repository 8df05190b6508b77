"""The audit trail never keeps the value of a field with a read permission, even when the edit is the one
that makes the record confidential (the declaration's marker is set by a subscriber that runs after the
audit's): only the field's name (attacker review, #12)."""

import transaction
from plone import api
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import modified

from links.content.audit import api as audit
from links.content.declarations.declaration import IDeclarationOfInterest

SECRET = "My brother runs Elm House"


def test_first_sensitive_edit_keeps_names_only(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        declaration = api.content.create(
            container=functional_portal,
            type="DeclarationOfInterest",
            title="Declaration",
            member="declarant",
            employment="Retired nurse",
        )
        transaction.commit()
        declaration.sensitive = True
        declaration.sensitive_details = SECRET
        declaration.employment = "Retired practice nurse"
        modified(
            declaration, Attributes(IDeclarationOfInterest, "sensitive", "sensitive_details", "employment")
        )
        transaction.commit()  # the chainer appends the entries right after
        transaction.begin()
        filters = audit.parse_filters({"uid": declaration.UID(), "action": "record.modified"})
        _, entries = audit.entries(filters, limit=50)
    [entry] = [e for e in entries if "sensitive_details" in e["details"].get("fields", [])]
    assert "sensitive_details" not in (entry["details"].get("changes") or {})
    assert SECRET not in repr(entries)
