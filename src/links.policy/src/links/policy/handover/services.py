"""REST services: ``POST @handover-export``, ``POST @handover-import``, ``GET @handover-status``.

Export and import run in the request; ``@handover-status`` answers from another thread with the running
operation's progress. The import is one transaction, committed by the request only when the comparison says
identical (anything else rolls it back). An archive arrives as the request body (``application/zip``, or
``application/octet-stream`` for an age-encrypted one) or as a path inside the configured import folder
(``$LINKS_HANDOVER_IMPORT_DIR``, default ``<handover folder>/incoming``): never an arbitrary server path.

Both POSTs change the site without plone.protect's form token, like plone.restapi's own services; they
accept only ``Content-Type`` values a cross-site HTML form cannot send, and only from a Manager.
"""

import os
from pathlib import Path

import transaction
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.policy.handover import api
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import HandoverError
from links.policy.handover.exceptions import NotIdentical
from links.policy.handover.progress import Progress

UPLOAD_TYPES = ("application/zip", "application/octet-stream")


def _bool(value) -> bool:
    return value in (True, 1, "1", "true", "yes", "on")


def _content_type(request) -> str:
    return (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()


def import_dir() -> Path:
    """The only server folder ``@handover-import {"path": ...}`` reads from."""
    configured = os.environ.get("LINKS_HANDOVER_IMPORT_DIR")
    from links.policy.handover.export import handover_dir

    return Path(configured) if configured else handover_dir() / "incoming"


def resolve_import_path(path) -> Path:
    """``path`` (relative to the import folder, or absolute inside it) as a real file inside the folder.

    :raises BadRequest: anything else (another folder, a link out of it, a missing file)
    """
    folder = import_dir().resolve()
    if not isinstance(path, str) or not path or "\x00" in path or len(path) > 1000:
        raise BadRequest("Give the archive's file name inside the server's handover import folder as 'path'.")
    candidate = (folder / path).resolve()
    if not candidate.is_relative_to(folder) or candidate == folder:
        raise BadRequest(
            f"The archive must be a file inside the server's handover import folder ({folder}); "
            "copy it there, or upload it as the request body."
        )
    if not candidate.is_file():
        raise BadRequest(f"There is no archive called {path!r} in the server's handover import folder.")
    return candidate


class ExportPost(Service):
    """Body (all optional): ``{"include_passwords": false, "include_report": true, "encrypt_to": ...}``."""

    def reply(self):
        if _content_type(self.request) not in ("application/json", ""):
            raise BadRequest("Send the options as JSON (Content-Type: application/json).")
        alsoProvides(self.request, IDisableCSRFProtection)
        body = json_body(self.request) or {}
        if not isinstance(body, dict):
            raise BadRequest('Send a JSON object, e.g. {"include_report": true}.')
        encrypt_to = body.get("encrypt_to") or None
        if encrypt_to is not None and not isinstance(encrypt_to, str):
            raise BadRequest("encrypt_to must be the successor's age recipient (age1...).")
        progress = Progress(self.context.getId(), "export", stream=None)
        try:
            summary = api.export_archive(
                self.context,
                include_passwords=_bool(body.get("include_passwords", False)),
                include_report=_bool(body.get("include_report", True)),
                progress=progress,
                encrypt_to=encrypt_to,
            )
        except HandoverError as error:
            raise BadRequest(str(error)) from None
        summary["@id"] = f"{self.context.absolute_url()}/@handover-export"
        summary["status"] = f"{self.context.absolute_url()}/@handover-status"
        return summary


class ImportPost(Service):
    """Body: ``{"path": "archive.zip", "expected_fingerprint": "..."}`` (a file in the import folder), or the
    archive itself (``Content-Type: application/zip``) with the options in the query string. Options:
    ``expected_fingerprint``, ``insecure_no_fingerprint``, ``admin_roles``, ``password_hashes``,
    ``all_registry_records``."""

    def reply(self):
        content_type = _content_type(self.request)
        if content_type in UPLOAD_TYPES:
            options = self.request.form
            source = self.request.stdin
            source.seek(0)
        elif content_type == "application/json":
            options = json_body(self.request) or {}
            if not isinstance(options, dict) or not options.get("path"):
                raise BadRequest(
                    'Give the archive as {"path": "archive.zip"} (a file in the server\'s handover import '
                    "folder) or send the ZIP itself with Content-Type: application/zip."
                )
            source = resolve_import_path(options["path"])
        else:
            raise BadRequest("Send JSON (Content-Type: application/json) or the archive (application/zip).")
        alsoProvides(self.request, IDisableCSRFProtection)
        fingerprint = options.get("expected_fingerprint") or None
        if fingerprint is not None and not isinstance(fingerprint, str):
            raise BadRequest("expected_fingerprint must be text.")
        choices = api.ImportOptions(
            **{name: _bool(options.get(name, False)) for name in api.ImportOptions.__dataclass_fields__}
        )
        progress = Progress(self.context.getId(), "import", stream=None)
        try:
            return api.import_archive(
                self.context,
                source,
                fingerprint,
                options=choices,
                identity=os.environ.get("LINKS_HANDOVER_IDENTITY") or None,
                progress=progress,
                commit=False,  # the request commits: the import succeeded and compared identical
            )
        except HandoverError as error:
            transaction.doom()  # nothing of this request is kept
            self.request.response.setStatus(400)
            answer = {"type": type(error).__name__, "message": str(error)}
            if isinstance(error, ArchiveRefused):
                answer["problems"] = error.problems
            if isinstance(error, NotIdentical):
                answer["verification"] = error.report
            return answer


class StatusGet(Service):
    def reply(self):
        return api.status(self.context.getId()) or {"state": "idle"}
