"""FOI handling: references, held-information search, redactions, disclosure bundles, the log.

Views, services and subscribers call these functions; they do not reach into storage.
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from datetime import date
from datetime import datetime

from AccessControl import Unauthorized
from Acquisition import aq_base
from DateTime import DateTime
from plone import api
from zope.event import notify

from links.content import disclosure
from links.content.annotations import next_in_year
from links.content.foi.events import RedactionMade
from links.content.foi.exceptions import InvalidRedaction
from links.content.foi.exceptions import InvalidSelection
from links.content.foi.request import ISubjectAccessRequest
from links.content.foi.request import default_handled_under
from links.content.foi.vocabularies import CITATIONS
from links.content.foi.vocabularies import EXEMPTIONS
from links.content.foi.vocabularies import OUTCOMES
from links.content.foi.vocabularies import SUBJECT_ACCESS
from links.content.history import api as history
from links.content.history.exceptions import HistoryError
from links.content.history.exceptions import NoSuchVersion
from links.content.history.exceptions import NotYetCreated
from links.content.ids import free_id
from links.content.integrity import dumps
from links.content.integrity import sha256_hex
from links.content.words import today
from links.content.words import type_title

COUNTER_KEY = "links.content.foi.references"
SAR_COUNTER_KEY = "links.content.foi.sar-references"
#: States in which a request has been answered (listed in the disclosure log).
ANSWERED_STATES = ("answered", "internal_review", "review_complete")
#: Types never offered as held information (the FOI case files themselves).
FOI_TYPES = ("FOIRequest", "Redaction")
#: Largest bundle built in one request (a bigger disclosure is split into parts).
MAX_BUNDLE_ITEMS = 500

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


# -- References ---------------------------------------------------------------------------------
def next_reference(year: int, handled_under: str = "foi") -> str:
    """Allocate the next request reference of a year, e.g. "FOI-2026-0003" ("SAR-2026-0001" for a
    subject access request, numbered on its own).

    Call it in the transaction that creates the request: concurrent allocations conflict and Zope
    retries one of them, so references are unique and have no gaps (``annotations.next_in_year``).

    :param year: the year the request was received
    :param handled_under: the request's ``handled_under`` ("subject-access" has its own series)
    :returns: the reference (unique per site)
    """
    if handled_under == SUBJECT_ACCESS:
        return f"SAR-{year}-{next_in_year(SAR_COUNTER_KEY, year):04d}"
    return f"FOI-{year}-{next_in_year(COUNTER_KEY, year):04d}"


def title_for(request) -> str:
    """The title of a request: its reference and the public summary (never the requester)."""
    return f"{request.reference}: {request.summary}" if request.summary else request.reference


def assign_reference(request) -> str:
    """Give a request its reference and title (once).

    :param request: an FOIRequest (its ``received`` date picks the year)
    :returns: the reference
    """
    if not request.reference:
        received = request.received or today()
        request.reference = next_reference(received.year, request.handled_under)
    request.title = title_for(request)
    request.reindexObject()
    return request.reference


def create_request(container, **data):
    """Log an FOI request (its id and title are made from a new reference).

    :param container: where the request is filed
    :param data: IFOIRequest field values (``received``, ``summary``, ``requester_name``, ...)
    :returns: the FOIRequest (the response clock is started by the added subscriber)
    """
    received = data.get("received") or today()
    reference = next_reference(received.year, data.get("handled_under") or default_handled_under(None))
    summary = data.get("summary") or ""
    return api.content.create(
        container=container,
        type="FOIRequest",
        id=reference.lower(),
        title=f"{reference}: {summary}" if summary else reference,
        reference=reference,
        **data,
    )


# -- Held information ---------------------------------------------------------------------------
def record_types() -> list[str]:
    """Portal types that are records (versioned), except the FOI case files."""
    types = api.portal.get_tool("portal_types")
    result = []
    for fti in types.listTypeInfo():
        behaviors = getattr(fti, "behaviors", ()) or ()
        if "plone.versioning" in behaviors and fti.getId() not in FOI_TYPES:
            result.append(fti.getId())
    return sorted(result)


def plain_text(value) -> str:
    """A JSON-encoded field value (``history.fields``) as the plain text a reader sees.

    HTML (rich text) loses its tags; relations show the target's title; files their name.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if _TAG.search(value):
            from lxml import html as lxml_html

            try:
                return lxml_html.fromstring(value).text_content()
            except Exception:  # not parseable: keep the text without tags
                return _TAG.sub(" ", value)
        return value
    if isinstance(value, dict):
        if "filename" in value:
            return f"Attachment {value.get('filename') or ''} (SHA-256 {value.get('sha256')})"
        if "title" in value and "uid" in value:
            return value.get("title") or ""
        return ", ".join(f"{k}: {plain_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain_text(v) for v in value)
    return str(value)


def _matches(words: list[str], field_map: dict) -> list[str]:
    """Names of the fields whose text contains every word (or the fields together do)."""
    texts = {name: plain_text(data["value"]).lower() for name, data in field_map.items()}
    joined = "\n".join(texts.values())
    if not all(w in joined for w in words):
        return []
    return [name for name, text in texts.items() if any(w in text for w in words)]


def find_held_information(
    text: str, on: date, portal_types: list[str] | None = None, limit: int = 100
) -> list[dict]:
    """Records the network held on a date whose content *then* contained the words searched for.

    Candidates come from the catalog (records created by the end of ``on`` that the current user may
    view); a record not modified since is checked as it is now, a record modified since is checked
    as its version current at the end of ``on`` (so text removed later is still found, and text
    added later is not).

    :param text: words to look for (all must occur; case-insensitive)
    :param on: the request date
    :param portal_types: types to search (default: every record type but FOI case files)
    :param limit: the most results to return
    :returns: list of ``{"uid", "title", "portal_type", "url", "version", "version_time", "fields"}``
    :raises ValueError: when no words are given or a type is unknown
    """
    words = [w.lower() for w in re.findall(r"\w+", text or "")]
    if not words:
        raise ValueError("Give at least one word to search for.")
    known = record_types()
    types = portal_types or known
    unknown = sorted(set(types) - set(known))
    if unknown:
        raise ValueError(f"Unknown record type(s): {', '.join(unknown)}. Known: {', '.join(known)}.")
    moment = history.parse_moment(on.isoformat())
    cutoff = DateTime(moment.astimezone(UTC).isoformat())
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type=types, created={"query": cutoff, "range": "max"}, sort_on="created")
    results = []
    for brain in brains:
        obj = brain.getObject()
        if not disclosure.may_read_versions(obj):
            continue  # e.g. a complaint for a council auditor: its versions are the complaints roles'
        try:
            version = history.version_at(obj, moment)
        except (NotYetCreated, HistoryError):
            continue
        unchanged = brain.modified <= cutoff
        # Only the fields the searcher may read: the search must not tell whether hidden text occurs.
        field_map = disclosure.filter_fields(
            obj, history.fields(obj, None if unchanged else version["version_id"])
        )
        matched = _matches(words, field_map)
        if not matched:
            continue
        disclosure.note_read(obj, "foi-search")
        results.append(
            {
                "uid": brain.UID,
                "title": plain_text(field_map.get("title", {}).get("value")) or brain.Title,
                "portal_type": brain.portal_type,
                "url": brain.getURL(),
                "version": version["version_id"],
                "version_time": version["time"].isoformat(),
                "fields": matched,
            }
        )
        if len(results) >= limit:
            break
    return results


