"""A complaint's page as the officer reads it: only the fields that hold something, UK dates, no
"Versioning enabled", no message ids, state ids or type ids."""

import html
import re
from datetime import date

import pytest
import transaction
from plone import api

from links.content.complaints import api as capi

PASSWORD = "secret-complaints-1"
#: Internals a person must never read on a record's page.
RAW = re.compile(
    r"label_|_workflow|Versioning enabled|\b(under_review|pending_signoff|signed_off|appeal_requested)\b"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|\b0\d [A-Z][a-z]+ \d{4}|FOIRequest|EnterAndViewReport"
)


def _new_complaint(folder, **extra):
    data = {"received": date(2026, 11, 2), "how_received": "email", "about": "host"}
    data.update(complainant_name="Alice Example", details="Nobody called me back about the drop-in.", **extra)
    with api.env.adopt_user(username="officer"):
        return capi.create_complaint(folder, **data)


@pytest.fixture
def complaint(functional_folder):
    obj = _new_complaint(
        functional_folder, complainant_email="alice@example.org", event_date=date(2026, 10, 20)
    )
    transaction.commit()
    return obj


def _main(text: str) -> str:
    """The words of the page's content area (markup, attributes and scripts left out)."""
    start = text.index('id="content"')
    area = re.sub(r"<script.*?</script>", " ", text[start : text.index("portal-footer", start)], flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", area)).split())


def test_complaint_page_shows_words_and_no_empty_fields(complaint, request_factory):
    session = request_factory(basic_auth=("officer", PASSWORD), api=False)
    page = session.get(f"/complaints/{complaint.getId()}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    main = _main(page.text)
    assert "Alice Example" in main and "Nobody called me back" in main
    assert "2 November 2026" in main and "20 October 2026" in main  # received, event date
    for empty in ("Findings", "Appeal decided on", "Lessons learned", "Postal address"):
        assert empty not in main, empty
    assert "Versioning enabled" not in main
    assert not RAW.search(main), RAW.search(main)


def test_assign_reviewer_form_suggests_names_and_takes_one(functional_folder, walk, request_factory):
    with api.env.adopt_roles(["Manager"]):
        api.user.get(userid="reviewer").setMemberProperties({"fullname": "Richard Osei"})
        api.user.get(userid="officer2").setMemberProperties({"fullname": "Sandra Kowalski"})
    appeal = _new_complaint(functional_folder)
    walk(appeal, "appeal_requested")
    transaction.commit()
    session = request_factory(basic_auth=("officer", PASSWORD), api=False)
    url = f"/complaints/{appeal.getId()}/@@assign-reviewer"
    form = session.get(url, headers={"Accept": "text/html"})
    assert form.status_code == 200, form.text[-3000:]
    assert '<option value="Richard Osei">' in form.text and 'list="reviewer-names"' in form.text
    token = re.search(r'data-token="([^"]+)"', form.text).group(1)  # plone.protect's, as the page's JS sends

    def assign(name):
        data = {"form.widgets.reviewer": name, "form.buttons.assign": "Assign", "_authenticator": token}
        return session.post(url, data=data, headers={"Accept": "text/html"}, allow_redirects=False)

    refused = assign("Sandra Kowalski")
    assert refused.status_code == 200
    assert "Sandra Kowalski does not hold the Independent Reviewer role" in html.unescape(refused.text)
    assigned = assign("Richard Osei")
    assert assigned.status_code == 302, assigned.text[:300]
    transaction.begin()
    assert appeal.independent_reviewer == "reviewer"


def test_officer_is_found_by_name_and_shown_by_name(complaint, request_factory):
    """Typing "Sandra" in the investigating officer field finds Sandra Kowalski; the page names her."""
    with api.env.adopt_roles(["Manager"]):
        api.user.get(userid="officer2").setMemberProperties({"fullname": "Sandra Kowalski"})
    transaction.commit()
    session = request_factory(basic_auth=("officer", PASSWORD), api=False)
    browser = {"Accept": "text/html"}
    edit = session.get(f"/complaints/{complaint.getId()}/@@edit", headers=browser)
    assert edit.status_code == 200
    options = html.unescape(
        re.search(r'<input name="form.widgets.investigating_officer"[^>]*', edit.text).group(0)
    )
    url = re.search(r'"vocabularyUrl":\s*"([^"]+)"', options).group(1)
    found = session.get(url, params={"query": "Sandra", "page_limit": 10, "page": 1}).json()
    assert {"id": "officer2", "text": "Sandra Kowalski"} in found["results"]
    transaction.begin()  # see what the server committed
    with api.env.adopt_roles(["Manager"]):
        complaint.investigating_officer = "officer2"
    transaction.commit()
    page = session.get(f"/complaints/{complaint.getId()}", headers=browser)
    assert "Sandra Kowalski" in _main(page.text) and "officer2" not in _main(page.text)
