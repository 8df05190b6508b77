"""The history pages an auditor uses in the browser: compare two versions, and a record as it stood on a
date; plain-English values, form errors with status 400, and the same permission as the REST endpoints."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api

from links.content.audit import api as audit
from links.content.history import api as history
from links.content.history.browser.views import display_value
from links.content.history.browser.views import word_diff
from links.content.roles import COUNCIL_AUDITOR
from links.content.roles import PARTICIPANT
from links.content.testing import add_users

PASSWORD = "secret-history-pages-1"


@pytest.fixture
def record(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        add_users(
            functional_portal,
            {"pages-auditor": [COUNCIL_AUDITOR], "pages-participant": [PARTICIPANT]},
            PASSWORD,
        )
        obj = api.content.create(
            container=functional_portal,
            type="InformationRequest",
            id="bed-closures",
            title="Bed closures",
            addressee="Northbridge ICB",
            addressee_kind="commissioner",
            questions="<p>How many beds <em>closed</em>?</p>",
        )
        obj.questions = "<p>How many beds closed in 2026?</p>"
        history.save(obj, "Year added by the chair")
    transaction.commit()
    return obj


def _get(request_factory, user, path, **params):
    return request_factory(basic_auth=(user, PASSWORD), api=False).get(path, params=params)


def test_compare_page_shows_both_versions_field_by_field(record, request_factory):
    page = _get(request_factory, "pages-auditor", "/bed-closures/@@compare-versions")
    assert page.status_code == 200, page.text
    assert '<label class="form-label" for="compare-from">Older version</label>' in page.text
    # Rich text shown as its words, the changed words marked (and escaped) in each version.
    assert 'How many beds <del class="bg-danger-subtle">closed?</del>' in page.text
    assert 'How many beds <ins class="bg-success-subtle">closed in 2026?</ins>' in page.text
    assert "label_" not in page.text
    assert "1\n          \n          field changed." in page.text or "1 field changed" in " ".join(
        page.text.split()
    )
    assert "Year added by the chair" in page.text


def test_compare_page_with_an_unknown_version_is_a_form_error(record, request_factory):
    page = _get(request_factory, "pages-auditor", "/bed-closures/@@compare-versions", **{"from": 0, "to": 9})
    assert page.status_code == 400
    # Version ids count from 0, people from 1: id 9 is "Version 10", as the list would call it.
    assert 'role="alert"' in page.text and "Version 10 does not exist" in page.text
    bad = _get(request_factory, "pages-auditor", "/bed-closures/@@compare-versions", **{"from": "first"})
    assert bad.status_code == 400 and "is not a version number" in bad.text


def test_as_of_page_shows_the_version_current_that_day(record, request_factory):
    today = date.today().isoformat()
    page = _get(request_factory, "pages-auditor", "/bed-closures/@@as-of", date=today)
    assert page.status_code == 200, page.text
    assert "Version 2, saved on" in page.text and "How many beds closed in 2026?" in page.text
    day = date.today()
    assert f"As it stood on</span>\n          {day.day} {day:%B %Y}" in page.text
    before = (date.today() - timedelta(days=400)).isoformat()
    earlier = _get(request_factory, "pages-auditor", "/bed-closures/@@as-of", date=before)
    assert earlier.status_code == 200 and "“Bed closures” did not exist yet" in earlier.text


def test_as_of_page_refuses_a_future_date(record, request_factory):
    tomorrow = date.today() + timedelta(days=1)
    page = _get(request_factory, "pages-auditor", "/bed-closures/@@as-of", date=tomorrow.isoformat())
    assert page.status_code == 400
    assert f"{tomorrow.day} {tomorrow:%B %Y} is in the future" in page.text
    assert "How many beds closed in 2026?" not in page.text


def test_word_diff_marks_changed_words_and_escapes():
    old, new = word_diff("Fish & chips on Friday", "Fish & <b>peas</b> on Friday")
    assert old == 'Fish &amp; <del class="bg-danger-subtle">chips</del> on Friday'
    assert new == 'Fish &amp; <ins class="bg-success-subtle">&lt;b&gt;peas&lt;/b&gt;</ins> on Friday'
    assert word_diff("same", "same") == ("same", "same")


def test_as_of_page_with_a_bad_date_is_a_form_error(record, request_factory):
    page = _get(request_factory, "pages-auditor", "/bed-closures/@@as-of", date="1st May")
    assert page.status_code == 400
    assert 'aria-invalid="true"' in page.text and "2026-05-01" in page.text


def test_participants_cannot_open_the_history_pages(record, request_factory):
    for view in ("@@compare-versions", "@@as-of"):
        page = _get(request_factory, "pages-participant", f"/bed-closures/{view}")
        assert page.status_code in (401, 403), view
        assert "How many beds" not in page.text


def test_history_and_audit_page_links_the_pages_and_pages_entries(record, request_factory, monkeypatch):
    from links.content.audit.views import HistoryAndAuditView

    page = _get(request_factory, "pages-auditor", "/bed-closures/@@history-and-audit")
    assert page.status_code == 200
    assert "@@compare-versions" in page.text and "@@as-of" in page.text
    assert "oldest first" in page.text
    with api.env.adopt_roles(["Manager"]):
        audit.record("record.modified", record, {"fields": ["questions"]})
    transaction.commit()
    monkeypatch.setattr(HistoryAndAuditView, "page_size", 1)
    first = _get(request_factory, "pages-auditor", "/bed-closures/@@history-and-audit")
    assert "Later entries" in first.text and "Earlier entries" not in first.text
    second = _get(request_factory, "pages-auditor", "/bed-closures/@@history-and-audit", b_start=1)
    assert "Earlier entries" in second.text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2026-05-01", "1 May 2026"),
        (None, "(empty)"),
        (True, "Yes"),
        ({"uid": "x", "title": "Elm House", "path": "/p"}, "Elm House"),
        ([{"title": "Elm House"}, {"title": "Oak Lodge"}], "Elm House, Oak Lodge"),
        ({"filename": "minutes.pdf", "sha256": "ab" * 32}, "minutes.pdf (SHA-256 abababababab…)"),
        ("<p>Fish &amp; chips</p>", "Fish & chips"),
    ],
)
def test_display_value(value, text):
    assert display_value(value) == text
