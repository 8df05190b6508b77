"""Make the successor's age key pair for an encrypted handover: bin/zopepy scripts/handover_keygen.py

Environment: IDENTITY (default var/handover/successor-identity.txt): where the secret identity is written
(mode 0600 in a 0700 folder; never over an existing file). Prints the public recipient (age1...): send it
to the outgoing host, who exports with `make handover-export ENCRYPT_TO=age1...`; import with
`make handover-import ... IDENTITY=<that file>`. Keep the identity file until the import is done.
"""

import os
import sys
from pathlib import Path

from links.policy.handover.encryption import generate_identity


def main() -> int:
    path = Path(os.environ.get("IDENTITY") or "var/handover/successor-identity.txt")
    if path.exists():
        print(f"{path} exists already; give another IDENTITY=... or use that one.", file=sys.stderr)
        return 2
    recipient = generate_identity(path)
    print(f"Identity (secret, keep it): {path}")
    print(f"Recipient (send this to the outgoing host): {recipient}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
