"""Logging a complaint asks only what is known when it arrives, and pre-selects no choice (#17)."""

import pytest
from plone import api
from z3c.form.browser.radio import RadioWidget
from zope.interface import alsoProvides

from links.content.complaints.complaint import LATER_FIELDS
from links.content.interfaces import ILinksContentLayer


@pytest.fixture
def add_form(folder):
    request = folder.REQUEST
    alsoProvides(request, ILinksContentLayer)
    with api.env.adopt_user(username="officer"):
        view = folder.restrictedTraverse("++add++Complaint")
        form = view.form_instance
        form.update()
        yield form


def _all_widgets(form):
    widgets = dict(form.widgets)
    for group in form.groups:
        widgets.update(group.widgets)
    return widgets


def test_add_form_leaves_out_the_later_stages(add_form):
    names = set(_all_widgets(add_form))
    assert not names & set(LATER_FIELDS)
    assert {"received", "how_received", "about", "complainant_name", "details"} <= names


@pytest.mark.parametrize("name", ["how_received", "about"])
def test_choices_start_empty(add_form, name):
    widget = _all_widgets(add_form)[name]
    # Radio buttons, none checked (a select list always shows, and saves, its first option).
    assert isinstance(widget, RadioWidget)
    assert widget.value in ([], (), None, "")
    assert 'checked="checked"' not in widget.render()


def test_edit_form_still_has_the_later_fields(folder, new_complaint):
    complaint = new_complaint()
    request = folder.REQUEST
    alsoProvides(request, ILinksContentLayer)
    with api.env.adopt_user(username="officer"):
        form = complaint.restrictedTraverse("@@edit").form_instance
        form.update()
        assert "outcome" in _all_widgets(form)
