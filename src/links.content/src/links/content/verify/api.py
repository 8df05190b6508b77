"""The verification service: one place that answers "is this the document the network issued?".

Given a PDF's bytes (``check_file``) or a SHA-256 (``check_hash``), it answers in plain English, as a
JSON-ready dict the verify page and ``@verify`` both show:

- whether the site issued exactly this file (the record of issue, ``issued.py``);
- whether its PDF signature is valid and made with this network's certificate, a certificate it retired at
  a key rotation, or someone else's (``links.content.pdf.verify.verify_pdf``, the one pyHanko validation
  the command line uses too), when it was signed and timestamped;
- which record and version it is, who signed it and with what meaning (printed names, as the PDF shows
  them; each member's sealed signature record checked with this network's key or a trusted earlier
  host's, ``signing.api.signatures``);
- whether a later issue, a withdrawal or the record's own state (superseded, withdrawn, deleted) has
  overtaken it.

Confidential kinds (complaint response letters) tell someone who may not view the record only "genuine,
issued on <date>". A file the site did not issue is told so, with the reason when one can be seen
(changed after signing, signed by someone else, re-saved without the signature); a file that is not a
PDF, or a broken one, gets the same answer, never an error. The page also checks a handover archive
against a typed fingerprint (``check_archive``: the handover's own verifier, plugged in by links.policy)
and an audit checkpoint against the site's published key (``check_checkpoint``).
"""

from __future__ import annotations

import json
import logging
import re
from io import BytesIO

from AccessControl import getSecurityManager
from plone import api
from plone.app.uuid.utils import uuidToObject
from zope.component import queryUtility

from links.content.integrity import sha256_hex
from links.content.pdf.verify import NOT_TRUSTED
from links.content.verify import issued
from links.content.verify.exceptions import InvalidInput
from links.content.verify.exceptions import Unavailable
from links.content.verify.interfaces import IArchiveChecker
from links.content.verify.mark import PATH
from links.content.words import format_date
from links.content.words import format_datetime
from links.content.words import type_title

logger = logging.getLogger(__name__)

HEX64 = re.compile(r"[0-9a-f]{64}\Z")
#: Pages searched for a verification mark in a file the site did not issue.
MARK_PAGES = 50
#: Largest audit checkpoint accepted (a checkpoint is about 250 bytes).
MAX_CHECKPOINT = 16 * 1024

NOT_ISSUED = "This is not the document the network issued."


def normalise_sha256(text) -> str:
    """A SHA-256 as typed or pasted (spaces, colons, capitals allowed), as 64 lowercase hex digits.

    :raises InvalidInput: it is not one
    """
    if not isinstance(text, str):
        raise InvalidInput("Give the SHA-256 as text: 64 hexadecimal digits.")
    value = re.sub(r"[\s:]", "", text).lower()
    if not HEX64.match(value):
        raise InvalidInput(
            "A SHA-256 is 64 hexadecimal digits (0-9, a-f). Copy it again, or upload the file instead."
        )
    return value


def _network() -> str:
    return api.portal.get().Title() or "The network"


def _kind_title(entry: dict) -> str:
    if entry["kind"] == "signed-record":
        return type_title(entry["portal_type"]).lower()
    return issued.KINDS[entry["kind"]]


def _record(entry: dict):
    return uuidToObject(entry["uid"], unrestricted=True)


def _may_view(obj) -> bool:
    return obj is not None and bool(getSecurityManager().checkPermission("View", obj))


def _state(obj) -> str | None:
    return api.content.get_state(obj, default=None) if obj is not None else None


# -- Signatures in the file ------------------------------------------------------------------------------
def _anchors() -> tuple[bytes, str, set[str]]:
    """(trusted PEM bundle, current certificate's fingerprint, fingerprints of every trusted certificate)."""
    from pyhanko.keys import load_certs_from_pemder_data

    from links.content.keys.api import certificate_pem
    from links.content.keys.api import trusted_certificates_pem
    from links.content.pdf.verify import certificate_fingerprint

    bundle = trusted_certificates_pem()
    current = certificate_fingerprint(next(iter(load_certs_from_pemder_data(certificate_pem()))))
    return bundle, current, {certificate_fingerprint(c) for c in load_certs_from_pemder_data(bundle)}


