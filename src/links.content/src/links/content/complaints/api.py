"""Complaints API: case references, the independent reviewer, appeals and the response letter.

Views, REST services, subscribers and the demo call these functions; nothing else writes the
reviewer or the letter.
"""

from __future__ import annotations

from datetime import date

from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.event import notify

from links.content import roles
from links.content.annotations import next_in_year
from links.content.complaints import rules
from links.content.complaints.events import ComplaintClosed
from links.content.complaints.events import ReviewerAssigned
from links.content.complaints.exceptions import AppealOutOfTime
from links.content.complaints.exceptions import NotIndependent
from links.content.complaints.exceptions import WrongState
from links.content.words import person

COUNTER_KEY = "links.content.complaints.references"
LETTER_FILENAME = "response-letter.pdf"


def next_reference(year: int) -> str:
    """Allocate the next case reference of a year, e.g. "C-2026-0007".

    Call it in the transaction that creates the complaint: two officers logging complaints at once
    conflict on the counter and Zope retries one of them, so references are unique and have no gaps
    (``annotations.next_in_year``).

    :param year: the year the complaint was received
    :returns: the reference (unique per site)
    """
    return f"C-{year}-{next_in_year(COUNTER_KEY, year):04d}"


def assign_reference(complaint) -> str:
    """Give ``complaint`` its case reference and the title made from it (once; later calls keep it).

    Any title a client sent is replaced: the title must never carry a name.

    :param complaint: a Complaint (its ``received`` date picks the year)
    :returns: the reference, e.g. "C-2026-0007"
    """
    if not getattr(complaint, "reference", None):
        received = getattr(complaint, "received", None) or rules.today()
        complaint.reference = next_reference(received.year)
    complaint.title = f"Complaint {complaint.reference}"
    return complaint.reference


def create_complaint(container, **data):
    """Create a complaint whose id and title are its case reference.

    :param container: where the complaint goes (the user needs "links.content: Add Complaint" there)
    :param data: field values (``received``, ``complainant_name``, ``details``...)
    :returns: the new complaint (in state ``received``, acknowledgement clock running)
    """
    data.pop("title", None)
    received = data.get("received") or rules.today()
    reference = next_reference(received.year)
    return api.content.create(
        container=container,
        type="Complaint",
        id=reference.lower(),
        title=f"Complaint {reference}",
        reference=reference,
        **data,
    )


def earlier_actors(complaint) -> set[str]:
    """User ids of everyone who has acted on the case: creators, workflow actors, earlier reviewers.

    :param complaint: a Complaint
    :returns: set of user ids
    """
    actors = set(complaint.listCreators())
    for entries in (getattr(complaint, "workflow_history", None) or {}).values():
        actors.update(entry.get("actor") for entry in entries if entry.get("actor"))
    actors.update(getattr(complaint, "previous_reviewers", ()) or ())
    return actors


def independence_problems(complaint, userid: str) -> list[str]:
    """Why ``userid`` may not review ``complaint`` (empty when they are independent).

    :param complaint: a Complaint
    :param userid: the proposed reviewer
    :returns: plain-English reasons, one per rule broken
    """
    from links.content.declarations.api import conflicting_declarations
    from links.content.declarations.api import providers_of

    found = roles.find_person(userid)
    if found is None:
        return [f"Nobody here has the name or user name “{userid}”."]
    userid, who = found, person(found)
    user = api.user.get(userid=userid)
    problems = []
    if roles.INDEPENDENT_REVIEWER not in api.user.get_roles(user=user):
        problems.append(f"{who} does not hold the {roles.INDEPENDENT_REVIEWER} role.")
    if userid == (getattr(complaint, "participant_concerned", None) or "").strip():
        problems.append(f"{who} is the participant this complaint is about.")
    if userid == (getattr(complaint, "investigating_officer", None) or "").strip():
        problems.append(f"{who} is the investigating officer of this complaint.")
    elif userid in earlier_actors(complaint):
        problems.append(f"{who} has already acted on this complaint.")
    providers = providers_of(complaint)
    if providers and conflicting_declarations(userid, providers, on=rules.today()):
        problems.append(f"{who} has a current declaration of interest touching the parties.")
    return problems


