"""Settings of the annual report (registry records ``links.content.annual.*``, declared by this interface)."""

from zope import schema
from zope.interface import Interface

from links.content import _

#: The bodies the 2007 Act and the seeds name; a council with several scrutiny committees lists each.
DEFAULT_RECIPIENTS = (
    "The Secretary of State for Health and Social Care",
    "The local authority",
    "The local authority's overview and scrutiny committee",
    "The Care Quality Commission",
    "The host organisation",
)


class IAnnualReportSettings(Interface):
    recipients = schema.Tuple(
        title=_("Who receives a copy of the annual report"),
        description=_(
            "One body per line. A published report's checklist of copies is taken from this list; name each "
            "overview and scrutiny committee of the council."
        ),
        value_type=schema.TextLine(max_length=300),
        default=DEFAULT_RECIPIENTS,
        required=False,
        missing_value=(),
    )