# -- Redactions ---------------------------------------------------------------------------------
def _readable(uid: str):
    """The record with this UID if the current user may view it, else None."""
    try:
        obj = api.content.get(UID=uid) if uid else None
    except Unauthorized:  # the path to it is not accessible: the same answer as "no such record"
        return None
    if obj is None or not disclosure.may_view(obj):
        return None
    return obj


def redact(
    request,
    target: str,
    version: int,
    field: str,
    text: str,
    exemption: str,
    reason: str,
    actor: str | None = None,
):
    """Record a redaction: ``text`` in ``field`` of version ``version`` of record ``target``.

    The redacted record is not touched; the redaction is a versioned record inside the request.

    :param request: the FOIRequest it belongs to
    :param target: UID of the record
    :param version: the record's version id
    :param field: the field name
    :param text: the exact text withheld (as a reader sees it: rich text without tags)
    :param exemption: an exemption id ("s40", "s41", "s43", ...)
    :param reason: why the exemption applies (required)
    :param actor: who redacts (default: the current user)
    :returns: the Redaction
    :raises InvalidRedaction: when any of these does not match the record version
    """
    if exemption not in EXEMPTIONS:
        raise InvalidRedaction(
            f"Unknown exemption {exemption!r}. Use one of: {', '.join(EXEMPTIONS.by_value)}."
        )
    if not (reason or "").strip():
        raise InvalidRedaction("Give the reason why the exemption applies.")
    if not (text or "").strip():
        raise InvalidRedaction("Give the text to withhold.")
    obj = _readable(target)
    if obj is None:
        raise InvalidRedaction(f"There is no record with UID {target!r} that you may view.")
    if not disclosure.may_read_versions(obj):
        raise InvalidRedaction(f"You may not read the versions of {obj.Title()!r}.")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidRedaction("The version must be a whole number (a version id).")
    try:
        field_map = disclosure.version_fields(obj, version, channel="redaction")
    except NoSuchVersion as error:
        raise InvalidRedaction(str(error)) from None
    if field not in field_map:
        raise InvalidRedaction(
            f"A {type_title(obj.portal_type).lower()} has no field {field!r} that you may read. "
            f"Fields: {', '.join(field_map)}."
        )
    if text not in plain_text(field_map[field]["value"]):
        raise InvalidRedaction(f"The text to withhold does not occur in {field!r} of version {version}.")
    actor = actor or api.user.get_current().getId()
    title = f"{CITATIONS[exemption]}: {field_map[field]['title']} of {obj.Title()} (version {version})"
    redaction = api.content.create(
        container=request,
        type="Redaction",
        id=free_id(request, title, default="redaction"),
        title=title,
        target=target,
        target_version=version,
        field=field,
        text=text,
        exemption=exemption,
        reason=reason.strip(),
    )
    redaction.redacted_by = actor
    redaction.redacted_at = datetime.now(UTC)
    notify(
        RedactionMade(
            request,
            details={
                "redaction": redaction.UID(),
                "target": target,
                "version": version,
                "field": field,
                "exemption": exemption,
            },
            actor=actor,
        )
    )
    return redaction


