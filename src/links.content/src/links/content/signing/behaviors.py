"""The ISignable behavior: a record that the governing body signs off with sealed e-signatures.

The behavior adds no fields; it marks the record (ISignableMarker) so the @sign / @signatures
services, the sign form, the signatures viewlet and the edit subscriber apply to it.
"""

from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope.interface import Interface
from zope.interface import provider


class ISignableMarker(Interface):
    """Marker: the record is signed off by the governing body."""


@provider(IFormFieldProvider)
class ISignable(model.Schema):
    """Behavior schema (no fields): signatures live in an annotation, see signing.storage."""
