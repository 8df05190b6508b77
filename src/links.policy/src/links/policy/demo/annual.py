"""Demo annual report of the last complete financial year, signed off by the governing body and published.

Path: ``/annual-report-YYYY-YY`` (e.g. ``/annual-report-2025-26`` for 1 April 2025 to 31 March 2026, the last
year that has ended when the demo is built). The other demo steps make records of the last few months; so
that the year has a story, this step first adds the year's own records, dated inside it: the
representatives' authorisations of the time, two enter and view visits with recommendations, two requests
for information, a referral to scrutiny, two complaints (one appealed), two FOI requests and two relevant
decisions. Each goes through the product's own procedures (the same transitions, signatures and clocks as a
live site); only the days are the year's, and the clocks are started and stopped on those days. The report
is then created, submitted (its figures counted from all the site's records), signed off for real by the
demo governing body, published, and its copies recorded as sent to every listed body but the Secretary of
State, so the checklist shows the one still to send.

Run after the other record steps. Idempotent: the year's records carry ``demo_year_key``.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import timedelta

from plone import api
from plone.app.textfield.value import RichTextValue
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

from links.content.annual import api as annual_api
from links.content.annual import years
from links.content.clocks import api as clocks_api
from links.policy.demo.records import SIGNERS
from links.policy.demo.records import _sign_off

logger = logging.getLogger("links.policy.demo")

#: The bodies the demo network sends its report to (registry links.content.annual.recipients).
RECIPIENTS = (
    "The Secretary of State for Health and Social Care",
    "Northbridge Borough Council",
    "Northbridge Borough Council Health Overview and Scrutiny Committee",
    "Northbridge Borough Council Adult Social Care Scrutiny Panel",
    "The Care Quality Commission",
    "Northbridge Community Voice CIC (the host)",
)
UNSENT = RECIPIENTS[0]

EXPENDITURE = "\n".join(
    (
        "Staff salaries and on-costs: 104,150.00",
        "Host management fee: 15,000.00",
        "Office costs and IT: 9,113.40",
        "Communications and publications: 7,020.25",
        "Volunteer expenses: 6,076.80",
        "Venue and room hire: 4,138.30",
        "Training for authorised representatives: 3,290.00",
    )
)
INCOME = "Northbridge Borough Council grant: 150,000.00\nDonations and fundraising: 1,250.00"
YEAR_END = (
    "The network spent £2,461.25 less than its income. The council has agreed that the underspend is "
    "carried forward to fund the dentistry project in the coming year."
)


def _html(text: str) -> RichTextValue:
    """A fresh rich text value (each holds a persistent object: never share one between sites)."""
    return RichTextValue(text, "text/html", "text/x-html-safe")


ACHIEVEMENTS = (
    "<p>Our enter and view visit to Ward 7 of Northbridge General Hospital found that older patients were "
    "often sent home without their discharge letter explained. The trust now has a discharge nurse on the "
    "ward every weekday afternoon.</p>"
    "<p>People who use HomeCare Plus told us that visits were missed or late. We asked the council for "
    "the figures and the service is now monitored monthly.</p>"
)
CASE_STUDIES = (
    "<h3>Getting home from Ward 7</h3><p>Mr D, 84, was discharged at 9pm without transport. His daughter "
    "told us at a drop-in session. Our visit found he was not alone; the trust changed its discharge "
    "checklist after our report.</p>"
)
INVOLVEMENT = (
    "<p>Over 400 people took part: 31 volunteers, 12 trained authorised representatives, quarterly open "
    "meetings in Northbridge, Eastfield and the Quay, and an online survey answered by 212 people.</p>"
)
EQUALITY = (
    "<p>We held listening sessions with the Polish community centre, the Deaf club and a traveller site, "
    "and published our survey in easy read, Polish and large print. Young carers helped design the survey "
    "questions.</p>"
)
PLANS = (
    "<p>Next year the governing body has agreed three priorities: access to NHS dentistry, mental health "
    "support for young people, and following up the discharge changes on Ward 7.</p>"
)


def year_of_demo(today: date | None = None) -> tuple[date, date]:
    """The financial year the demo report covers: the last one that has ended."""
    return years.last_complete_year(today)


def report_id(start: date) -> str:
    return f"annual-report-{start.year}-{str(start.year + 1)[-2:]}"


def _existing(folder, key):
    for obj in folder.objectValues():
        if getattr(obj, "demo_year_key", None) == key:
            return obj
    return None


def _relation(obj) -> RelationValue:
    return RelationValue(getUtility(IIntIds).getId(obj))


def _clock(obj, name: str, started: date, met_on: date | None) -> None:
    """The clock as it ran in the year (the procedures start and stop clocks on the day they run)."""
    clocks_api.start(obj, name, started=started)
    if met_on is not None:
        clocks_api.stop(obj, name, on=met_on)


def _authorisations(portal, start: date) -> None:
    """The representatives' authorisations of that year, which the current ones renewed: the visits of the
    year were made by people authorised at the time."""
    folder = portal["authorisations"]
    for userid in ("rep1", "rep2"):
        key = f"{userid}-{start.year}"
        if _existing(folder, key) is not None:
            continue
        obj = api.content.create(
            container=folder,
            type="RepresentativeAuthorisation",
            id=f"authorisation-{key}",
            title=f"Authorisation of {userid} ({start.year})",
            representative=userid,
            authorised_on=start - timedelta(days=60),
            evidence=f"Governing body minute GB/{start.year}/3: authorised after training.",
            dbs_check_date=start - timedelta(days=75),
            dbs_level="enhanced-barred",
            dbs_outcome="clear",
            checked_by="staff",
            expires_on=start + timedelta(days=400),
        )
        obj.demo_year_key = key


def _visits(portal, start: date) -> list:
    folder = portal["reports"]
    providers = portal["providers"]
    made = []
    for key, provider_id, offset, announcement, response_days, recommendations in (
        (
            "ward7-summer",
            "northbridge-general",
            75,
            "unannounced",
            18,
            "<ol><li>Explain the discharge letter to every patient before they leave.</li>"
            "<li>Arrange transport before 6pm.</li><li>Tell relatives the discharge date.</li></ol>",
        ),
        (
            "homecare-autumn",
            "homecare-plus",
            190,
            "announced",
            None,
            "<ol><li>Tell people when a visit will be late.</li>"
            "<li>Keep the same carers where possible.</li></ol>",
        ),
    ):
        report = _existing(folder, key)
        if report is None:
            provider = providers[provider_id]
            visited = start + timedelta(days=offset)
            report = api.content.create(
                container=folder,
                type="EnterAndViewReport",
                id=f"visit-{key}-{visited.year}",
                title=f"Visit to {provider.title} ({visited:%B %Y})",
                provider=_relation(provider),
                premises="Communal areas" if "care" in provider.service_type else "Ward and discharge lounge",
                visit_date=visited,
                announcement=announcement,
                representatives=["rep1", "rep2"],
                lead="rep1",
                findings=_html("<p>People told us what worked and what did not.</p>"),
                recommendations=_html(recommendations),
            )
            report.demo_year_key = key
            api.content.transition(report, transition="submit")
            _sign_off(report, SIGNERS)
            api.content.transition(report, transition="send_to_provider", comment="Signed off.")
            sent = visited + timedelta(days=7)
            responded = sent + timedelta(days=response_days) if response_days else None
            _clock(report, "provider-response", sent, responded)
            if responded:
                report.provider_response = _html("<p>Thank you: we have changed our practice.</p>")
                report.provider_response_date = responded
            # Published with or without a response once the 20 working days have run out.
            api.content.transition(report, transition="publish")
            report.publication_date = sent + timedelta(days=45)
            report.reindexObject()
        made.append(report)
    return made


def _requests_and_referrals(portal, start: date) -> None:
    requests, referrals = portal["information-requests"], portal["referrals"]
    for key, title, offset, answer_days in (
        ("ward7-discharges", "Discharges from Ward 7 after 6pm", 90, 12),
        ("homecare-missed", "Missed home care visits by month", 200, 35),
    ):
        if _existing(requests, key) is not None:
            continue
        with api.env.adopt_user(username="staff"):
            obj = api.content.create(
                container=requests,
                type="InformationRequest",
                id=key,
                title=title,
                addressee="Northbridge Borough Council, Adult Social Care",
                addressee_kind="commissioner",
                questions=f"{title}: the figures for the last twelve months.",
                sent_on=start + timedelta(days=offset),
            )
            obj.demo_year_key = key
            api.content.transition(obj=obj, transition="send")  # the clock starts on "sent on"
            obj.response = "The figures are attached."
            obj.response_received_on = obj.sent_on + timedelta(days=answer_days)
            api.content.transition(obj=obj, transition="record_answer")  # ... and stops on the answer
    if _existing(referrals, "ward7-referral") is None:
        with api.env.adopt_user(username="chair"):
            obj = api.content.create(
                container=referrals,
                type="OSCReferral",
                id="ward7-referral",
                title="Late discharges of older patients from Ward 7",
                committee="Northbridge Borough Council Health Overview and Scrutiny Committee",
                matter="Older patients discharged late in the evening without transport.",
                referred_on=start + timedelta(days=120),
            )
            obj.demo_year_key = "ward7-referral"
            api.content.transition(obj=obj, transition="refer")
        with api.env.adopt_user(username="staff"):
            obj.acknowledged_on = obj.referred_on + timedelta(days=14)
            api.content.transition(obj=obj, transition="acknowledge")


def _complaints(portal, start: date) -> None:
    from links.content.complaints import api as complaints_api

    folder = portal["complaints"]
    for key, offset, values, appeal in (
        (
            "survey-access",
            40,
            {
                "how_received": "phone",
                "about": "network",
                "complainant_name": "Frank Adeyemi",
                "details": "The survey could not be answered without a computer.",
                "findings": "Paper copies were promised but not sent to the day centres.",
                "outcome": "upheld",
                "remedies": "Paper and easy read copies now go to every day centre.",
            },
            None,
        ),
        (
            "meeting-venue",
            160,
            {
                "how_received": "letter",
                "about": "host",
                "complainant_name": "Joan Whitley",
                "details": "The open meeting was upstairs with no lift.",
                "findings": "The usual venue was closed; the replacement was booked in a hurry.",
                "outcome": "partly-upheld",
                "remedies": "Venues are now checked for step-free access before booking.",
                "appeal_grounds": "Nobody apologised to the people turned away.",
                "appeal_decision": "upheld",
                "appeal_reasons": "An apology was owed; the host has written to each person.",
            },
            "appealed",
        ),
    ):
        if _existing(folder, key) is not None:
            continue
        received = start + timedelta(days=offset)
        later = {
            k: values.pop(k)
            for k in list(values)
            if k.startswith("appeal_") or k in ("findings", "outcome", "remedies")
        }
        with api.env.adopt_user(username="complaints"):
            complaint = complaints_api.create_complaint(folder, received=received, **values)
            complaint.demo_year_key = key
            api.content.transition(obj=complaint, transition="acknowledge")
            _clock(complaint, "complaint-acknowledgement", received, received + timedelta(days=2))
            complaint.investigating_officer = "complaints"
            api.content.transition(obj=complaint, transition="start_investigation")
            for name in ("findings", "outcome", "remedies"):
                setattr(complaint, name, later[name])
            complaint.response_sent_on = received + timedelta(days=21)
            api.content.transition(obj=complaint, transition="send_response")  # stops on response_sent_on
            if appeal:
                appealed = complaint.response_sent_on + timedelta(days=5)
                complaints_api.request_appeal(complaint, later["appeal_grounds"], on=appealed)
                complaints_api.assign_reviewer(complaint, "reviewer", actor="complaints")
                _clock(complaint, "appeal-decision", appealed + timedelta(days=2), None)
                complaint.appeal_decision = later["appeal_decision"]
                complaint.appeal_reasons = later["appeal_reasons"]
                complaint.appeal_decided_on = appealed + timedelta(days=30)
                with api.env.adopt_user(username="reviewer"):
                    api.content.transition(obj=complaint, transition="decide_appeal")
            api.content.transition(obj=complaint, transition="close")
        complaint.reindexObject()


def _foi(portal, start: date) -> None:
    from links.content.foi import api as foi_api

    folder = portal["foi"]
    for key, offset, summary, outcome, answer_days in (
        ("hospital-visits", 100, "Enter and view visits to hospitals in the last two years", "disclosed", 14),
        ("staff-pay", 230, "Salaries of the host's staff", "not-held", 40),
    ):
        if _existing(folder, key) is not None:
            continue
        received = start + timedelta(days=offset)
        with api.env.adopt_user(username="staff"):
            request = foi_api.create_request(
                folder,
                received=received,
                summary=summary,
                requester_name="Olu Bankole",
                requester_contact="olu.bankole@example.org",
                request_text=f"{summary}, please.",
            )
            request.demo_year_key = key
            api.content.transition(obj=request, transition="start_work")
            request.outcome = outcome
            request.answer = (
                "The information is enclosed." if outcome == "disclosed" else "We do not hold it."
            )
            request.answered_on = received + timedelta(days=answer_days)
            api.content.transition(obj=request, transition="answer")  # the clock stops on answered_on


def _decisions(visits: list, start: date) -> None:
    from links.content.records import api as records_api

    folder = records_api.decisions_folder()
    for key, record, offset, decision, category, who in (
        (
            "priorities",
            visits[0],
            10,
            "To make hospital discharge and home care the year's priorities.",
            "activities",
            "chair",
        ),
        (
            "survey-budget",
            visits[1],
            60,
            "To spend up to £2,000 on the community survey.",
            "spending",
            "staff",
        ),
    ):
        if _existing(folder, key) is not None:
            continue
        with api.env.adopt_user(username=who):
            statement = records_api.record_decision(
                record,
                decision,
                "Agreed at the governing body meeting.",
                category,
                decided_on=start + timedelta(days=offset),
            )
        statement.demo_year_key = key
        statement.setCreators([who])
        statement.reindexObject()


def create(portal):
    """Add the year's records, then create, submit, sign off and publish its annual report (once)."""
    start, end = year_of_demo()
    api.portal.set_registry_record(annual_api.RECIPIENTS_RECORD, RECIPIENTS)
    if report_id(start) in portal:
        return
    with api.env.adopt_roles(["Manager"]):
        _authorisations(portal, start)
        visits = _visits(portal, start)
        _requests_and_referrals(portal, start)
        _complaints(portal, start)
        _foi(portal, start)
        _decisions(visits, start)
        report = api.content.create(
            container=portal,
            type="AnnualReport",
            id=report_id(start),
            title=f"Annual report {years.year_words(start)}",
            description=(
                "What Northbridge Local Involvement Network did, achieved and spent from April "
                f"{start.year} to March {end.year}, and who took part."
            ),
            period_start=start,
            period_end=end,
            achievements=_html(ACHIEVEMENTS),
            case_studies=_html(CASE_STUDIES),
            involvement=_html(INVOLVEMENT),
            equality=_html(EQUALITY),
            plans=_html(PLANS),
            expenditure=EXPENDITURE,
            income=INCOME,
            year_end_position=YEAR_END,
        )
        with api.env.adopt_user(username="staff"):
            api.content.transition(report, transition="submit", comment="For sign-off by the governing body.")
        _sign_off(report, SIGNERS)
        with api.env.adopt_user(username="chair"):
            api.content.transition(report, transition="publish")
        with api.env.adopt_user(username="staff"):
            for name in annual_api.recipients(report):
                if name != UNSENT:
                    annual_api.record_copy(report, name, date.today())
    logger.info("demo: annual report %s (%s)", report.getId(), api.content.get_state(report))
