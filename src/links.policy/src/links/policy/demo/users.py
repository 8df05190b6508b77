"""Demo users, one or more per group. Demo-only credentials (see README)."""

from plone import api

#: Shared by every demo user in the Plone site; the Zope ``admin`` keeps the buildout's password.
DEMO_PASSWORD = "links-demo"

#: (user id, full name, group id)
DEMO_USERS = [
    ("chair", "Margaret Okafor", "governing-body"),
    ("member1", "David Hughes", "governing-body"),
    ("member2", "Priya Sharma", "governing-body"),
    ("member3", "Tom Whitfield", "governing-body"),
    ("member4", "Aisha Begum", "governing-body"),
    ("member5", "Gareth Lloyd", "governing-body"),
    ("member6", "Helen Marsh", "governing-body"),
    ("complaints", "Sandra Kowalski", "complaints-officers"),
    ("reviewer", "Richard Osei", "independent-reviewers"),
    ("auditor", "Fiona Grant", "council-auditors"),
    ("rep1", "Jean Potter", "authorised-representatives"),
    ("rep2", "Imran Malik", "authorised-representatives"),
    ("staff", "Lucy Brennan", "host-staff"),
    ("participant", "Sam Taylor", "participants"),
]


def create(portal):
    """Create each demo user once and put them in their group."""
    for user_id, fullname, group_id in DEMO_USERS:
        if api.user.get(userid=user_id) is None:
            api.user.create(
                username=user_id,
                email=f"{user_id}@northbridge-link.example",
                password=DEMO_PASSWORD,
                properties={"fullname": fullname},
            )
        api.group.add_user(groupname=group_id, username=user_id)
