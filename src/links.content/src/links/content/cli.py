"""``links-verify``: the offline verifiers of links.content, one subcommand each (no Zope needed).

Each subcommand is a function ``(argv) -> exit status`` in the module that knows the format; it is
imported only when asked for, so checking a PDF does not load the audit code and the other way round.
Exit status: 0 everything checked is valid, 1 something is invalid or not trusted, 2 unusable input.
"""

import importlib
import sys

#: subcommand -> (module, function, one line of help)
COMMANDS = {
    "log": (
        "links.content.audit.cli",
        "log",
        "check the audit trail against signed checkpoints, proofs and read-event files",
    ),
    "pdf": ("links.content.signing.cli", "pdf", "check the sealed PDF of a signed-off record"),
    "signatures": (
        "links.content.signing.cli",
        "signatures",
        "check the seals of a saved @signatures answer",
    ),
}


def usage() -> str:
    lines = ["usage: links-verify COMMAND [options]   (links-verify COMMAND --help for its options)", ""]
    lines += [
        f"  {name:<12} {help_text}" for name, (_module, _function, help_text) in sorted(COMMANDS.items())
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``links-verify`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0 if argv else 2
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"links-verify: unknown command {argv[0]!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, function, _help = command
    return getattr(importlib.import_module(module), function)(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