def _pdf_signatures(data: bytes) -> list[dict] | None:
    """The file's PDF signatures, each checked against this network's certificates; None: not a PDF."""
    from links.content.pdf.verify import verify_pdf
    from links.content.timestamps import api as timestamps

    if data.lstrip()[:5] != b"%PDF-":
        return None
    bundle, current, trusted = _anchors()
    tsa = timestamps.settings().trusted_pem.encode("ascii") or None
    try:
        results = verify_pdf(data, bundle, tsa_pem=tsa)
    except Exception as error:  # hostile input: pyHanko raises many kinds of error on a broken file
        logger.info("verify: unreadable PDF (%s: %s)", type(error).__name__, error)
        return None
    shown = []
    for result in results:
        fingerprint = result["signer_fingerprint"]
        if fingerprint == current:
            key = "this network's certificate"
        elif fingerprint in trusted:
            key = "a certificate this network used before a key rotation"
        else:
            key = f"a certificate this network does not know ({result['signer'] or 'no name'})"
        stamp = result["timestamp"]
        shown.append(
            {
                "valid": result["ok"],
                "intact": result["intact"] and not result["modified_after_signing"],
                "trusted": result["trusted"] and fingerprint in trusted,
                "key": key,
                "certificate_sha256": fingerprint,
                "signed": result["time"],
                "signed_text": format_datetime(result["time"], zone=True),
                "timestamp": stamp and {**stamp, "text": format_datetime(stamp["time"], zone=True)},
                "level": result["level"],
                "problems": result["problems"],
            }
        )
    return shown


#: Page-tree nodes read at most while looking for the verification mark (hostile trees).
MARK_NODES = 500


