"""Classic UI: the add form of a report refuses a visitor without a valid authorisation."""

from datetime import date
from datetime import timedelta

from plone import api
from zope.interface import alsoProvides

from links.content.interfaces import ILinksContentLayer


def test_add_form_names_the_unauthorised_representative(portal, provider, authorised, http_request):
    alsoProvides(http_request, ILinksContentLayer)
    visit = date.today() - timedelta(days=3)
    http_request.form.update(
        {
            "form.widgets.IBasic.title": "Visit to Elm Lodge",
            "form.widgets.provider": provider.UID(),
            "form.widgets.premises": "Lounge",
            "form.widgets.visit_date": visit.isoformat(),
            "form.widgets.announcement": ["announced"],
            "form.widgets.representatives": "rep1;rep3",
            "form.widgets.lead": "rep1",
            "form.buttons.save": "Save",
        }
    )
    http_request.method = "POST"
    add_view = portal.restrictedTraverse("++add++EnterAndViewReport")
    form = add_view.form_instance
    form.update()
    messages = [str(getattr(error, "message", "")) for error in form.widgets.errors]
    assert any("Rep3 Example (rep3)" in message for message in messages), messages
    assert len(api.content.find(portal_type="EnterAndViewReport")) == 0
