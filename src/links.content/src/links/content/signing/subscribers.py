"""Keep signatures honest when a record's content changes, whatever path changed it."""

from links.content.events import current_actor
from links.content.signing.api import signoff_config
from links.content.signing.api import supersede_pending
from links.content.words import version_number


def supersede_on_edit(obj, event):
    """An edit (form, REST PATCH, a relation whose target went away) supersedes the pending signatures of
    content that is no longer the record's.

    Only a change of the canonical content counts, so re-indexing or a version save does not.
    """
    supersede_pending(obj, actor=current_actor(), reason="The record was edited after it was signed.")


def supersede_on_revert(obj, event):
    """A revert (``@revert``) puts back an earlier version without a modified event: supersede too."""
    to_version = event.details.get("to_version")
    supersede_pending(
        obj,
        actor=event.actor or current_actor(),
        reason=f"The record was reverted to version {version_number(to_version or 0)} after it was signed.",
    )


def supersede_on_withdrawal(obj, event):
    """A record leaving its signable state other than by sign-off (returned for changes) is no longer
    proposed: its pending signatures are superseded even if its content did not change."""
    config = signoff_config(obj)
    if config is None or event.transition is None or event.old_state is None:
        return
    if event.old_state.id == config[0] and event.transition.id != config[1]:
        supersede_pending(
            obj,
            actor=current_actor(),
            reason=f"The record was withdrawn from sign-off ({event.transition.title or event.transition.id})"
            ".",
            force=True,
        )
