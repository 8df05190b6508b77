"""Audit entries as people read them: an action title, who did it by name, and the details as sentences
with UK dates ("Due by 29 December 2026."), never ``reason: None, seq: 1, sha256: …``.

The trail itself keeps its stable dotted names and raw facts (exports and verifiers read those); this
module only words them for pages. A domain event and the plain workflow step that the same transition
writes right after it are shown as one row, so a step is not listed twice.
"""

from __future__ import annotations

from links.content import words

#: Longest value quoted in a sentence; the full value is in the export.
QUOTE = 200
EMPTY = (None, "", [], {})
#: Facts that are for machines (hashes, sequence numbers): in the export, not in sentences.
MACHINE = {"sha256", "pdf_sha256", "seq", "signatures", "workflow", "prev_hash", "hash", "uid", "record"}


def value_text(value) -> str:
    """A stored value in words (``words.display_value``), long text cut: the export has it whole."""
    text = words.display_value(value)
    return text if len(text) <= QUOTE else text[:QUOTE] + "…"


def _quoted(value) -> str:
    """A value in quotation marks, without a full stop of its own (the sentence adds one)."""
    return f"“{value_text(value).rstrip('.')}”"


def _state(context, state) -> str:
    return (words.state_title(context, state) if context is not None and state else None) or words.humanise(
        state or ""
    )


def _field_labels(context) -> dict[str, str]:
    """Field name -> label for the record's schema (main schema and behaviors)."""
    if context is None:
        return {}
    from plone.dexterity.utils import iterSchemata
    from zope.schema import getFieldsInOrder

    labels = {}
    try:
        schemata = list(iterSchemata(context))
    except Exception:  # not a Dexterity object (the site): no schema to name fields by
        return {}
    for schema in schemata:
        for name, field in getFieldsInOrder(schema):
            labels.setdefault(name, words.field_label(field))
    return labels


def _clock_title(name: str) -> str:
    from links.content.clocks.api import configured_rules

    try:
        rule = configured_rules().get(name)
    except Exception:  # rules unreadable: the page still shows the entry
        rule = None
    return rule.title if rule is not None and rule.title else words.humanise(name)


#: Said in place of a comment or reason the reader may not read (``disclosure.withhold_free_text``, #12).
WITHHELD = "(withheld)"


def _withheld(details, key) -> bool:
    return key in (details.get("withheld") or ())


def _comment(details) -> str:
    if _withheld(details, "comment"):
        return f" Comment: {WITHHELD}."
    if details.get("commented") is True:  # a confidential record: the trail says only that there was one
        return " A comment was given (kept with the record, not in the audit trail)."
    comment = (details.get("comment") or "").strip()
    return f" Comment: {_quoted(comment)}." if comment else ""


def _reason(details) -> str:
    if _withheld(details, "reason"):
        return f" Reason: {WITHHELD}."
    reason = (details.get("reason") or "").strip() if isinstance(details.get("reason"), str) else ""
    return f" Reason: {_quoted(reason)}." if reason else ""


def _backdated(details) -> str:
    if not details.get("backdated"):
        return ""
    back = details.get("working_days_back")
    when = f" on {words.format_date(details['recorded_on'])}" if details.get("recorded_on") else ""
    days = f", {words.plural(int(back), 'working day')} back" if back else ""
    return f" Backdated (recorded{when}{days})."


def _transition(details, context) -> str:
    text = f"Moved from {_state(context, details.get('from'))} to {_state(context, details.get('to'))}."
    return text + _comment(details)


def _workflow_step(details, context) -> str:
    return f"Now {_state(context, details.get('state'))}." + _comment(details)


def what(entry: dict, context=None) -> str:
    """The "What" of an entry: the action's title; a plain workflow step by its transition's title."""
    if entry.get("action") == "workflow.transition":
        return words.transition_title(context, (entry.get("details") or {}).get("transition", ""))
    return words.action_title(entry.get("action", ""))


def _modified(details, context) -> str:
    names = details.get("fields") or []
    if not names:
        return "Saved with no field changed."
    labels = _field_labels(context)
    changes = details.get("changes") or {}
    if not changes:
        return f"Changed {words.and_join([labels.get(n, words.humanise(n)) for n in names])}."
    parts = []
    for name, change in changes.items():
        label, before, after = (
            labels.get(name, words.humanise(name)),
            change.get("before"),
            change.get("after"),
        )
        if before in EMPTY:
            parts.append(f"set {label} to {_quoted(after)}")
        elif after in EMPTY:
            parts.append(f"emptied {label} (was {_quoted(before)})")
        else:
            parts.append(f"changed {label} from {_quoted(before)} to {_quoted(after)}")
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


