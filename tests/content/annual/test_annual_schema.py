"""The AnnualReport type: one per financial year, a year that has ended, money lines that parse, text locked
once submitted; a versioned, signable record with clocks whose figures no client writes."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.autoform.interfaces import READ_PERMISSIONS_KEY
from plone.autoform.interfaces import WRITE_PERMISSIONS_KEY
from plone.supermodel.utils import mergedTaggedValueDict
from zope.interface import Invalid
from zope.interface import alsoProvides

from links.content.annual import years
from links.content.annual.report import IAnnualReport
from links.content.annual.report import YearNotEnded
from links.content.interfaces import ILinksContentLayer
from links.content.periodreport.expenditure import ExpenditureError
from links.content.periodreport.schema import RECORD_FIGURES
from links.content.periodreport.schema import RECORD_FIGURES_TITLE


class Data:
    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2026, 3, 31), (date(2025, 4, 1), date(2026, 3, 31))),
        (date(2026, 4, 1), (date(2026, 4, 1), date(2027, 3, 31))),
        (date(2026, 1, 1), (date(2025, 4, 1), date(2026, 3, 31))),
    ],
)
def test_financial_year_of_a_day(day, year):
    assert years.financial_year(day) == year


def test_last_complete_year():
    assert years.last_complete_year(date(2026, 11, 29)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert years.last_complete_year(date(2026, 4, 1)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert years.last_complete_year(date(2026, 3, 31)) == (date(2024, 4, 1), date(2025, 3, 31))


def test_type_is_a_versioned_signable_record_with_clocks(portal):
    fti = api.portal.get_tool("portal_types")["AnnualReport"]
    assert {"plone.versioning", "links.content.signable", "links.content.clocks"} <= set(fti.behaviors)
    assert "plone.basic" not in fti.behaviors  # title and description lock with the text
    assert api.portal.get_tool("portal_workflow").getChainForPortalType("AnnualReport") == (
        "links_annual_report_workflow",
    )
    mapping = api.portal.get_registry_record("links.content.signing.signoff_transitions")
    assert '"AnnualReport": ["pending_signoff", "sign_off"]' in mapping
    assert "AnnualReport" in api.portal.get_tool("portal_repository").getVersionableContentTypes()


def test_figures_are_written_and_read_by_no_role(portal):
    writes = mergedTaggedValueDict(IAnnualReport, WRITE_PERMISSIONS_KEY)
    reads = mergedTaggedValueDict(IAnnualReport, READ_PERMISSIONS_KEY)
    assert writes["activities"] == writes["counted_records"] == RECORD_FIGURES
    assert reads["counted_records"] == RECORD_FIGURES
    assert not [
        role
        for role in portal.validRoles()
        if RECORD_FIGURES_TITLE in [p["name"] for p in portal.permissionsOfRole(role) if p["selected"]]
    ]


def test_every_written_field_is_locked_by_the_workflow_permission():
    writes = mergedTaggedValueDict(IAnnualReport, WRITE_PERMISSIONS_KEY)
    unlocked = [name for name in IAnnualReport.names(all=True) if name not in writes]
    assert unlocked == []


def test_the_year_must_have_ended():
    field = IAnnualReport["period_end"]
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(YearNotEnded) as raised:
        field.validate(tomorrow)
    assert "has not ended yet" in raised.value.doc()
    field.validate(date(2026, 3, 31))


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 4, 2), date(2026, 3, 31)),
        (date(2025, 4, 1), date(2026, 4, 1)),
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 4, 1), date(2027, 3, 31)),
    ],
)
def test_a_period_that_is_not_a_financial_year_is_refused(portal, start, end):
    errors = []
    with pytest.raises(Invalid):
        IAnnualReport.validateInvariants(Data(period_start=start, period_end=end), errors)
    assert any("1 April to 31 March" in str(error) for error in errors), errors


def test_money_lines_that_do_not_parse_are_refused_naming_the_line():
    with pytest.raises(ExpenditureError) as raised:
        IAnnualReport["income"].validate("Council grant: 45,000\nDonations: lots")
    assert "Line 2" in raised.value.doc() and "lots" in raised.value.doc()
    with pytest.raises(ExpenditureError):
        IAnnualReport["expenditure"].validate("Room hire 980")


def test_a_second_report_for_the_year_is_refused_naming_the_first(portal, report):
    errors = []
    with pytest.raises(Invalid):
        IAnnualReport.validateInvariants(
            Data(period_start=date(2025, 4, 1), period_end=date(2026, 3, 31), __context__=portal), errors
        )
    message = str(errors[0])
    assert "Annual report 2025 to 2026" in message and report.absolute_url() in message
    # Editing the report itself is not a second report.
    IAnnualReport.validateInvariants(
        Data(period_start=date(2025, 4, 1), period_end=date(2026, 3, 31), __context__=report), []
    )


def test_a_second_report_is_refused_on_every_path(portal, report, helpers):
    """Python callers meet the same rule as forms and REST (the subscriber's gate)."""
    from zope.annotation.interfaces import IAnnotations

    with pytest.raises(years.DuplicateAnnualReport, match="Annual report 2025 to 2026"):
        helpers.make_report(portal, id="second", title="Another")
    # Raised before the year was claimed; the caller's transaction is aborted with the error.
    assert dict(IAnnotations(portal)[years.YEARS_KEY]) == {2025: report.UID()}


def test_a_report_of_another_year_is_accepted_and_the_year_freed_on_deletion(portal, report, helpers):
    other = helpers.make_report(
        portal,
        id="annual-report-2024-25",
        title="Annual report 2024 to 2025",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
    )
    from zope.annotation.interfaces import IAnnotations

    tree = IAnnotations(portal)[years.YEARS_KEY]
    assert dict(tree) == {2025: report.UID(), 2024: other.UID()}
    api.content.delete(report)
    assert dict(tree) == {2024: other.UID()}
    helpers.make_report(portal, id="again")  # the year is free again


def test_message_hides_the_title_from_those_who_may_not_see_the_report(portal, report):
    with api.env.adopt_user(username="participant"):
        message = years.duplicate_message(report)
    assert "Annual report 2025 to 2026" not in message and "already an annual report" in message


def test_add_form_shows_each_problem_and_creates_nothing(portal, http_request, users):
    alsoProvides(http_request, ILinksContentLayer)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    http_request.form.update(
        {
            "form.widgets.title": "Annual report",
            "form.widgets.period_start": "2025-04-02",
            "form.widgets.period_end": "2026-03-31",
            "form.widgets.income": "Council grant: a lot",
            "form.buttons.save": "Save",
        }
    )
    http_request.method = "POST"
    form = portal.restrictedTraverse("++add++AnnualReport").form_instance
    form.update()
    errors = [*form.widgets.errors, *(e for group in form.groups for e in group.widgets.errors)]
    messages = [str(getattr(error, "message", "")) for error in errors]
    assert any("Line 1" in message and "a lot" in message for message in messages), messages
    assert any("1 April to 31 March" in message for message in messages), messages
    assert not api.content.find(portal_type="AnnualReport")


def test_add_form_offers_the_last_complete_year_and_hides_the_figures(portal, http_request, users):
    alsoProvides(http_request, ILinksContentLayer)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    html = portal.restrictedTraverse("++add++AnnualReport")()
    start, end = years.last_complete_year()
    assert start.isoformat() in html and end.isoformat() in html
    for name in (
        "achievements",
        "case_studies",
        "involvement",
        "equality",
        "plans",
        "income",
        "year_end_position",
    ):
        assert f'for="form-widgets-{name}' in html, name
    assert "form-widgets-activities" not in html and "form-widgets-counted_records" not in html