def redactions(request) -> list:
    """The redactions recorded on a request, oldest first."""
    items = [o for o in request.objectValues() if getattr(o, "portal_type", None) == "Redaction"]
    return sorted(items, key=lambda r: r.redacted_at or datetime.min.replace(tzinfo=UTC))


def redaction_json(redaction) -> dict:
    """A redaction as JSON (the withheld text included: only FOI handlers and auditors read it)."""
    return {
        "@id": redaction.absolute_url(),
        "UID": redaction.UID(),
        "target": redaction.target,
        "version": redaction.target_version,
        "field": redaction.field,
        "text": redaction.text,
        "exemption": redaction.exemption,
        "citation": CITATIONS.get(redaction.exemption, redaction.exemption),
        "reason": redaction.reason,
        "redacted_by": redaction.redacted_by,
        "redacted_at": redaction.redacted_at.isoformat() if redaction.redacted_at else None,
    }


# -- Disclosure bundle --------------------------------------------------------------------------
def content_sha256(document: dict) -> str:
    """SHA-256 of a disclosed item's canonical JSON (``links.content.integrity.dumps``: sorted keys, no
    whitespace, UTF-8) of ``{"type", "uid", "version", "fields": {name: value}}`` — the values of
    ``GET <record>/@as-of`` for that version, so anyone can recompute it.
    """
    return sha256_hex(dumps(document))