def _version_saved(details, context) -> str:
    return f"{words.version_label(details.get('version_id', 0))} saved."


def _signed(verb):
    def sentence(details, context):
        return f"{verb} {words.version_label(details.get('version_id', 0)).lower()}." + _reason(details)

    return sentence


def _superseded(details, context) -> str:
    count = len(details.get("signatures") or [])
    return f"{words.plural(count, 'signature')} no longer count: the record changed after signing." + _reason(
        details
    )


def _signoff(details, context) -> str:
    count = len(details.get("signatures") or [])
    text = (
        f"{words.version_label(details.get('version_id', 0))} signed off with "
        f"{words.plural(count, 'signature')}; the signed PDF was sealed"
    )
    stamp = details.get("timestamp") or {}
    if isinstance(stamp, dict) and stamp.get("time"):
        text += f" and timestamped at {words.format_datetime(stamp['time'])}"
    return text + "."


def _fields_set(details, context) -> str:
    labels = _field_labels(context)
    values = details.get("values") or {}
    parts = [f"{labels.get(n, words.humanise(n))} set to {value_text(v)}" for n, v in values.items()]
    saved = (
        f" Saved as {words.version_label(details['version_id']).lower()}; the signed version stays "
        f"{words.version_label(details.get('signed_version_id', 0)).lower()}."
        if "version_id" in details
        else ""
    )
    return "; ".join(parts).capitalize() + "." + saved if parts else saved.strip()


def _clock(verb):
    def sentence(details, context):
        title = f"The clock {_quoted(_clock_title(details.get('clock', '')))}"
        when = details.get("on") or details.get("started") or details.get("met_on")
        text = f"{title} {verb}" + (f" on {words.format_date(when)}" if when else "") + "."
        if details.get("restarted"):
            text += " The count started again."
        if details.get("kind") and details["kind"] != "pause":
            text += {"fee": " Waiting for a fee.", "restart": " Waiting for clarification."}.get(
                details["kind"], f" ({words.humanise(details['kind'])})"
            )
        if details.get("met_late_days"):
            text += f" {words.plural(int(details['met_late_days']), 'day')} late."
        if details.get("due"):
            text += f" Due by {words.format_date(details['due'])}."
        return text + _reason(details) + _backdated(details)

    return sentence


def _reviewer(details, context) -> str:
    text = f"{words.person(details.get('reviewer'))} assigned as independent reviewer"
    if details.get("replaces"):
        text += f", replacing {words.person(details['replaces'])}"
    return text + "."


def _decision(details, context) -> str:
    uid = details.get("record")
    if not uid:
        return ""
    from plone import api

    target = api.content.get(UID=uid)
    return f"About {_quoted(target.Title())}." if target is not None else "About a record since removed."


def _foi_received(details, context) -> str:
    law = {
        "foi": "the Freedom of Information Act",
        "eir": "the Environmental Information Regulations",
    }.get(details.get("handled_under"), words.humanise(details.get("handled_under", "")))
    return f"Reference {details.get('reference', '')}, handled under {law}."


def _foi_answered(details, context) -> str:
    text = f"Answered: {words.humanise(details.get('outcome', '')).lower()}."
    if details.get("exemptions"):
        text += f" Exemptions: {words.and_join(details['exemptions'])}."
    return text


def _counted(details, context) -> str:
    period = details.get("period") or {}
    totals = details.get("totals") or {}
    counts = words.and_join([f"{words.humanise(k).lower()}: {v}" for k, v in sorted(totals.items())])
    return (
        f"Counted from {words.format_date(period.get('start'))} to {words.format_date(period.get('end'))}: "
        f"{counts}."
    )


def _principal(details, context) -> str:
    who = details.get("principal", "")
    text = words.person(who) if who else ""
    if details.get("group"):
        text += f", group {_group_title(details['group'])}"
    if details.get("properties"):
        text += f" ({words.and_join([words.humanise(p).lower() for p in details['properties']])})"
    return text + "." if text else ""


def _group_title(group_id: str) -> str:
    from plone import api

    group = api.group.get(groupname=group_id)
    return (group.getProperty("title") if group is not None else "") or group_id