def assign_reviewer(complaint, userid: str, actor: str | None = None):
    """Assign the independent reviewer of an appeal and start the independent review.

    Grants ``userid`` the local role "Assigned Reviewer" (which the workflow lets see the case at the
    appeal stages only), records a "complaint.reviewer_assigned" event and fires ``begin_review``,
    which starts the "appeal-decision" clock.

    :param complaint: a Complaint in state ``appeal_requested``
    :param userid: the proposed reviewer: user id, login name or full name ("Richard Osei")
    :param actor: who assigns (defaults to the current user)
    :returns: the complaint
    :raises WrongState: when no appeal is waiting for a reviewer
    :raises NotIndependent: when the reviewer is not independent (the message lists every reason)
    """
    state = api.content.get_state(complaint)
    if state not in ("appeal_requested", "under_independent_review"):
        raise WrongState("A reviewer can only be assigned once an appeal has been requested.")
    problems = independence_problems(complaint, userid)
    if problems:
        raise NotIndependent(" ".join(problems))
    userid = roles.find_person(userid)
    actor = actor or api.user.get_current().getId()
    previous = getattr(complaint, "independent_reviewer", None)
    if previous:
        # A replaced reviewer loses access and can never be assigned to this case again.
        complaint.manage_delLocalRoles([previous])
        complaint.previous_reviewers = (*getattr(complaint, "previous_reviewers", ()), previous)
    complaint.independent_reviewer = userid
    api.user.grant_roles(username=userid, obj=complaint, roles=[roles.ASSIGNED_REVIEWER])
    complaint.reindexObjectSecurity()
    notify(ReviewerAssigned(complaint, details={"reviewer": userid, "replaces": previous}, actor=actor))
    if state == "appeal_requested":
        # The transition belongs to the procedure, not to the officer's edit rights; its guard
        # re-checks that a reviewer is assigned.
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=complaint, transition="begin_review")
    return complaint


def request_appeal(complaint, grounds: str, on: date | None = None, actor: str | None = None):
    """Record the complainant's appeal and move the complaint to ``appeal_requested``.

    :param complaint: a Complaint in state ``response_sent``
    :param grounds: the grounds of appeal
    :param on: the day the appeal was received (default today)
    :param actor: who records it
    :returns: the complaint
    :raises WrongState: when no response has been sent
    :raises AppealOutOfTime: after the window (registry ``appeal_window_working_days``) or in the future
    """
    if api.content.get_state(complaint) != "response_sent":
        raise WrongState("An appeal can only be requested after the response has been sent.")
    on = on or rules.today()
    sent = complaint.response_sent_on
    if on > rules.today() or on < sent:
        raise AppealOutOfTime("The date of the appeal must be between the response and today.")
    deadline = rules.appeal_deadline(sent)
    if on > deadline:
        raise AppealOutOfTime(
            f"The appeal was requested on {on.day} {on:%B %Y}, after the deadline of "
            f"{deadline.day} {deadline:%B %Y}."
        )
    complaint.appeal_requested_on = on
    complaint.appeal_grounds = grounds
    # The subscriber of the transition announces AppealRequested (also when fired over REST).
    api.content.transition(obj=complaint, transition="request_appeal")
    return complaint


def letter_html(complaint) -> str:
    """The response letter as HTML (findings, actions, how to take it further)."""
    from html import escape

    from links.content.words import format_date

    outcomes = {
        "upheld": "upheld",
        "partly-upheld": "partly upheld",
        "not-upheld": "not upheld",
        "withdrawn": "withdrawn",
    }
    body = escape(api.portal.get().Title())
    ref = escape(complaint.Title())
    escalation = escape(
        str(rules._record(rules.ESCALATION_BODY_RECORD, "the local authority that commissions the network"))
    )
    ombudsman = str(rules._record(rules.OMBUDSMAN_RECORD, "") or "").strip()
    appeal = ""
    if getattr(complaint, "appeal_decision", None):
        appeal = (
            f"<h2>Your appeal</h2><p>An independent reviewer decided your appeal on "
            f"{format_date(complaint.appeal_decided_on)}: "
            f"{escape(complaint.appeal_decision.replace('-', ' '))}."
            f"</p><p>{escape(complaint.appeal_reasons or '')}</p>"
        )
    further = f"<p>If you are not satisfied, you can take your complaint to {escalation}.</p>"
    if ombudsman:
        further += f"<p>After that, you can ask {escape(ombudsman)} to look at it.</p>"
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in (complaint.findings or "").split("\n\n") if p.strip())
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{ref}: response</title></head><body>
<p>{body}</p>
<p>{format_date(rules.today())}</p>
<p>Dear {escape(complaint.complainant_name or "complainant")},</p>
<h1>{ref}: our response</h1>
<p>We received your complaint on {format_date(complaint.received)}. This letter sets out what we found,
what we have done and how to take the matter further.</p>
<h2>What we found</h2>{paragraphs or "<p>See our earlier response.</p>"}
<p>Outcome: your complaint is <strong>{outcomes.get(complaint.outcome, complaint.outcome or "")}</strong>.</p>
<h2>What we have done or will do</h2><p>{escape(complaint.remedies or "No further action.")}</p>
{appeal}
<h2>How to take it further</h2>{further}
<p>Yours sincerely,</p><p>Complaints officer, {body}</p>
</body></html>"""


def write_response_letter(complaint, actor: str | None = None) -> NamedBlobFile:
    """Render the response letter to PDF and store it on the complaint (``response_letter``).

    :param complaint: a Complaint with an outcome
    :param actor: who closed it
    :returns: the stored file
    """
    from links.content.verify.issued import issue_pdf

    pdf = issue_pdf(letter_html(complaint), complaint, "complaint-letter", actor=actor).data
    complaint.response_letter = NamedBlobFile(
        data=pdf, contentType="application/pdf", filename=LETTER_FILENAME
    )
    notify(ComplaintClosed(complaint, details={"outcome": complaint.outcome}, actor=actor))
    return complaint.response_letter
