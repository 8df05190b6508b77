"""Encrypting an archive for the successor with age (https://age-encryption.org, through pyrage).

The archive holds every complainant, FOI requester and sensitive declaration. With ``encrypt_to`` the
export is encrypted to the successor's age recipient (``age1...``, X25519): only the holder of the matching
identity (``AGE-SECRET-KEY-1...``) can read it, with this software or the standard ``age`` tool. The
manifest signature inside is unchanged, so authenticity is still checked after decryption.
"""

from pathlib import Path

import pyrage
from pyrage import x25519

from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import HandoverError


class _Bounded:
    """A binary reader that refuses to yield more than ``limit`` bytes (the ciphertext may be a bomb)."""

    def __init__(self, head: bytes, handle, limit: int):
        self.head, self.handle, self.left = head, handle, limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        data = self.handle.read(size if size and size > 0 else 1 << 20)
        self.left -= len(data)
        if self.left < 0:
            raise ArchiveRefused(["the encrypted archive is larger than the limits allow"])
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def recipient(text: str):
    """The successor's age recipient (``age1...``).

    :raises HandoverError: not an age X25519 recipient
    """
    try:
        return x25519.Recipient.from_str(text.strip())
    except (ValueError, pyrage.RecipientError) as error:
        raise HandoverError(f"{text[:80]!r} is not an age recipient (age1...): {error}") from None


def encrypt(clear: Path, encrypted: Path, to: str) -> None:
    """Encrypt the file ``clear`` into the new file ``encrypted`` (mode 0600) for the recipient ``to``."""
    from links.policy.handover.archive import private_file

    target = recipient(to)
    with open(clear, "rb") as source, private_file(encrypted) as out:
        pyrage.encrypt_io(source, out, [target])


def decrypt(head: bytes, handle, out_path: Path, identity: str | Path | None, limit: int) -> None:
    """Decrypt an age-encrypted archive (whose first bytes ``head`` were already read from ``handle``) into
    the new private file ``out_path``.

    :raises ArchiveRefused: no identity given, or not the identity it was encrypted for
    """
    from links.policy.handover.archive import private_file

    if not identity:
        raise ArchiveRefused(
            [
                "the archive is encrypted for the successor: give the successor's age identity file "
                "(IDENTITY=... or --identity)"
            ]
        )
    try:
        lines = Path(identity).read_text(encoding="ascii").splitlines()
        keys = [
            x25519.Identity.from_str(line.strip()) for line in lines if line.startswith("AGE-SECRET-KEY-")
        ]
    except (OSError, ValueError, UnicodeDecodeError, pyrage.IdentityError) as error:
        raise ArchiveRefused([f"the age identity file {identity} cannot be read ({error})"]) from None
    if not keys:
        raise ArchiveRefused([f"the age identity file {identity} holds no AGE-SECRET-KEY line"])
    with private_file(out_path) as out:
        try:
            pyrage.decrypt_io(_Bounded(head, handle, limit), out, keys)
        except (pyrage.DecryptError, ValueError, OSError) as error:
            raise ArchiveRefused(
                [f"the archive cannot be decrypted with the identity given ({str(error)[:160]})"]
            ) from None


def generate_identity(path: Path) -> str:
    """Write a new age identity to ``path`` (mode 0600, never over an existing file); returns its
    recipient, which the successor gives to the outgoing host."""
    from links.policy.handover.archive import private_dir
    from links.policy.handover.archive import private_file

    identity = x25519.Identity.generate()
    private_dir(path.parent)
    public = str(identity.to_public())
    with private_file(path) as out:
        out.write(f"# public key: {public}\n{identity}\n".encode("ascii"))
    return public
