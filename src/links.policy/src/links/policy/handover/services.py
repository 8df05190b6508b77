"""REST services: ``POST @handover-export``, ``POST @handover-import``, ``GET @handover-status``.

Export and import run in the request (they commit in batches on import); ``@handover-status`` answers from
another thread with the running operation's progress. Archives are exchanged as server-side paths: a
multi-gigabyte ZIP does not belong in a JSON response.
"""

import os
import tempfile
from pathlib import Path

from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zExceptions import BadRequest

from links.policy.handover import api
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import HandoverError
from links.policy.handover.progress import Progress


def _bool(value) -> bool:
    return value in (True, 1, "1", "true", "yes", "on")


class ExportPost(Service):
    """Body (all optional): ``{"include_passwords": false, "include_report": true}``."""

    def reply(self):
        body = json_body(self.request) or {}
        if not isinstance(body, dict):
            raise BadRequest('Send a JSON object, e.g. {"include_report": true}.')
        progress = Progress(self.context.getId(), "export", stream=None)
        summary = api.export_archive(
            self.context,
            include_passwords=_bool(body.get("include_passwords", False)),
            include_report=_bool(body.get("include_report", True)),
            progress=progress,
        )
        summary["@id"] = f"{self.context.absolute_url()}/@handover-export"
        summary["status"] = f"{self.context.absolute_url()}/@handover-status"
        return summary


class ImportPost(Service):
    """Body: ``{"path": "/server/path/archive.zip", "expected_fingerprint": "..."}``, or the ZIP itself
    with ``Content-Type: application/zip``."""

    def reply(self):
        content_type = (self.request.getHeader("Content-Type") or "").split(";")[0].strip()
        temporary = None
        if content_type == "application/zip":
            handle, temporary = tempfile.mkstemp(suffix=".zip")
            with os.fdopen(handle, "wb") as out:
                out.write(self.request.get("BODY") or b"")
            path, fingerprint = temporary, self.request.get("expected_fingerprint")
        else:
            body = json_body(self.request) or {}
            if not isinstance(body, dict) or not body.get("path"):
                raise BadRequest(
                    'Give the archive as {"path": "/path/on/the/server.zip"} or send the ZIP '
                    "with Content-Type: application/zip."
                )
            path, fingerprint = body["path"], body.get("expected_fingerprint")
            if not Path(path).is_file():
                raise BadRequest(f"There is no archive at {path} on the server.")
        try:
            progress = Progress(self.context.getId(), "import", stream=None)
            summary = api.import_archive(self.context, path, fingerprint, progress=progress)
            report = api.compare(self.context, path, progress=progress)
        except ArchiveRefused as error:
            self.request.response.setStatus(400)
            return {"type": "ArchiveRefused", "message": str(error), "problems": error.problems}
        except HandoverError as error:
            self.request.response.setStatus(400)
            return {"type": type(error).__name__, "message": str(error)}
        finally:
            if temporary:
                os.unlink(temporary)
        summary["verification"] = report
        return summary


class StatusGet(Service):
    def reply(self):
        return api.status(self.context.getId()) or {"state": "idle"}
