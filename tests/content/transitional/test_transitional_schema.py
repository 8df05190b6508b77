"""The TransitionalReport type: its schema's validation (period, dates, expenditure lines), the add form's
errors, and that it is a versioned, signable record with the reg 15 clocks."""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from plone import api
from zope.interface import Invalid
from zope.interface import alsoProvides

from links.content.interfaces import ILinksContentLayer
from links.content.periodreport import expenditure
from links.content.transitional.report import RECORD_FIGURES
from links.content.transitional.report import FutureDate
from links.content.transitional.report import ITransitionalReport


class Data:
    def __init__(self, **values):
        self.__dict__.update(values)


def test_expenditure_lines_parse_to_pounds():
    rows = expenditure.parse("Staff salaries: 42,000.00\n\n  Room hire : £980\nPostage: 12.5\n")
    assert rows == [
        ("Staff salaries", Decimal("42000.00")),
        ("Room hire", Decimal("980.00")),
        ("Postage", Decimal("12.50")),
    ]
    assert expenditure.total(rows) == Decimal("42992.50")
    assert expenditure.pounds(expenditure.total(rows)) == "£42,992.50"
    # A heading may itself contain a colon: the amount is after the last one.
    assert expenditure.parse("Training: safeguarding: 300") == [("Training: safeguarding", Decimal("300.00"))]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("Room hire 980", "Line 1"),
        ("Staff: 42,000.00\nRoom hire: lots", "Line 2"),
        ("Room hire: -5", "not an amount in pounds"),
        ("Room hire: 9.999", "not an amount in pounds"),
        ("Room hire: 1,00,0", "not an amount in pounds"),
        (": 300", "Line 1"),
        ("Room hire: 10\nroom hire: 20", "given twice"),
        ("Grant: 999999999999", "not an amount in pounds"),
    ],
)
def test_bad_expenditure_lines_are_refused_naming_the_line(text, fragment):
    with pytest.raises(expenditure.ExpenditureError) as raised:
        expenditure.valid(text)
    assert fragment in raised.value.doc()


def test_field_validation(portal):
    fields = ITransitionalReport
    with pytest.raises(FutureDate):
        fields["period_end"].validate(date.today() + timedelta(days=1))
    with pytest.raises(FutureDate):
        fields["ceased_on"].validate(date.today() + timedelta(days=1))
    fields["period_end"].validate(date.today())
    with pytest.raises(expenditure.ExpenditureError):
        fields["expenditure"].validate("Room hire: ten pounds")
    # The figures are written by the submission only: no role may write them.
    from plone.autoform.interfaces import WRITE_PERMISSIONS_KEY
    from plone.supermodel.utils import mergedTaggedValueDict

    # Inherited from the period report base, as plone.autoform and plone.restapi read it.
    assert mergedTaggedValueDict(fields, WRITE_PERMISSIONS_KEY)["activities"] == RECORD_FIGURES
    assert not [
        role
        for role in portal.validRoles()
        if "links.content: Record period report figures"
        in [p["name"] for p in portal.permissionsOfRole(role) if p["selected"]]
    ]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"period_start": date(2026, 3, 31), "period_end": date(2025, 4, 1)}, "end after it starts"),
        ({"period_start": date(2026, 3, 31), "period_end": date(2026, 3, 31)}, "end after it starts"),
        (
            {
                "period_start": date(2025, 4, 1),
                "period_end": date(2026, 3, 31),
                "ceased_on": date(2025, 1, 1),
            },
            "before the period starts",
        ),
        (
            {
                "period_start": date(2025, 4, 1),
                "period_end": date(2026, 3, 31),
                "sent_to_council": date(2026, 3, 1),
            },
            "before the end of the period",
        ),
    ],
)
def test_invariants(values, message):
    data = Data(
        **{
            "ceased_on": None,
            "sent_to_host": None,
            "sent_to_council": None,
            "sent_to_secretary_of_state": None,
            **values,
        }
    )
    errors = []
    with pytest.raises(Invalid):
        ITransitionalReport.validateInvariants(data, errors)
    assert any(message in str(error) for error in errors), errors


def test_type_is_a_versioned_signable_record_with_clocks(portal):
    fti = api.portal.get_tool("portal_types")["TransitionalReport"]
    assert {"plone.versioning", "links.content.signable", "links.content.clocks"} <= set(fti.behaviors)
    assert api.portal.get_tool("portal_workflow").getChainForPortalType("TransitionalReport") == (
        "links_transitional_report_workflow",
    )
    mapping = api.portal.get_registry_record("links.content.signing.signoff_transitions")
    assert '"TransitionalReport": ["pending_signoff", "sign_off"]' in mapping


def test_add_form_shows_the_bad_line_and_creates_nothing(portal, http_request, users):
    alsoProvides(http_request, ILinksContentLayer)
    http_request.form.update(
        {
            "form.widgets.IBasic.title": "Transitional report",
            "form.widgets.period_start": "2025-04-01",
            "form.widgets.period_end": "2026-03-31",
            "form.widgets.expenditure": "Staff salaries: 42,000.00\nRoom hire: about a thousand",
            "form.buttons.save": "Save",
        }
    )
    http_request.method = "POST"
    form = portal.restrictedTraverse("++add++TransitionalReport").form_instance
    form.update()
    messages = [str(getattr(error, "message", "")) for error in form.widgets.errors]
    assert any("Line 2" in message and "about a thousand" in message for message in messages), messages
    assert not api.content.find(portal_type="TransitionalReport")


def test_add_form_refuses_a_period_ending_before_it_starts(portal, http_request, users):
    alsoProvides(http_request, ILinksContentLayer)
    http_request.form.update(
        {
            "form.widgets.IBasic.title": "Transitional report",
            "form.widgets.period_start": "2026-03-31",
            "form.widgets.period_end": "2025-04-01",
            "form.buttons.save": "Save",
        }
    )
    http_request.method = "POST"
    form = portal.restrictedTraverse("++add++TransitionalReport").form_instance
    form.update()
    messages = [str(getattr(error, "message", "")) for error in form.widgets.errors]
    assert any("end after it starts" in message for message in messages), messages
    assert not api.content.find(portal_type="TransitionalReport")


def test_add_form_labels_every_field_and_hides_the_figures(portal, http_request, users):
    alsoProvides(http_request, ILinksContentLayer)
    html = portal.restrictedTraverse("++add++TransitionalReport")()
    for name in ("period_start", "period_end", "ceased_on", "expenditure", "sent_to_secretary_of_state"):
        assert f'for="form-widgets-{name}' in html, name
    assert "form-widgets-activities" not in html
