"""Fixed choices of the complaints and referral records (values are stable; titles are translated)."""

from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from links.content import _


@provider(IVocabularyFactory)
def independent_reviewers(context):
    """People holding the Independent Reviewer role, by full name (whether one is independent of a
    given case is checked when they are assigned)."""
    from links.content.roles import INDEPENDENT_REVIEWER
    from links.content.roles import users_with_role

    people = sorted(users_with_role(INDEPENDENT_REVIEWER).items(), key=lambda item: item[1])
    return SimpleVocabulary([SimpleTerm(userid, userid, name) for userid, name in people])


def _vocabulary(*pairs) -> SimpleVocabulary:
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in pairs])


HOW_RECEIVED = _vocabulary(
    ("letter", _("Letter")),
    ("email", _("E-mail")),
    ("phone", _("Telephone")),
    ("in-person", _("In person")),
    ("web-form", _("Web form")),
    ("other", _("Other")),
)

PREFERRED_FORMATS = _vocabulary(
    ("standard", _("Standard print")),
    ("large-print", _("Large print")),
    ("easy-read", _("Easy read")),
    ("audio", _("Audio")),
    ("braille", _("Braille")),
    ("email", _("E-mail")),
    ("other", _("Other (see notes)")),
)

SUBJECTS = _vocabulary(
    ("host", _("The host organisation")),
    ("network", _("The network's conduct")),
    ("participant", _("A participant's conduct")),
)

OUTCOMES = _vocabulary(
    ("upheld", _("Upheld")),
    ("partly-upheld", _("Partly upheld")),
    ("not-upheld", _("Not upheld")),
    ("withdrawn", _("Withdrawn")),
)

APPEAL_DECISIONS = _vocabulary(
    ("upheld", _("Appeal upheld")),
    ("partly-upheld", _("Appeal partly upheld")),
    ("not-upheld", _("Appeal not upheld")),
)

ADDRESSEE_KINDS = _vocabulary(
    ("commissioner", _("Commissioner")),
    ("provider", _("Service provider")),
)
