"""The response letter download and the assign-reviewer form."""

import html

from AccessControl import Unauthorized
from plone import api as ploneapi
from plone.namedfile.utils import stream_data
from Products.Five.browser import BrowserView
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.interfaces import WidgetActionExecutionError
from zExceptions import NotFound
from zope import schema
from zope.component import getUtility
from zope.interface import Interface
from zope.interface import Invalid
from zope.schema.interfaces import IVocabularyFactory

from links.content import _
from links.content import disclosure
from links.content.complaints import api
from links.content.complaints.exceptions import ComplaintError


class ResponseLetterView(BrowserView):
    """``@@response-letter``: download the PDF letter (permission "View complainant details")."""

    def __call__(self):
        # The letter repeats the complainant's details and the findings: the disclosure rule for the
        # record's free text (View and every personal field), not only the page's permission.
        if not disclosure.may_read_free_text(self.context):
            raise Unauthorized("You may not read this complaint's response letter.")
        letter = getattr(self.context, "response_letter", None)
        if letter is None:
            raise NotFound(
                "This complaint has no response letter yet: it is written when the case is closed."
            )
        self.request.response.setHeader("Content-Type", "application/pdf")
        self.request.response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.context.getId()}-{api.LETTER_FILENAME}"'
        )
        self.request.response.setHeader("Content-Length", str(letter.getSize()))
        return stream_data(letter)


class IAssignReviewer(Interface):
    reviewer = schema.TextLine(
        title=_("Independent reviewer"),
        description=_(
            "Type their name (the list suggests everyone with the Independent Reviewer role); they must "
            "not have acted on this case."
        ),
        required=True,
    )


class AssignReviewerForm(form.Form):
    """``@@assign-reviewer``: the form version of ``@assign-reviewer``; refusals are shown as field errors."""

    fields = field.Fields(IAssignReviewer)
    ignoreContext = True
    label = _("Assign the independent reviewer")

    def updateWidgets(self):
        super().updateWidgets()
        # A native search list: typing "Ric" offers "Richard Osei"; the name is resolved when assigned.
        widget = self.widgets["reviewer"]
        widget.attributes.update({"list": "reviewer-names", "autocomplete": "off"})  # the widget's own dict

    def render(self):
        names = getUtility(IVocabularyFactory, "links.content.IndependentReviewers")(self.context)
        options = "".join(f'<option value="{html.escape(term.title)}"></option>' for term in names)
        # Inside the form: the page is a whole document, and anything after it would be dropped.
        return (
            super()
            .render()
            .replace("</form>", f'<datalist id="reviewer-names">{options}</datalist></form>', 1)
        )

    @button.buttonAndHandler(_("Assign"), name="assign")
    def handle_assign(self, action):
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        try:
            api.assign_reviewer(self.context, data["reviewer"].strip())
        except ComplaintError as error:
            raise WidgetActionExecutionError("reviewer", Invalid(str(error))) from error
        ploneapi.portal.show_message(_("The independent reviewer has been assigned."), request=self.request)
        self.request.response.redirect(self.context.absolute_url())
