"""Keep signatures honest when a signed record is edited."""

from plone import api

from links.content.signing.api import supersede_pending


def supersede_on_edit(obj, event):
    """An edit after signatures supersedes the pending ones (they signed different content).

    Only a change of the canonical content counts, so re-indexing or a version save does not.
    """
    user = api.user.get_current()
    supersede_pending(obj, actor=user.getId() if user is not None else None)
