"""links.content.history.api: versions with author and comment, compare, as-of, revert, relations and
attachments as they were."""

from datetime import UTC
from datetime import datetime

import pytest
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

from links.content.history import api as history
from links.content.history.exceptions import NoSuchVersion
from links.content.history.exceptions import NotYetCreated

from .conftest import relate


def edit(obj, comment, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    return history.save(obj, comment)


def test_versions_have_author_time_and_comment(request_record):
    edit(request_record, "Questions sharpened", questions="How many days do residents wait?")
    versions = history.versions(request_record)
    assert [v["version_id"] for v in versions] == [0, 1, 2]
    assert versions[-1]["comment"] == "Questions sharpened"
    assert versions[-1]["author"] == "test-user"
    assert versions[-1]["time"].tzinfo is not None


def test_edit_event_saves_a_version_automatically(request_record, version_clock):
    before = len(history.versions(request_record))
    request_record.questions = "Changed through the edit form"
    version_clock.set(2026, 4, 2, 10, 0)
    request_record.notifyModified()
    notify(ObjectModifiedEvent(request_record))
    assert len(history.versions(request_record)) == before + 1


def test_versions_are_never_purged(request_record):
    policy = api.portal.get_tool("portal_purgepolicy")
    assert policy.maxNumberOfVersionsToKeep == -1
    for n in range(12):
        edit(request_record, f"Edit {n}", questions=f"Question {n}")
    assert len(history.versions(request_record)) == 14


def test_every_versioned_record_type_is_autoversioned(integration, portal):
    repository = api.portal.get_tool("portal_repository")
    types = api.portal.get_tool("portal_types")
    record_types = [
        fti.getId()
        for fti in types.listTypeInfo()
        if "links.content" in (getattr(fti, "schema", "") or "")
        or (getattr(fti, "klass", "") or "").startswith("links.content")
    ]
    assert {"FOIRequest", "Redaction", "Complaint", "InformationRequest"} <= set(record_types)
    for portal_type in record_types:
        assert "plone.versioning" in types[portal_type].behaviors, portal_type
        assert "at_edit_autoversion" in repository.getPolicyMap().get(portal_type, ()), portal_type


def test_compare_field_by_field(request_record):
    edit(request_record, "Reworded", questions="How many days?", addressee="Northbridge Borough Council")
    result = history.compare(request_record, 1, 2)
    assert set(result["changed"]) == {"questions", "addressee"}
    row = next(r for r in result["fields"] if r["field"] == "questions")
    assert row["from"] == "How long do residents wait for a GP visit?"
    assert row["to"] == "How many days?"
    assert row["title"] == "Questions"


def test_compare_unknown_version(request_record):
    with pytest.raises(NoSuchVersion):
        history.compare(request_record, 0, 9)


def test_as_of_returns_the_version_current_then(request_record, version_clock):
    version_clock.set(2026, 5, 10, 12, 0)
    edit(request_record, "May edit", questions="Asked in May")
    version_clock.set(2026, 6, 10, 12, 0)
    edit(request_record, "June edit", questions="Asked in June")
    may = history.as_of(request_record, history.parse_moment("2026-05-31"))
    assert may["fields"]["questions"]["value"] == "Asked in May"
    assert may["version"]["comment"] == "May edit"
    # The end of the day counts: an edit at 12:00 UTC on 10 June is "as it stood on 10 June".
    assert (
        history.as_of(request_record, history.parse_moment("2026-06-10"))["version"]["comment"] == "June edit"
    )
    with pytest.raises(NotYetCreated):
        history.as_of(request_record, history.parse_moment("2026-03-31"))


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "2026-05-01T10:00:00", ""])
def test_parse_moment_refuses_malformed_or_naive(text):
    with pytest.raises(ValueError, match="date"):
        history.parse_moment(text)


def test_parse_moment_accepts_offset():
    assert history.parse_moment("2026-05-01T09:30:00+01:00") == datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


def test_relation_shows_the_target_it_had_then(request_record, providers):
    elm, oak = providers
    relate(request_record, oak)
    edit(request_record, "Now about Oak Lodge")
    assert history.fields(request_record, 1)["provider"]["value"]["title"] == "Elm House"
    assert history.fields(request_record, 2)["provider"]["value"]["title"] == "Oak Lodge"
    # CMFEditions alone would show today's relation on the old version; the snapshot does not.
    assert history.get_version(request_record, 1).provider.to_object.Title() == "Oak Lodge"
    compared = history.compare(request_record, 1, 2)
    assert "provider" in compared["changed"]


def test_revert_appends_a_version_and_restores_relations(request_record, providers):
    elm, oak = providers
    relate(request_record, oak)
    edit(request_record, "Oak Lodge and new questions", questions="Different")
    new_id = history.revert(request_record, 1)
    assert new_id == 3
    versions = history.versions(request_record)
    assert [v["version_id"] for v in versions] == [0, 1, 2, 3]
    assert versions[-1]["comment"] == "Reverted to version 2"  # version id 1, counted from 1 for people
    assert request_record.questions == "How long do residents wait for a GP visit?"
    assert request_record.provider.to_object.Title() == "Elm House"
    # The reverted-away version is still there, unchanged.
    assert history.fields(request_record, 2)["questions"]["value"] == "Different"


def test_attachment_shows_the_old_file(manager, version_clock):
    repository = api.portal.get_tool("portal_repository")
    fti = api.portal.get_tool("portal_types").File
    if "plone.versioning" not in fti.behaviors:
        fti._updateProperty("behaviors", tuple(fti.behaviors) + ("plone.versioning",))
    repository.addPolicyForContentType("File", "at_edit_autoversion")
    obj = api.content.create(
        container=manager,
        type="File",
        title="Minutes",
        file=NamedBlobFile(data=b"first minutes", filename="minutes.txt", contentType="text/plain"),
    )
    first_id = history.save(obj, "First minutes")
    obj.file = NamedBlobFile(data=b"corrected minutes", filename="minutes-v2.txt", contentType="text/plain")
    latest_id = history.save(obj, "Corrected")
    assert latest_id == first_id + 1
    first = history.fields(obj, first_id)["file"]["value"]
    latest = history.fields(obj, latest_id)["file"]["value"]
    assert first["filename"] == "minutes.txt"
    assert latest["filename"] == "minutes-v2.txt"
    assert first["sha256"] != latest["sha256"]
    assert history.get_version(obj, first_id).file.data == b"first minutes"
    assert obj.file.data == b"corrected minutes"
