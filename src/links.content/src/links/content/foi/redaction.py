"""Redaction: one span of one field of one record version withheld from disclosure, with the
exemption and the reason. It is its own versioned record (who, when and why are kept with every
change); the record it redacts is never altered — redactions apply only when a bundle is rendered.
"""

from __future__ import annotations

from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

from links.content import _
from links.content.foi.vocabularies import EXEMPTIONS


class IRedaction(model.Schema):
    """A redaction (marker of the type). Created through foi.api.redact, which checks the span."""

    target = schema.ASCIILine(title=_("UID of the redacted record"), required=True)
    target_version = schema.Int(title=_("Version of the record"), required=True, min=0)
    field = schema.ASCIILine(title=_("Field"), required=True)
    text = schema.Text(title=_("Text withheld"), required=True)
    exemption = schema.Choice(title=_("Exemption"), vocabulary=EXEMPTIONS, required=True)
    reason = schema.Text(title=_("Why the exemption applies"), required=True)
    redacted_by = schema.ASCIILine(title=_("Redacted by"), required=False, readonly=True)
    redacted_at = schema.Datetime(title=_("Redacted at"), required=False, readonly=True)


@implementer(IRedaction)
class Redaction(Item):
    """A redaction record inside an FOIRequest."""

    redacted_by = None
    redacted_at = None
