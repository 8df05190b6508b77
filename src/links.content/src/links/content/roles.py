"""Names of the network's site roles, so code never spells a role twice."""

GOVERNING_BODY_MEMBER = "Governing Body Member"
COMPLAINTS_OFFICER = "Complaints Officer"
INDEPENDENT_REVIEWER = "Independent Reviewer"
COUNCIL_AUDITOR = "Council Auditor"
AUTHORISED_REPRESENTATIVE = "Authorised Representative"
HOST_STAFF = "Host Staff"
PARTICIPANT = "Participant"
#: Local role only: granted on one complaint to its assigned independent reviewer (complaints.api).
ASSIGNED_REVIEWER = "Assigned Reviewer"

#: Every role links.content adds, in the order the rolemap declares them.
ALL_ROLES = (
    GOVERNING_BODY_MEMBER,
    COMPLAINTS_OFFICER,
    INDEPENDENT_REVIEWER,
    COUNCIL_AUDITOR,
    AUTHORISED_REPRESENTATIVE,
    HOST_STAFF,
    PARTICIPANT,
)

#: Group id (created by links.policy) -> the site role its members hold.
GROUP_ROLES = {
    "governing-body": GOVERNING_BODY_MEMBER,
    "complaints-officers": COMPLAINTS_OFFICER,
    "independent-reviewers": INDEPENDENT_REVIEWER,
    "council-auditors": COUNCIL_AUDITOR,
    "authorised-representatives": AUTHORISED_REPRESENTATIVE,
    "host-staff": HOST_STAFF,
    "participants": PARTICIPANT,
}
