"""OSCReferral: a matter the network refers to the council's overview and scrutiny committee.

The committee must acknowledge within 20 working days beginning with the date of referral
(SI 2008/528 regs 17, 18): the clock "osc-acknowledgement", started when the referral is made.
"""

from plone.supermodel import model
from zope import schema

from links.content import _
from links.content.validators import LINE
from links.content.validators import NARRATIVE
from links.content.validators import not_in_future


class IOSCReferral(model.Schema):
    """A referral to an overview and scrutiny committee (marker of the type). The title names the matter."""

    committee = schema.TextLine(
        max_length=LINE,
        title=_("Committee"),
        description=_("e.g. Northbridge Borough Council Health Overview and Scrutiny Committee"),
        required=True,
    )
    matter = schema.Text(max_length=NARRATIVE, title=_("Matter referred"), required=True)
    report = schema.Text(max_length=NARRATIVE, title=_("Report and recommendations"), required=False)
    referred_on = schema.Date(
        title=_("Referred on"),
        description=_("Filled in with today's date when the referral is made, if empty."),
        required=False,
        constraint=not_in_future,
    )
    acknowledged_on = schema.Date(title=_("Acknowledged on"), required=False, constraint=not_in_future)
