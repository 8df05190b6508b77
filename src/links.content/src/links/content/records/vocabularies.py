"""Vocabularies of the record types. Fixed lists from the law and published practice are simple
vocabularies here; the list of authorised representatives comes from the site's users."""

from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from links.content import _
from links.content.roles import AUTHORISED_REPRESENTATIVE
from links.content.roles import GOVERNING_BODY_MEMBER
from links.content.roles import users_with_role


def _vocabulary(*items):
    return SimpleVocabulary([SimpleTerm(value=value, token=value, title=title) for value, title in items])


SERVICE_TYPES = _vocabulary(
    ("care-home", _("Care home")),
    ("care-home-nursing", _("Care home with nursing")),
    ("domiciliary-care", _("Domiciliary (home) care")),
    ("gp-surgery", _("GP surgery")),
    ("dental", _("Dental practice")),
    ("pharmacy", _("Pharmacy")),
    ("acute-hospital", _("Acute hospital trust")),
    ("mental-health", _("Mental health service")),
    ("community-health", _("Community health service")),
    ("ambulance", _("Ambulance service")),
    ("day-centre", _("Day centre")),
    ("other", _("Other")),
)

#: Which wording of the seven principles of public life a declaration was made under.
NOLAN_WORDINGS = _vocabulary(
    ("original", _("Original wording (1995)")),
    ("revised-2013", _("Revised wording (2013): integrity includes declaring and resolving interests")),
)

#: NHS guidance groups interests this way (Managing conflicts of interest in the NHS).
NHS_GROUPINGS = _vocabulary(
    ("financial", _("Financial")),
    ("non-financial-professional", _("Non-financial professional")),
    ("non-financial-personal", _("Non-financial personal")),
    ("indirect", _("Indirect")),
)

VISIT_ANNOUNCEMENTS = _vocabulary(
    ("announced", _("Announced")),
    ("unannounced", _("Unannounced")),
    ("window", _("Within a stated window")),
)

DBS_LEVELS = _vocabulary(
    ("basic", _("Basic")),
    ("standard", _("Standard")),
    ("enhanced", _("Enhanced")),
    ("enhanced-barred", _("Enhanced with barred lists")),
)

DBS_OUTCOMES = _vocabulary(
    ("clear", _("Clear")),
    ("information-disclosed-accepted", _("Information disclosed, considered and accepted")),
    ("not-accepted", _("Not accepted")),
    ("pending", _("Pending")),
)

#: The relevant decisions listed in SI 2008/528 reg 2.
DECISION_CATEGORIES = _vocabulary(
    ("activities", _("How the network's activities are to be carried on")),
    ("services", _("Which health and social care services are to be covered")),
    ("spending", _("The amounts to be spent on activities")),
    ("request-information", _("Whether to request information")),
    ("refer-report", _("Whether to make a report or recommendation to a provider")),
    ("enter-and-view", _("Which premises to enter and view and when")),
    ("refer-osc", _("Whether to refer a matter to an overview and scrutiny committee")),
    ("report-other", _("Whether to report a matter to anyone else")),
)


@provider(IVocabularyFactory)
def authorised_representatives(context):
    """Users in the Authorised Representative role (who may be named as visitors)."""
    users = sorted(users_with_role(AUTHORISED_REPRESENTATIVE).items(), key=lambda item: item[1])
    return SimpleVocabulary([SimpleTerm(value=uid, token=uid, title=name) for uid, name in users])


@provider(IVocabularyFactory)
def governing_body(context):
    """Users in the Governing Body Member role."""
    users = sorted(users_with_role(GOVERNING_BODY_MEMBER).items(), key=lambda item: item[1])
    return SimpleVocabulary([SimpleTerm(value=uid, token=uid, title=name) for uid, name in users])
