"""The network's site roles: their names, so code never spells a role twice, and who holds them."""

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


def user_ids_with_role(role: str) -> list[str]:
    """User ids of everyone holding ``role`` site-wide, directly or through a group (sorted).

    :param role: a site role name from this module
    """
    from plone import api

    members = set()
    for principal_id, _title in api.portal.get_tool("acl_users").portal_role_manager.listAssignedPrincipals(
        role
    ):
        group = api.group.get(groupname=principal_id)
        if group is not None:
            members.update(group.getGroupMemberIds())
        else:
            members.add(principal_id)
    return sorted(members)


def users_with_role(role: str) -> dict[str, str]:
    """User id -> printed name of everyone holding ``role`` site-wide (users that no longer exist are left
    out).

    :param role: a site role name from this module
    """
    from plone import api

    found = {}
    for userid in user_ids_with_role(role):
        user = api.user.get(userid=userid)
        if user is not None:
            found[userid] = user.getProperty("fullname") or userid
    return found


def find_person(text: str | None) -> str | None:
    """The user id of the person ``text`` names: their user id, login name, or full name ("Sandra
    Kowalski", in any case) when only one person has it. People type names, not ids.

    :param text: what was typed or sent
    :returns: the user id, or None when nobody (or more than one person) has that name
    """
    from plone import api

    text = (text or "").strip()
    if not text:
        return None
    user = api.user.get(userid=text) or api.user.get(username=text)
    if user is not None:
        return user.getId()
    name = " ".join(text.split())
    wanted = name.casefold()
    found = {
        info["userid"]
        for info in api.portal.get_tool("acl_users").searchUsers(fullname=name)
        if " ".join((api.user.get(userid=info["userid"]).getProperty("fullname") or "").split()).casefold()
        == wanted
    }
    return found.pop() if len(found) == 1 else None


def governing_body_members() -> list[str]:
    """User ids of the governing body: everyone holding Governing Body Member site-wide (sorted)."""
    return user_ids_with_role(GOVERNING_BODY_MEMBER)
