"""The canonical serialization is stable and changes with any signed field."""

from plone.app.textfield.value import RichTextValue

from links.content.canonical import canonical_bytes
from links.content.canonical import canonical_hash


def test_hash_is_stable(record):
    assert canonical_hash(record) == canonical_hash(record)
    assert len(canonical_hash(record)) == 64


def test_canonical_is_sorted_compact_utf8(record):
    record.title = "Café visit"
    data = canonical_bytes(record)
    assert "Café".encode() in data
    assert b'{"fields":{' in data  # sorted keys, no whitespace


def test_nfc_normalised(record):
    record.title = "Cafe\u0301"
    decomposed = canonical_hash(record)
    record.title = "Caf\u00e9"
    assert canonical_hash(record) == decomposed


def test_hash_changes_with_title(record):
    before = canonical_hash(record)
    record.title = record.title + "!"
    assert canonical_hash(record) != before


def test_hash_changes_with_rich_text(record):
    before = canonical_hash(record)
    record.findings = RichTextValue("<p>Findings changed.</p>", "text/html", "text/x-html-safe")
    assert canonical_hash(record) != before


def test_hash_changes_with_description(record):
    before = canonical_hash(record)
    record.description = "Unannounced."
    assert canonical_hash(record) != before


def test_volatile_metadata_ignored(record):
    before = canonical_hash(record)
    record.setModificationDate()
    record.exclude_from_nav = True
    assert canonical_hash(record) == before
