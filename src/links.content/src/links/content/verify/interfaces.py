"""Where another package plugs a verifier into the verify page."""

from zope.interface import Interface


class IArchiveChecker(Interface):
    """Checks a handover archive (links.policy registers the handover's own verifier as this utility)."""

    def __call__(upload, fingerprint: str) -> dict:
        """``{"ok", "headline", "notes"}`` for the archive in ``upload`` (a binary file object) checked
        against the outgoing host's handover ``fingerprint``; refusals are answers, not exceptions."""