def _marked_issue(data: bytes) -> str | None:
    """The issue id of a verification mark in the file (its link), if the file carries one."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    prefix = f"/{PATH}?sha256="
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        # A hostile page tree may list a node as its own kid (a cycle) or fan out without end: remember
        # the nodes visited and stop after a fixed number of them, leaves or not.
        pages = [reader.root.raw_get("/Pages")]
        visited: set = set()
        seen = nodes = 0
        while pages and seen < MARK_PAGES and nodes < MARK_NODES:
            reference = pages.pop(0)
            key = (reference.idnum, reference.generation) if hasattr(reference, "idnum") else id(reference)
            if key in visited:
                continue
            visited.add(key)
            nodes += 1
            node = reference.get_object() if hasattr(reference, "get_object") else reference
            if "/Kids" in node:
                pages[:0] = list(node["/Kids"])[:MARK_NODES]
                continue
            seen += 1
            for annotation in node.get("/Annots", []) or []:
                action = annotation.get_object().get("/A")
                uri = str(action.get_object().get("/URI", "")) if action is not None else ""
                value = uri.split(prefix, 1)[1][:64] if prefix in uri else ""
                if HEX64.match(value):
                    return value
    except Exception as error:  # hostile input: a broken page tree is just "no mark found"
        logger.info("verify: no readable page tree (%s: %s)", type(error).__name__, error)
    return None


# -- What the record of issue says --------------------------------------------------------------------------
def _signers(obj, entry: dict) -> list[dict]:
    """Who signed the issued version and with what meaning (printed names; seals checked)."""
    from links.content.integrity import key_fingerprint
    from links.content.keys.api import public_key
    from links.content.signing.api import signatures
    from links.content.signing.storage import get_store

    store = get_store(obj) if obj is not None else None
    if store is None or entry["kind"] != "signed-record":
        return []
    signoff = next(
        (s for s in store.signoffs.values() if s.get("pdf_sha256") == entry["sha256"]),
        None,
    )
    if signoff is None:
        return []
    own = key_fingerprint(public_key())
    wanted = set(signoff["signatures"])
    result = []
    for item in signatures(obj):
        if item["seq"] not in wanted:
            continue
        check = item["verification"]
        result.append(
            {
                "name": item["printed_name"],
                "meaning": "approved" if item["meaning"] == "approve" else "rejected",
                "time": item["time"],
                "time_text": format_datetime(item["time"], zone=True),
                "seal_valid": bool(check["seal_valid"] and check["hash_matches"]),
                "key": "this network's key"
                if item.get("key") in (None, own)
                else "the key of an earlier host this network trusts",
            }
        )
    return result


def _overtaken(obj, entry: dict) -> tuple[dict | None, dict | None]:
    """(superseded, withdrawn): each ``{"text", ...}`` or None."""
    withdrawn = superseded = None
    if entry.get("withdrawn"):
        info = entry["withdrawn"]
        withdrawn = {
            "time": info["time"],
            "reason": info["reason"],
            "text": f"The network withdrew this document on {format_date(info['time'])}: {info['reason']}",
        }
    elif obj is None:
        withdrawn = {"text": "The record it was issued from has since been removed from the network's site."}
    elif _state(obj) == "withdrawn":
        withdrawn = {"text": "The record it was issued from has since been withdrawn."}
    later = [
        e
        for e in issued.issues_of(entry["uid"])
        if e["issued"] > entry["issued"] and e["kind"] == entry["kind"] and not e.get("withdrawn")
    ]
    if later:
        newest = later[-1]
        version = f" (version {newest['version_id']})" if newest.get("version_id") is not None else ""
        superseded = {
            "issued": newest["issued"],
            "version_id": newest.get("version_id"),
            "text": f"A later {_kind_title(entry)}{version} of this record was issued on "
            f"{format_date(newest['issued'])}: this one is no longer current.",
        }
    elif obj is not None and _state(obj) == "superseded":
        superseded = {"text": "The record has since been superseded by a newer one."}
    return superseded, withdrawn


def _describe(entry: dict, how: str, file_checked: bool) -> dict:
    """The answer for a document found in the record of issue."""
    obj = _record(entry)
    network = _network()
    when = format_date(entry["issued"])
    if entry["kind"] in issued.CONFIDENTIAL and not _may_view(obj):
        # Anyone may learn that a letter is genuine; nothing else about it.
        headline = (
            f"Genuine: issued by {network} on {when}."
            if how == "file"
            else f"This verification link names a document {network} issued on {when}."
        )
        return {
            "verdict": "genuine" if how == "file" else "issue-found",
            "issued": how == "file",
            "headline": headline,
            "document": {"issued": entry["issued"], "issued_text": when},
        }
    kind = _kind_title(entry)
    title = entry["title"] if entry["kind"] != "foi-bundle" else ""
    superseded, withdrawn = _overtaken(obj, entry)
    document = {
        "kind": entry["kind"],
        "kind_title": kind,
        "title": title,
        "version_id": entry["version_id"],
        "record_sha256": entry["record_sha256"],
        "issued": entry["issued"],
        "issued_text": when,
        "issue_id": entry["issue_id"],
        "url": obj.absolute_url() if _may_view(obj) else None,
    }
    named = f"the {kind}" + (f" “{title}”" if title else "")
    version = f", version {entry['version_id']}," if entry["version_id"] is not None else ""
    if how == "file":
        verdict = "withdrawn" if withdrawn else "superseded" if superseded else "genuine"
        headline = f"Genuine: this is exactly {named}{version} that {network} issued on {when}."
    else:
        verdict = "issue-found"
        headline = (
            f"This verification link names {named}{version} that {network} issued on {when}. To check "
            "that your copy is exactly that document, upload the file."
        )
    return {
        "verdict": verdict,
        "issued": how == "file",
        "headline": headline,
        "document": document,
        "signers": _signers(obj, entry),
        "superseded": superseded,
        "withdrawn": withdrawn,
        "notes": [x["text"] for x in (withdrawn, superseded) if x],
    }


# -- The checks ----------------------------------------------------------------------------------------------
def check_hash(value: str) -> dict:
    """What the network knows of a SHA-256: a file it issued, or the issue id of a verification link.

    :param value: as typed or pasted
    :returns: the answer (``verdict``, ``headline``, ``issued``, ``sha256`` and details)
    :raises InvalidInput: not a SHA-256
    """
    sha256 = normalise_sha256(value)
    entry, how = issued.lookup(sha256)
    if entry is None:
        return {
            "verdict": "not-issued",
            "issued": False,
            "sha256": sha256,
            "headline": "The network has no record of issuing a document with this SHA-256.",
            "notes": [
                "Check that you copied the whole SHA-256 of the file, or upload the file itself: a copy "
                "re-saved by another program has another SHA-256."
            ],
        }
    answer = _describe(entry, how, file_checked=False)
    if how == "file" and answer["verdict"] != "issue-found":
        answer["notes"] = [
            "If this SHA-256 is your file's, your file is that document. "
            "Upload the file to check its signature too.",
            *answer.get("notes", []),
        ]
    return {"sha256": sha256, "looked_up": how, **answer}


def check_file(data: bytes) -> dict:
    """Whether ``data`` is exactly a document the network issued, and what it is.

    :param data: the uploaded file (kept nowhere)
    :returns: the answer (``verdict``, ``headline``, ``issued``, ``sha256``, ``signatures`` and details);
        verdicts: ``genuine``, ``superseded``, ``withdrawn`` (issued), ``signed`` (validly sealed by
        the network but not in the record of issue), ``altered``, ``foreign``, ``resaved``, ``not-issued``
    """
    sha256 = sha256_hex(data)
    signatures = _pdf_signatures(data)
    entry, how = issued.lookup(sha256)
    if entry is not None and how == "file":
        answer = _describe(entry, how, file_checked=True)
        if "document" in answer and "kind" in answer["document"]:
            for seal in signatures or []:
                trust_only = all(p.startswith(NOT_TRUSTED) for p in seal["problems"])
                if not seal["trusted"] and seal["intact"] and trust_only:
                    # Issued by an earlier host: its record of issue came with the handover (authenticated
                    # by the handover fingerprint), its certificate did not.
                    seal["key"] = "the certificate of an earlier host of this network"
                    seal["valid"] = True
                    seal["problems"] = []
            answer["signatures"] = signatures or []
        return {"sha256": sha256, "looked_up": how, **answer}
    answer = {"sha256": sha256, "issued": False, "signatures": signatures or []}
    if signatures is None:
        reason = "It is not a PDF." if data.lstrip()[:5] != b"%PDF-" else "It cannot be read as a PDF."
        return {**answer, "verdict": "not-issued", "headline": NOT_ISSUED, "notes": [reason]}
    if any(not s["intact"] for s in signatures):
        return {
            **answer,
            "verdict": "altered",
            "headline": f"{NOT_ISSUED} It has been changed since it was signed.",
            "notes": [p for s in signatures for p in s["problems"]],
        }
    if signatures and all(s["valid"] and s["trusted"] for s in signatures):
        return {
            **answer,
            "verdict": "signed",
            "headline": f"The seal of {_network()} on this file is valid and covers the whole file.",
            "notes": [
                "The file is not in the network's record of issue (it was issued before the record was kept, "
                "or by an earlier host): ask the network which record and version it is."
            ],
        }
    if signatures:
        return {
            **answer,
            "verdict": "foreign",
            "headline": f"{NOT_ISSUED} It is not sealed by the network.",
            "notes": [f"It is signed with {s['key']}." for s in signatures],
        }
    marked = _marked_issue(data)
    found, _how = issued.lookup(marked) if marked else (None, None)
    if found is not None:
        notes = [
            "It carries the verification mark of a document the network issued"
            + (
                f" on {format_date(found['issued'])}"
                if found["kind"] not in issued.CONFIDENTIAL or _may_view(_record(found))
                else ""
            )
            + ", but its bytes differ and it has no signature: it may have been re-saved or printed to PDF "
            "by another program. Ask the sender for the original file, or ask the network for a copy."
        ]
        return {**answer, "verdict": "resaved", "headline": NOT_ISSUED, "notes": notes, "issue_id": marked}
    return {
        **answer,
        "verdict": "not-issued",
        "headline": NOT_ISSUED,
        "notes": [
            "The network has no record of issuing this file, and it carries no signature of the network."
        ],
    }


def check_archive(upload, fingerprint: str) -> dict:
    """Check a handover archive's manifest and signature against the fingerprint the outgoing host gave.

    :param upload: the archive (a binary file object)
    :param fingerprint: the handover fingerprint, as typed
    :returns: ``{"ok", "headline", "notes"}``
    :raises Unavailable: no archive checker on this site (links.policy registers it)
    :raises InvalidInput: no fingerprint
    """
    checker = queryUtility(IArchiveChecker)
    if checker is None:
        raise Unavailable("This site cannot check handover archives.")
    if not isinstance(fingerprint, str) or not fingerprint.strip():
        raise InvalidInput(
            "Type the handover fingerprint the outgoing host gave you: without it, anyone could have "
            "signed the archive."
        )
    return checker(upload, fingerprint.strip())


def check_checkpoint(text: str | bytes) -> dict:
    """Check an audit checkpoint (JSON, as ``@audit-checkpoint`` gives it) against the site's published key
    (or a key it retired, or an earlier host's it trusts), and whether its audit trail still holds it.

    :returns: ``{"ok", "signature_valid", "held", "headline", "notes"}``
    :raises InvalidInput: not a checkpoint
    """
    from links.content.audit.checkpoints import check
    from links.content.audit.storage import get_log
    from links.content.keys.api import public_key

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        raise InvalidInput("Give the checkpoint once, as JSON text.")
    if len(text) > MAX_CHECKPOINT:
        raise InvalidInput("A checkpoint is a short JSON text, as @audit-checkpoint gives it.")
    try:
        checkpoint = json.loads(text)
    except ValueError:
        raise InvalidInput("The checkpoint is not JSON. Paste it exactly as you received it.") from None
    # A tree checkpoint (#15: size, root_hash, time, key_fingerprint, signature) or an older head seal
    # (seq, hash, time, signature); both are checked by audit.checkpoints.check.
    tree = isinstance(checkpoint, dict) and "size" in checkpoint
    fields = (
        {"size": int, "root_hash": str, "time": str, "key_fingerprint": str, "signature": str}
        if tree
        else {"seq": int, "hash": str, "time": str, "signature": str}
    )
    if not isinstance(checkpoint, dict) or not all(
        isinstance(checkpoint.get(k), kind) and not isinstance(checkpoint.get(k), bool)
        for k, kind in fields.items()
    ):
        raise InvalidInput(
            "A checkpoint has size (a number), root_hash, time, key_fingerprint and signature, as "
            "@audit-checkpoint gives it."
        )
    signer = _checkpoint_signer(checkpoint, check, public_key())
    if signer is None:
        return {
            "ok": False,
            "signature_valid": False,
            "held": None,
            "headline": "This checkpoint is not signed with the network's published key.",
            "notes": ["It was changed, or it comes from another site."],
        }
    log = get_log(api.portal.get())
    if tree:
        from links.content.audit import merkle

        size = checkpoint["size"]
        built = getattr(log, "merkle_size", 0) if log is not None else 0
        held = 0 < size <= built and merkle.root(log.merkle_node, size).hex() == checkpoint["root_hash"]
        headline = (
            f"Genuine: the network's audit trail had {size} entries on "
            f"{format_datetime(checkpoint['time'], zone=True)}, with this root hash."
        )
        what = "the first entries of the trail still give that root hash: they are unchanged"
    else:
        stored = log.entries.get(checkpoint["seq"]) if log is not None else None
        held = stored is not None and stored[1] == checkpoint["hash"]
        headline = (
            f"Genuine: the network's audit trail had {checkpoint['seq']} entries on "
            f"{format_datetime(checkpoint['time'], zone=True)}, the last with this hash."
        )
        what = "the audit trail still holds that entry unchanged"
    signed_with = f"It is signed with {'the published key' if signer == 'own' else signer}."
    note = (
        f"Checked now: {what}."
        if held
        else "The audit trail does NOT hold those entries unchanged now: it has been changed or replaced "
        "since. Tell the network's auditor."
    )
    return {
        "ok": held,
        "signature_valid": True,
        "held": held,
        "headline": headline,
        "notes": [signed_with, note],
    }


def _checkpoint_signer(checkpoint: dict, check, own) -> str | None:
    """Whose key signed the checkpoint: "own" (the published key), an earlier one the site trusts (a key
    it retired at a rotation, or an earlier host's, ``keys.api.PREDECESSORS_KEY``), or None."""
    from zope.annotation.interfaces import IAnnotations

    from links.content.integrity import load_public_key
    from links.content.keys.api import PREDECESSORS_KEY
    from links.content.keys.api import public_key_for

    if check(checkpoint, own):
        return "own"
    fingerprint = checkpoint.get("key_fingerprint")
    if fingerprint:  # a tree checkpoint names its key: the keys module knows retired and earlier hosts' keys
        key = public_key_for(fingerprint)
        found = key is not None and check(checkpoint, key)
        return f"an earlier key the network trusts (fingerprint {fingerprint})" if found else None
    # An older head seal names no key: try the earlier hosts' keys the site trusts.
    trusted = IAnnotations(api.portal.get()).get(PREDECESSORS_KEY) or {}
    for fingerprint, pem in trusted.items():
        if check(checkpoint, load_public_key(pem.encode("ascii"))):
            return f"an earlier key the network trusts (fingerprint {fingerprint})"
    return None
