"""Report, constitution and declaration workflows: guards, clocks, decisions, superseding."""

from datetime import date
from datetime import timedelta
from unittest import mock

import pytest
from plone import api
from plone.api.exc import InvalidParameterError
from plone.app.textfield.value import RichTextValue

from links.content.clocks import api as clocks_api
from links.content.workflows.guards import WorkflowGuards
from links.content.workflows.guards import guards


def _decisions(portal, category):
    folder = portal.get("decisions")
    return [d for d in (folder.objectValues() if folder else []) if d.category == category]


def test_sign_off_needs_a_quorum(portal, report):
    api.content.transition(report, transition="submit")
    assert guards(report).may_sign_off() is False
    with pytest.raises(InvalidParameterError):
        api.content.transition(report, transition="sign_off")
    assert api.content.get_state(report) == "pending_signoff"


def test_findings_locked_after_submission(portal, report):
    assert api.user.has_permission("links.content: Modify findings", username="rep1", obj=report)
    api.content.transition(report, transition="submit")
    assert not api.user.has_permission("links.content: Modify findings", username="rep1", obj=report)
    assert not api.user.has_permission("links.content: Modify findings", username="manager", obj=report)


def test_edit_form_omits_locked_findings(portal, report, http_request):
    from plone.app.testing import login

    api.content.transition(report, transition="submit")
    login(portal, "staff")
    # autoform checks field permissions only for an authenticated request (as in a real request).
    http_request["AUTHENTICATED_USER"] = api.user.get(userid="staff").getUser()
    form = report.restrictedTraverse("@@edit").form_instance
    form.update()
    names = set(form.fields.keys())
    for group in form.groups:
        names |= set(group.fields.keys())
    assert "findings" not in names
    assert "provider_response" in names


def test_send_publish_cycle(portal, report):
    api.content.transition(report, transition="submit")
    with mock.patch.object(WorkflowGuards, "may_sign_off", return_value=True):
        api.content.transition(report, transition="sign_off")
    assert _decisions(portal, "refer-report")  # the sign-off decision
    api.content.transition(report, transition="send_to_provider", comment="For the provider's response.")
    clock = clocks_api.get(report, "provider-response")
    assert clock is not None and clock.started == date.today()
    assert len(_decisions(portal, "refer-report")) == 2
    # Neither a response nor an expired clock: publication is refused.
    assert guards(report).may_publish() is False
    with pytest.raises(InvalidParameterError):
        api.content.transition(report, transition="publish")
    # The 20 working days ran out (sent long ago): publication is allowed without a response.
    clocks_api.start(report, "provider-response", started=date.today() - timedelta(days=60))
    assert clocks_api.is_expired(report, "provider-response")
    api.content.transition(report, transition="publish")
    assert api.content.get_state(report) == "published"


def test_provider_response_allows_publication_and_stops_clock(portal, report):
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    api.content.transition(report, transition="submit")
    with mock.patch.object(WorkflowGuards, "may_sign_off", return_value=True):
        api.content.transition(report, transition="sign_off")
    api.content.transition(report, transition="send_to_provider")
    report.provider_response = RichTextValue("<p>Thank you.</p>", "text/html", "text/x-html-safe")
    report.provider_response_date = date.today()
    notify(ObjectModifiedEvent(report))
    assert clocks_api.get(report, "provider-response").state != "running"
    assert guards(report).may_publish() is True
    api.content.transition(report, transition="publish")


def _constitution(portal, label):
    return api.content.create(
        container=portal,
        type="Constitution",
        title=f"Constitution {label}",
        version_label=label,
        terms_of_reference=RichTextValue("<p>Terms</p>", "text/html", "text/x-html-safe"),
        decision_procedures=RichTextValue("<p>Procedures</p>", "text/html", "text/x-html-safe"),
    )


def test_adopting_supersedes_the_previous_constitution(portal, users):
    first, second = _constitution(portal, "1.0"), _constitution(portal, "2.0")
    with mock.patch.object(WorkflowGuards, "may_sign_off", return_value=True):
        for obj in (first, second):
            api.content.transition(obj, transition="propose")
            api.content.transition(obj, transition="adopt")
    assert api.content.get_state(first) == "superseded"
    assert api.content.get_state(second) == "adopted"
    assert second.adopted_on == date.today()
    assert _decisions(portal, "activities")
    # Both stay readable by the public.
    assert api.user.has_permission("View", user=api.user.get(userid="participant"), obj=first)


def test_declaring_again_supersedes_the_previous_declaration(portal, users):
    def declare(**values):
        obj = api.content.create(
            container=portal, type="DeclarationOfInterest", title="d", member="member1", **values
        )
        api.content.transition(obj, transition="declare")
        return obj

    first = declare(nil_declaration=True)
    second = declare(employment="Practice nurse")
    assert api.content.get_state(first) == "superseded"
    assert api.content.get_state(second) == "declared"
    assert "Owner" in second.get_local_roles_for_userid("member1")