def _item(request, entry) -> dict:
    """Resolve one selected item: the record, its version (default: current at receipt), fields."""
    if not isinstance(entry, dict) or not isinstance(entry.get("uid"), str):
        raise InvalidSelection('Each item must be {"uid": <record UID>, "version": <version id, optional>}.')
    obj = _readable(entry["uid"])
    if obj is None:
        raise InvalidSelection(f"There is no record with UID {entry['uid']!r} that you may view.")
    if not disclosure.may_read_versions(obj):
        raise InvalidSelection(f"You may not read the versions of {obj.Title()!r}.")
    version = entry.get("version")
    try:
        if version is None:
            moment = history.parse_moment(request.received.isoformat())
            version = history.version_at(obj, moment)["version_id"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise InvalidSelection(f"The version of {entry['uid']!r} must be a whole number.")
        described = {v["version_id"]: v for v in history.versions(obj)}
        if version not in described:
            raise NoSuchVersion(f"Version {version} of {obj.Title()!r} does not exist.")
        field_map = disclosure.version_fields(obj, version, channel="disclosure-bundle")
    except HistoryError as error:
        raise InvalidSelection(f"{obj.Title()}: {error}") from None
    document = {
        "type": obj.portal_type,
        "uid": obj.UID(),
        "version": version,
        "fields": {name: data["value"] for name, data in field_map.items()},
    }
    return {
        "obj": obj,
        "version": described[version],
        "fields": field_map,
        "sha256": content_sha256(document),
    }


def build_bundle(request, items: list[dict], actor: str | None = None) -> dict:
    """Render the selected record versions, with redactions applied, into one signed PDF.

    Each item shows every field of the version; withheld text is replaced by a box citing the
    exemption. The last pages list the manifest (item, version, SHA-256 of the version's content,
    SHA-256 of what was disclosed). The manifest is sealed with the site's Ed25519 key, embedded in
    the PDF as ``manifest.json``, and the PDF is signed with the site certificate (PAdES).

    :param request: the FOIRequest
    :param items: ``[{"uid": ..., "version": ...}]`` (version optional: the one current at receipt)
    :param actor: who builds it (default: the current user)
    :returns: the sealed manifest (also stored on the request with the PDF)
    :raises InvalidSelection: when an item cannot be resolved
    """
    from plone.namedfile.file import NamedBlobFile

    from links.content.foi import bundle as rendering
    from links.content.foi.events import DisclosureBundleBuilt
    from links.content.integrity import key_fingerprint
    from links.content.integrity import seal
    from links.content.keys import api as keys
    from links.content.pdf.api import seal_pdf
    from links.content.verify.issued import issue_pdf

    if not isinstance(items, list) or not items:
        raise InvalidSelection("Select at least one record for the bundle.")
    if len(items) > MAX_BUNDLE_ITEMS:
        raise InvalidSelection(f"A bundle holds at most {MAX_BUNDLE_ITEMS} records; split the disclosure.")
    resolved = [_item(request, entry) for entry in items]
    by_target: dict[tuple, list] = {}
    for redaction in redactions(request):
        by_target.setdefault((redaction.target, redaction.target_version, redaction.field), []).append(
            redaction
        )
    actor = actor or api.user.get_current().getId()
    built_at = datetime.now(UTC)
    manifest_items = []
    rendered = []
    for number, item in enumerate(resolved, start=1):
        uid, version_id = item["obj"].UID(), item["version"]["version_id"]
        applied = {name: by_target.get((uid, version_id, name), []) for name in item["fields"]}
        sections, disclosed = rendering.item_sections(item["fields"], applied)
        used = [r for rs in applied.values() for r in rs]
        manifest_items.append(
            {
                "n": number,
                "uid": uid,
                "title": plain_text(item["fields"].get("title", {}).get("value")) or item["obj"].Title(),
                "portal_type": item["obj"].portal_type,
                "version": version_id,
                "version_time": item["version"]["time"].isoformat(),
                "sha256": item["sha256"],
                "disclosed_sha256": sha256_hex(dumps(disclosed)),
                "redactions": [{"uid": r.UID(), "field": r.field, "exemption": r.exemption} for r in used],
            }
        )
        rendered.append(sections)
    key = keys.signing_key()
    manifest = {
        "request": request.reference,
        "summary": request.summary,
        "built_at": built_at.isoformat(),
        "built_by": actor,
        "items": manifest_items,
        "key_fingerprint": key_fingerprint(key.public_key()),
    }
    manifest["seal"] = seal(manifest, key)
    html = rendering.bundle_html(request, manifest, rendered)
    pdf = issue_pdf(
        html,
        request,
        "foi-bundle",
        seal=lambda data: seal_pdf(data, reason=f"Disclosure {request.reference}"),
        actor=actor,
    ).data
    request.bundle = NamedBlobFile(
        data=pdf, filename=f"{request.reference}-disclosure.pdf", contentType="application/pdf"
    )
    request.bundle_manifest = json.dumps(manifest, sort_keys=True)
    request._p_changed = True
    notify(
        DisclosureBundleBuilt(
            request,
            details={
                "reference": request.reference,
                "items": len(manifest_items),
                "pdf_sha256": sha256_hex(pdf),
            },
            actor=actor,
        )
    )
    return manifest


def bundle_manifest(request) -> dict | None:
    """The sealed manifest of the request's latest bundle (None when none was built)."""
    raw = getattr(aq_base(request), "bundle_manifest", None)
    return json.loads(raw) if raw else None


# -- Disclosure log -----------------------------------------------------------------------------
def released(reference: str):
    """The signed bundle released in answer to a request in the disclosure log (None when there is none).

    Only what the log lists is served: an answered request, not a subject access request, with a bundle.

    :param reference: the request's reference, e.g. "FOI-2026-0003"
    :returns: the bundle file, or None
    """
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="FOIRequest",
        getId=(reference or "").strip().lower(),
        review_state=list(ANSWERED_STATES),
        object_provides={"not": ISubjectAccessRequest.__identifier__},
    ):
        bundle = getattr(aq_base(brain._unrestrictedGetObject()), "bundle", None)
        if bundle is not None:
            return bundle
    return None


