"""Pages for auditors and officers: two versions side by side, and a record as it stood on a date.

They answer what ``@compare`` and ``@as-of`` answer over REST, through the same ``history.api``, in plain
English: dates as people in England write them, values as text, never raw JSON. Bad input (an unknown
version, a date that is not a date) is a form error on the page with status 400; nothing is changed.
"""

import difflib
import html
import re

from Products.Five.browser import BrowserView

from links.content import disclosure
from links.content.history import api
from links.content.history.exceptions import HistoryError
from links.content.words import LONDON
from links.content.words import display_value
from links.content.words import format_datetime
from links.content.words import version_label

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def word_diff(old: str, new: str) -> tuple[str, str]:
    """Two texts as escaped HTML with the words that differ marked: removed words in ``<del>`` in the
    old text, added words in ``<ins>`` in the new one (so a changed word stands out in a long field).

    :returns: (old HTML, new HTML)
    """
    before, after = old.split(" "), new.split(" ")
    marked_old, marked_new = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        removed, added = html.escape(" ".join(before[a0:a1])), html.escape(" ".join(after[b0:b1]))
        if tag == "equal":
            marked_old.append(removed)
            marked_new.append(added)
            continue
        if removed:
            marked_old.append(f'<del class="bg-danger-subtle">{removed}</del>')
        if added:
            marked_new.append(f'<ins class="bg-success-subtle">{added}</ins>')
    return " ".join(marked_old), " ".join(marked_new)


def describe_version(version: dict) -> dict:
    """A version (``history.api.versions``) for a page: number, who, when, comment."""
    return {
        "id": version["version_id"],
        "label": version_label(version["version_id"]),
        "author": version.get("author_name") or version.get("author") or "unknown",
        "when": format_datetime(version["time"]),
        # None: the comment exists but the reader may not read the record's free text (disclosure).
        "comment": "(comment withheld)" if version.get("comment", "") is None else version.get("comment", ""),
    }


def _row(row: dict) -> dict:
    """A compared field for the page: its values as text, and as HTML with the changed words marked."""
    old, new = display_value(row["from"]), display_value(row["to"])
    old_html, new_html = word_diff(old, new) if row["changed"] else (html.escape(old), html.escape(new))
    return {
        "title": row["title"],
        "from": old,
        "to": new,
        "from_html": old_html,
        "to_html": new_html,
        "changed": row["changed"],
    }


class CompareVersionsView(BrowserView):
    """``@@compare-versions?from=0&to=2``: every field of two versions, changed ones marked."""

    error = None
    result = None

    def __call__(self):
        disclosure.require_view(self.context)
        try:
            self.all_versions = [describe_version(v) for v in disclosure.versions(self.context)]
        except HistoryError as error:
            self.all_versions = []
            self.error = str(error)
            return self.index()
        ids = [v["id"] for v in self.all_versions]
        from_id = self._version("from", ids[-2] if len(ids) > 1 else ids[0])
        to_id = self._version("to", ids[-1])
        if self.error is None:
            try:
                compared = disclosure.compare(self.context, from_id, to_id)
            except HistoryError as error:
                self.error = str(error)
            else:
                self.result = {
                    "from": describe_version(compared["from"]),
                    "to": describe_version(compared["to"]),
                    "rows": [_row(row) for row in compared["fields"]],
                    "changed": len(compared["changed"]),
                }
        if self.error:
            self.request.response.setStatus(400)
        self.selected = {"from": from_id, "to": to_id}
        return self.index()

    def _version(self, name: str, default: int):
        raw = self.request.form.get(name)
        if raw in (None, ""):
            return default
        try:
            version_id = int(raw)
        except (TypeError, ValueError):
            self.error = f"Choose a version from the list for “{name}”: {raw!r} is not a version number."
            return default
        if version_id not in {v["id"] for v in self.all_versions}:
            # Said as people count versions (from 1), as the list shows them.
            self.error = f"{version_label(version_id)} does not exist: choose a version from the list."
            return default
        return version_id


class AsOfView(BrowserView):
    """``@@as-of?date=2026-05-01``: the version current at the end of that day (UK time) and its fields."""

    error = None
    result = None

    def __call__(self):
        disclosure.require_view(self.context)
        self.date = (self.request.form.get("date") or "").strip()
        if self.date:
            try:
                moment = api.parse_moment(self.date)
                found = disclosure.as_of(self.context, moment)
            except ValueError as error:
                self.error = str(error).replace("'date'", "The date")
                self.request.response.setStatus(400)
            except HistoryError as error:
                self.error = str(error)
            else:
                local = moment.astimezone(LONDON)
                self.result = {
                    "moment": f"{local.day} {local:%B %Y}"
                    if _ISO_DATE.match(self.date)
                    else format_datetime(moment),
                    "version": describe_version(found["version"]),
                    "rows": [
                        {"title": field["title"], "value": display_value(field["value"])}
                        for field in found["fields"].values()
                    ],
                }
        return self.index()
