"""Fixed choices of FOI records (values are stable; titles are translated)."""

from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

from links.content import _


def _vocabulary(*pairs) -> SimpleVocabulary:
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in pairs])


#: Exemptions of the Freedom of Information Act 2000 a network most often relies on (RULES.md).
EXEMPTIONS = _vocabulary(
    ("s21", _("s.21 Information reasonably accessible by other means")),
    ("s22", _("s.22 Information intended for future publication")),
    ("s36", _("s.36 Prejudice to the effective conduct of public affairs")),
    ("s40", _("s.40 Personal data")),
    ("s41", _("s.41 Information provided in confidence")),
    ("s43", _("s.43 Commercial interests")),
    # Subject access requests (UK GDPR art. 15) are refused or limited under the Data Protection Act 2018.
    ("dpa-third-party", _("DPA 2018 Sch. 2 para. 16: information about other people")),
    ("dpa-legal-privilege", _("DPA 2018 Sch. 2 para. 19: legal professional privilege")),
    ("dpa-unfounded", _("UK GDPR art. 12(5): manifestly unfounded or excessive request")),
)

#: Short citations printed on redacted text in disclosure bundles.
CITATIONS = {
    "s21": "s.21 FOIA: reasonably accessible by other means",
    "s22": "s.22 FOIA: intended for future publication",
    "s36": "s.36 FOIA: conduct of public affairs",
    "s40": "s.40 FOIA: personal data",
    "s41": "s.41 FOIA: information provided in confidence",
    "s43": "s.43 FOIA: commercial interests",
    "dpa-third-party": "DPA 2018 Sch. 2 para. 16: other people's information",
    "dpa-legal-privilege": "DPA 2018 Sch. 2 para. 19: legal professional privilege",
    "dpa-unfounded": "UK GDPR art. 12(5): manifestly unfounded or excessive",
}

OUTCOMES = _vocabulary(
    ("disclosed", _("Information disclosed in full")),
    ("part-disclosed", _("Information disclosed in part (refusal notice for the rest)")),
    ("refused", _("Request refused (refusal notice)")),
    ("not-held", _("Information not held")),
)

#: Outcomes that need a refusal notice (exemption, reasons, review route, right to complain).
REFUSAL_OUTCOMES = frozenset({"part-disclosed", "refused"})

#: ``handled_under`` of a subject access request: the requester's own personal data (UK GDPR art. 15),
#: answered within one calendar month, numbered SAR-..., never in the disclosure log.
SUBJECT_ACCESS = "subject-access"

HANDLED_UNDER = _vocabulary(
    ("foi", _("Freedom of Information Act 2000 (statutory 20 working days)")),
    ("voluntary", _("Voluntary disclosure (the Act does not apply to the network)")),
    (SUBJECT_ACCESS, _("Subject access request: the requester's own personal data (UK GDPR, one month)")),
)