def disclosure_log(start: int = 0, size: int = 50) -> tuple[int, list[dict]]:
    """Answered requests for the public disclosure log, newest first, without requesters.

    Only the reference, the public summary, dates, the outcome and the exemptions are given: the
    requester's name, contact details, request text and answer letter never leave the case file.
    Subject access requests are never listed (a person's request for their own data is theirs).

    :param start: offset of the first entry
    :param size: how many entries (at most 200)
    :returns: ``(total, entries)``
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="FOIRequest",
        review_state=list(ANSWERED_STATES),
        object_provides={"not": ISubjectAccessRequest.__identifier__},
        sort_on="created",
        sort_order="reverse",
    )
    size = max(1, min(int(size), 200))
    start = max(0, int(start))
    entries = []
    for brain in brains[start : start + size]:
        obj = brain._unrestrictedGetObject()
        outcome = obj.outcome
        entries.append(
            {
                "reference": obj.reference,
                "summary": obj.summary,
                "received": obj.received.isoformat() if obj.received else None,
                "answered_on": obj.answered_on.isoformat() if obj.answered_on else None,
                "handled_under": obj.handled_under,
                "outcome": outcome,
                "outcome_title": OUTCOMES.getTerm(outcome).title if outcome in OUTCOMES.by_value else None,
                "exemptions": [CITATIONS.get(e, e) for e in (obj.exemptions or ())],
                "internal_review": brain.review_state != "answered",
                # What was released (the signed bundle) is public once the request is answered.
                "released": getattr(aq_base(obj), "bundle", None) is not None,
            }
        )
    return len(brains), entries
