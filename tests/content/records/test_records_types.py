"""The record types: installed with the right behaviors, viewable, serialised, catalogued."""

from datetime import date

import pytest
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from zope.component import getMultiAdapter

TYPES = [
    "ServiceProvider",
    "Constitution",
    "DeclarationOfInterest",
    "EnterAndViewReport",
    "RepresentativeAuthorisation",
    "DecisionStatement",
]


@pytest.mark.parametrize("portal_type", TYPES)
def test_fti_is_versioned(portal, portal_type):
    fti = api.portal.get_tool("portal_types")[portal_type]
    assert "plone.versioning" in fti.behaviors


@pytest.mark.parametrize(
    "portal_type,behaviors",
    [
        ("EnterAndViewReport", {"links.content.signable", "links.content.clocks"}),
        ("Constitution", {"links.content.signable"}),
    ],
)
def test_signable_types_list_cross_cutting_behaviors(portal, portal_type, behaviors):
    fti = api.portal.get_tool("portal_types")[portal_type]
    assert behaviors <= set(fti.behaviors)


def test_report_created_in_draft(report):
    assert api.content.get_state(report) == "draft"


def test_report_view_shows_visit_in_plain_english(portal, report, http_request):
    report.visit_date = date(2026, 11, 23)
    html = report.restrictedTraverse("@@report-view")()
    assert "23 November 2026" in html
    assert "Elm Lodge Care Home" in html
    assert "Rep1 Example" in html and "(lead)" in html
    assert "Residents were positive." in html


def test_report_is_serialised_by_restapi(portal, report, http_request):
    data = getMultiAdapter((report, http_request), ISerializeToJson)()
    assert data["@type"] == "EnterAndViewReport"
    assert data["premises"] == "Communal lounge and dining room"
    assert data["provider"]["title"] == "Elm Lodge Care Home"
    assert data["representatives"] == ["rep1", "rep2"]
    assert data["review_state"] == "draft"


def test_catalog_indexes_report_providers(portal, report, provider):
    found = api.content.find(portal_type="EnterAndViewReport", provider_uids=provider.UID())
    assert [brain.UID for brain in found] == [report.UID()]


def test_catalog_indexes_authorisation_member(portal, authorised):
    found = api.content.find(portal_type="RepresentativeAuthorisation", record_member="rep2")
    assert [brain.getObject() for brain in found] == [authorised["rep2"]]


def test_provider_view_lists_fields(portal, provider, http_request):
    html = provider.restrictedTraverse("@@record-view")()
    assert "Care home" in html
    assert "1 Elm Road" in html


def test_authorisation_view_shows_dates_in_words(portal, authorised, http_request):
    record = authorised["rep1"]
    record.dbs_check_date = date(2025, 3, 4)
    html = record.restrictedTraverse("@@record-view")()
    assert "4 March 2025" in html
    assert "Enhanced" in html
    assert "Rep1 Example (rep1)" in html


def test_constitution_view(portal, users, http_request):
    from plone.app.textfield.value import RichTextValue

    constitution = api.content.create(
        container=portal,
        type="Constitution",
        title="Constitution of the Northbridge LINk",
        version_label="1.0",
        terms_of_reference=RichTextValue("<p>We listen.</p>", "text/html", "text/x-html-safe"),
        decision_procedures=RichTextValue("<p>By majority.</p>", "text/html", "text/x-html-safe"),
    )
    html = constitution.restrictedTraverse("@@constitution-view")()
    assert "We listen." in html and "By majority." in html
    assert "Version" in html and "1.0" in html


def test_each_new_visit_publishes_a_decision_statement(portal, report):
    folder = portal["decisions"]
    decisions = [obj for obj in folder.objectValues() if obj.portal_type == "DecisionStatement"]
    assert any("Communal lounge" in d.decision and d.category == "enter-and-view" for d in decisions)
    assert all(api.content.get_state(d) == "published" for d in decisions)
    assert decisions[0].related_record.to_object == report


def test_representatives_may_edit_the_draft(portal, report):
    assert "Editor" in report.get_local_roles_for_userid("rep2")
    assert api.user.has_permission("Modify portal content", username="rep2", obj=report)


def test_second_report_on_same_provider(portal, provider, authorised, helpers):
    other = helpers.make_report(portal, provider, title="Second visit")
    assert api.content.get_state(other) == "draft"


def test_decision_and_declaration_views(portal, report, http_request):
    from plone.app.testing import login

    decision = [d for d in portal["decisions"].objectValues() if d.portal_type == "DecisionStatement"][0]
    html = decision.restrictedTraverse("@@record-view")()
    assert "Which premises to enter and view and when" in html
    assert report.absolute_url() in html
    declaration = api.content.create(
        container=portal,
        type="DeclarationOfInterest",
        title="Declaration of member1",
        member="member1",
        sensitive=True,
        sensitive_details="Relative in a refuge",
        date_of_change=date(2026, 11, 2),
    )
    assert "2 November 2026" in declaration.restrictedTraverse("@@record-view")()
    login(portal, "member1")
    assert "Relative in a refuge" in declaration.restrictedTraverse("@@record-view")()
    login(portal, "staff")
    assert "Relative in a refuge" not in declaration.restrictedTraverse("@@record-view")()
