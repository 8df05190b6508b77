"""The front page and the pages every LINk publishes (who we are, how we make decisions)."""

from plone import api
from plone.app.textfield.value import RichTextValue

FRONT_PAGE = """
<p>Northbridge Local Involvement Network (LINk) gives people who use health and social care services in
Northbridge a say in how those services are planned and run. We visit services, listen to what people tell
us, and report what we find to the people who run and pay for them.</p>
<h2>What we do</h2>
<ul>
  <li><strong>Enter and view</strong>: our authorised representatives visit care homes, hospitals and
      clinics and publish what they see.</li>
  <li><strong>Reports and recommendations</strong>: providers must answer our reports within
      20 working days.</li>
  <li><strong>Referrals</strong>: we refer matters to the council's health overview and scrutiny
      committee.</li>
  <li><strong>Openness</strong>: our governing body publishes its decisions, its register of interests and
      its procedures.</li>
</ul>
"""

PAGES = [
    (
        "about",
        "About the network",
        "Who we are, who hosts us and who pays for our work.",
        "<p>Northbridge LINk is hosted by Northbridge Community Voice under a contract with Northbridge "
        "Borough Council that runs from 1 April 2025 to 31 March 2028. The governing body of seven "
        "members, elected by the network, agrees our priorities and signs off every report we publish.</p>",
    ),
    (
        "how-we-make-decisions",
        "How we make decisions",
        "The procedures we follow before taking a relevant decision (Local Involvement Networks "
        "Regulations 2008, regulation 2).",
        "<p>Before we decide how to carry out our activities, which services to look at, what to spend, "
        "whether to ask for information, which premises to enter and view, or whether to refer a matter "
        "to the overview and scrutiny committee, the governing body follows the procedures on this page. "
        "A majority of members who have no conflicting interest must agree. Members declare their "
        "interests and keep out of decisions that touch them. Within a reasonable time of each decision "
        "we publish a statement of the decision and our reasons.</p>",
    ),
    (
        "get-involved",
        "Get involved",
        "How to join the network, become an authorised representative or tell us about a service.",
        "<p>Anyone who lives or uses services in Northbridge can join. Tell us about your experience of "
        "a local service by phone on 01632 960 123, by e-mail or in person at our drop-in on Tuesdays.</p>",
    ),
]


def create(portal):
    """Front page text on the site root and the standard pages, published."""
    portal.text = RichTextValue(FRONT_PAGE, "text/html", "text/x-html-safe")
    portal.description = "Your voice in Northbridge's health and social care services."
    for page_id, title, description, body in PAGES:
        if page_id in portal:
            continue
        page = api.content.create(
            container=portal,
            type="Document",
            id=page_id,
            title=title,
            description=description,
            text=RichTextValue(body, "text/html", "text/x-html-safe"),
        )
        api.content.transition(obj=page, transition="publish")
