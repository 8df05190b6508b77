"""Demo transitional report (SI 2008/528 reg 15) of the outgoing host, signed off by the governing body.

Path: ``/transitional-report``. The outgoing host, Northbridge Community Voice CIC, ceased on the day the
demo is built; the report covers its three-year contract, takes its figures from the demo records when
submitted, and is signed off for real by the demo governing body (their demo passwords, through the
signing API). Copies have gone to the host and to the council; the one to the Secretary of State is still
to send, so its clock is running. Runs after the other record steps so the figures include their records.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import timedelta

from plone import api
from plone.app.textfield.value import RichTextValue

from links.content.words import add_months
from links.policy.demo.records import SIGNERS
from links.policy.demo.records import _sign_off

logger = logging.getLogger("links.policy.demo")

REPORT_ID = "transitional-report"
HOST = "Northbridge Community Voice CIC"
COUNCIL = "Northbridge Borough Council"
EXPENDITURE = "\n".join(
    (
        "Staff salaries and on-costs: 312,450.00",
        "Host management fee: 45,000.00",
        "Office costs and IT: 27,340.00",
        "Communications and publications: 21,060.75",
        "Volunteer expenses: 18,230.40",
        "Venue and room hire: 12,415.00",
        "Training for authorised representatives: 9,870.00",
    )
)
NARRATIVE = (
    "<p>Northbridge Community Voice CIC hosted the network for three years. In that time the network "
    "grew to over 400 participants, held quarterly open meetings in Northbridge, Eastfield and the Quay, "
    "and trained its authorised representatives to visit care homes, the general hospital and home care "
    "services.</p>"
    "<p>Enter and view visits led to changes at Elm Lodge Care Home (the garden is open in daytime) and on "
    "Ward 7 (discharge letters are now explained to patients before they leave). The network referred "
    "delayed discharges to the Health Scrutiny Committee.</p>"
    "<p>All records, with their history, signatures and the audit trail, pass to the successor host in "
    "the signed handover archive.</p>"
)


def create(portal):
    """Create, submit and sign off the transitional report once (idempotent)."""
    if REPORT_ID in portal:
        return
    today = date.today()
    ceased = today  # so the figures include everything the demo steps above did today
    with api.env.adopt_roles(["Manager"]):
        report = api.content.create(
            container=portal,
            type="TransitionalReport",
            id=REPORT_ID,
            title=f"Transitional report of {HOST}",
            description="Activities and spending of the outgoing host's contract, for the host, the council "
            "and the Secretary of State.",
            period_start=add_months(ceased, -36) + timedelta(days=1),
            period_end=ceased,
            ceased_on=ceased,
            host_name=HOST,
            council_name=COUNCIL,
            expenditure=EXPENDITURE,
            narrative=RichTextValue(NARRATIVE, "text/html", "text/x-html-safe"),
        )
        with api.env.adopt_user(username="staff"):
            api.content.transition(report, transition="submit", comment="For sign-off by the governing body.")
        _sign_off(report, SIGNERS)
        # Copies sent after sign-off: two of three (the Secretary of State's clock keeps running).
        report.sent_to_host = today
        report.sent_to_council = today
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(report))
    logger.info("demo: transitional report signed off (%s)", api.content.get_state(report))