SENTENCES = {
    "record.created": lambda d, c: f"Created as {_quoted(d['title'])}." if d.get("title") else "Created.",
    "record.modified": _modified,
    "record.deleted": lambda d, c: f"Deleted from {d.get('from', '')}.",
    "workflow.transition": _workflow_step,
    "version.saved": _version_saved,
    "version.reverted": lambda d, c: (
        f"Reverted to {words.version_label(d.get('to_version', 0)).lower()}; saved as "
        f"{words.version_label(d.get('new_version', 0)).lower()}."
    ),
    "signature.added": _signed("Approved"),
    "signature.rejected": _signed("Rejected"),
    "signature.superseded": _superseded,
    "recusal.recorded": lambda d, c: "The member declared an interest in this record, so may not sign it.",
    "signoff.completed": _signoff,
    "signoff.fields_set": _fields_set,
    "decision.recorded": _decision,
    "clock.started": _clock("started"),
    "clock.paused": _clock("paused"),
    "clock.resumed": _clock("resumed"),
    "clock.extended": _clock("extended"),
    "clock.stopped": _clock("met"),
    "clock.ended": _clock("ended"),
    "complaint.received": lambda d, c: f"Reference {d.get('reference', '')}.",
    "complaint.reviewer_assigned": _reviewer,
    "complaint.appeal_requested": lambda d, c: f"Appeal requested on {words.format_date(d.get('on'))}.",
    "complaint.closed": lambda d, c: f"Outcome: {words.humanise(d.get('outcome', '')).lower()}.",
    "foi.received": _foi_received,
    "foi.answered": _foi_answered,
    "foi.disclosed": lambda d, c: (
        f"{words.plural(int(d.get('items', 0)), 'item')} disclosed for {d.get('reference', '')}; the "
        "disclosure bundle was sealed."
    ),
    "report.provider_responded": lambda d, c: (
        f"The provider responded on {words.format_date(d.get('response_date'))}."
    ),
    "transitional_report.activities_counted": _counted,
    "annual_report.figures_counted": _counted,
    "annual_report.copy_recorded": lambda d, c: (
        f"Sent to {d.get('recipient', '')} on {words.format_date(d.get('sent_on'))}."
    ),
    "keys.rotated": lambda d, c: "The network's seal key and certificate were replaced." + _reason(d),
}
for _name in ("principal.", "group.", "login.", "logout"):
    for _action in words.ACTION_TITLES:
        if _action.startswith(_name):
            SENTENCES.setdefault(_action, _principal)


def generic(details, context) -> str:
    """Facts of an action without its own sentence: "Label: value." each, machine facts left out."""
    parts = [
        f"{words.humanise(key)}: {value_text(value)}."
        for key, value in sorted(details.items())
        if key not in MACHINE and key != "changes" and value not in (None, "", [], {})
    ]
    return " ".join(parts)


def describe(entry: dict, context=None) -> str:
    """An entry's details as sentences.

    :param entry: an audit entry (``action``, ``details``)
    :param context: the record the entry is about (for field, state and transition titles), or None
    """
    details = entry.get("details") or {}
    if "transition" in details and "from" in details and "to" in details:
        sentence = _transition
    else:
        sentence = SENTENCES.get(entry.get("action"), generic)
    try:
        return sentence(details, context).strip()
    except (KeyError, TypeError, ValueError, AttributeError):  # an odd old entry: facts, not a 500
        return generic(details, context)


def _pairs(first: dict, second: dict) -> bool:
    """Whether ``second`` is the plain workflow step of the domain event ``first`` (or the reverse)."""
    a, b = first.get("details") or {}, second.get("details") or {}
    if first.get("action") == "workflow.transition":
        a, b = b, a
        first, second = second, first
    return (
        second.get("action") == "workflow.transition"
        and first.get("action") != "workflow.transition"
        and first.get("uid") == second.get("uid")
        and a.get("transition") == b.get("transition")
        and a.get("to", b.get("state")) == b.get("state")
    )


def rows(entries: list[dict], context=None) -> list[dict]:
    """Entries as table rows: ``{"seqs", "when", "who", "what", "details"}``, a domain event and its
    workflow step folded into one row (both entry numbers shown)."""
    result, used = [], set()
    for index, entry in enumerate(entries):
        if index in used:
            continue
        seqs = [entry.get("seq")]
        for other in range(max(0, index - 3), min(len(entries), index + 4)):
            if other != index and other not in used and _pairs(entry, entries[other]):
                used.add(other)
                seqs.append(entries[other].get("seq"))
                if entry.get("action") == "workflow.transition":  # show the domain event's words
                    entry = entries[other]
                break
        used.add(index)
        result.append(
            {
                "seqs": ", ".join(str(s) for s in sorted(s for s in seqs if s is not None)),
                "when": words.format_datetime(entry.get("timestamp")),
                "who": words.person(entry.get("actor")),
                "what": what(entry, context),
                "details": describe(entry, context),
            }
        )
    return result
