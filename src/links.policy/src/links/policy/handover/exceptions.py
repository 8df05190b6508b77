"""Domain exceptions of the handover."""


class HandoverError(Exception):
    """Base class: something about an export or an import went wrong."""


class ArchiveRefused(HandoverError):
    """The archive failed a check; nothing was imported and the target site is as it was.

    :ivar problems: every problem found, in plain English
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("The archive was refused: " + "; ".join(self.problems))


class ValueRefused(ArchiveRefused):
    """A value in the archive is not one the handover format can hold (a class outside the allowlist, a
    malformed ``@`` object, nesting too deep). Names the archive member, the path inside it and the class.

    :ivar item: the archive member (``items/<uid>.json``, ``site.json``, ...)
    :ivar where: the JSON path inside it, e.g. ``/annotations/links.content.clocks``
    :ivar class_name: the class the value names, if any
    """

    def __init__(self, item: str, where: str, message: str, class_name: str | None = None):
        where = where or "/"
        if len(where) > 160:  # deep nesting: the start and the end say where
            where = f"{where[:80]}...{where[-60:]}"
        self.item, self.where, self.class_name = item, where, class_name
        super().__init__([f"{item or 'a value'} at {where}: {message}"])


class FingerprintRequired(HandoverError):
    """An import was asked for without the outgoing host's key fingerprint (and without the override)."""


class TargetNotEmpty(HandoverError):
    """The target site holds content that does not come from the archive."""


class NotIdentical(HandoverError):
    """The imported site did not compare identical with the archive, so the import was rolled back.

    :ivar report: the comparison report (``identical``, ``differences``, ...)
    """

    def __init__(self, report: dict):
        self.report = report
        count = len(report.get("differences", []))
        super().__init__(
            f"After importing, the site differed from the archive in {count} place(s); the import was "
            "rolled back and the site is as it was."
        )


class UnsupportedValue(HandoverError):
    """A stored value has a type the handover encoding cannot represent (raised on export)."""
