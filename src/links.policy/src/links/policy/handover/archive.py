"""Reading a handover archive as hostile data.

Every archive comes from outside the successor's control. Before any member is parsed:

- the archive is copied once into a private work folder (mode 0700, file 0600; decrypted there if it was
  encrypted for the successor), so what is verified is what is imported, whoever can write the original;
- the ZIP's end record is read by hand and the member count checked before ``zipfile`` reads the directory;
- the directory is checked against ``Limits`` (members, size of each member, size of each JSON member,
  total size, compression ratio), the format's member names (no duplicates, no traversal, nothing the
  format does not have), compression methods and overlapping entries.

Reading then goes through ``Archive``: every read is bounded and counted while it streams, JSON is checked
for depth before it is parsed, and once the manifest is verified every member used is hashed again as it is
read and refused if it differs from the manifest.
"""

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from links.policy.handover.exceptions import ArchiveRefused

CHUNK = 1 << 20
MiB = 1 << 20
GiB = 1 << 30


@dataclasses.dataclass(frozen=True)
class Limits:
    """What an archive may hold before anything in it is read (see the README, "Handover limits").

    Sized from the 10,000-record benchmark archive (``make bench``: 10,010 members, 88 MB unpacked, the
    largest JSON member the 8.6 MB audit trail, highest compression ratio 9.6 to 1, JSON 6 levels deep; the
    demo site nests 13): members x20, JSON member x7, ratio x40, depth x5, so a network several times
    larger still imports while a zip bomb or a 3 GiB manifest is refused from the ZIP directory alone. A
    single file (attachment, sealed PDF) may be up to 2 GiB, the whole archive 64 GiB unpacked. Each can
    be set with ``LINKS_HANDOVER_MAX_<NAME>`` (sizes in bytes).
    """

    members: int = 200_000
    member_size: int = 2 * GiB  # any member: attachments and sealed PDFs are read whole into a blob
    json_size: int = 64 * MiB  # any JSON member (parsed in memory), the manifest included
    total_size: int = 64 * GiB
    ratio: int = 400  # uncompressed / compressed, for members over RATIO_FLOOR
    json_depth: int = 64

    @classmethod
    def from_environment(cls, environ=os.environ) -> "Limits":
        """Defaults, overridden by ``LINKS_HANDOVER_MAX_MEMBERS``, ``..._MEMBER_SIZE``, ``..._JSON_SIZE``,
        ``..._TOTAL_SIZE``, ``..._RATIO`` and ``..._JSON_DEPTH`` (positive whole numbers)."""
        values = {}
        for field in dataclasses.fields(cls):
            name = f"LINKS_HANDOVER_MAX_{field.name.upper()}"
            text = environ.get(name, "").strip()
            if text:
                if not text.isdigit() or int(text) <= 0:
                    raise ValueError(f"{name} must be a positive whole number, not {text!r}")
                values[field.name] = int(text)
        return cls(**values)


#: Compression ratio is only checked on members larger than this (tiny members compress oddly).
RATIO_FLOOR = 64 * 1024
#: Members with fixed names, and the patterns of the others: nothing else belongs in an archive.
FIXED = {
    "manifest.json",
    "manifest.sig",
    "public-key.pem",
    "site.json",
    "principals.json",
    "registry.json",
    "README.txt",
    "audit/entries.jsonl",
    "audit/checkpoints.json",
    "report/transitional-report.pdf",
}
PATTERNS = (re.compile(r"items/[0-9a-f]{32}\.json\Z"), re.compile(r"blobs/[0-9a-f]{64}\Z"))
#: Small members, and how large they may be.
SMALL = {"manifest.sig": 1024, "public-key.pem": 4096, "README.txt": 64 * 1024}
AGE_HEADER = b"age-encryption.org/v1\n"


def member_name_problem(name: str) -> str | None:
    """Why ``name`` is not a member the format has, or None."""
    if name in FIXED or any(pattern.match(name) for pattern in PATTERNS):
        return None
    shown = name[:120].encode("unicode_escape").decode("ascii")
    if name.startswith("/") or "\\" in name or ".." in name.split("/") or "\x00" in name:
        return f"the member name {shown!r} points outside the archive"
    return f"the member {shown!r} is not part of the handover format"


def _end_record_entries(handle) -> int:
    """Number of entries the ZIP's end record declares (ZIP64 aware), read without ``zipfile``."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise ArchiveRefused(["the archive is truncated or is not a ZIP file (no end of central directory)"])
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if locator >= 0 and locator + 20 <= at:
        offset = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        if offset + 56 <= size:
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] == b"PK\x06\x06":
                entries = max(entries, struct.unpack("<Q", record[32:40])[0])
    return entries


class Archive:
    """A ZIP in the private work folder whose directory passed ``Limits``; bounded, verified reads.

    :param path: the private copy
    :param limits: the limits it was checked against
    """

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        with open(path, "rb") as handle:
            entries = _end_record_entries(handle)
        if entries > limits.members:
            raise ArchiveRefused(
                [f"the archive has {entries} members, more than the limit of {limits.members}"]
            )
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError) as error:
            raise ArchiveRefused([f"the archive is truncated or is not a ZIP file ({error})"]) from None
        try:
            self._check_directory()
        except ArchiveRefused:
            self.zip.close()
            raise
        self.infos = {info.filename: info for info in self.zip.infolist()}
        #: member name -> SHA-256 once the manifest is verified (see ``trust``)
        self.digests: dict[str, str] | None = None

    def close(self) -> None:
        self.zip.close()

    def names(self) -> set[str]:
        return set(self.infos)

    def _check_directory(self) -> None:  # noqa: C901 (one check per line of the docstring)
        """Refuse from the ZIP directory alone: names, duplicates, sizes, ratio, methods, overlaps."""
        limits, infos = self.limits, self.zip.infolist()
        problems = []
        if len(infos) > limits.members:
            problems.append(f"the archive has {len(infos)} members, more than the limit of {limits.members}")
        for name, count in Counter(info.filename for info in infos).items():
            if count > 1:
                problems.append(f"the member {name[:120]!r} appears {count} times (one name, one file)")
        total = 0
        for info in infos:
            name = info.filename
            problem = member_name_problem(name)
            if problem:
                problems.append(problem)
                continue
            total += info.file_size
            limit = SMALL.get(name) or (
                limits.json_size if name.endswith((".json", ".jsonl")) else limits.member_size
            )
            if info.file_size > limit:
                problems.append(
                    f"{name} would unpack to {info.file_size} bytes, more than the limit of {limit}"
                )
            if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
                problems.append(
                    f"{name} is compressed {info.file_size // max(info.compress_size, 1)} to 1, more than "
                    f"the limit of {limits.ratio} to 1 (a zip bomb?)"
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                problems.append(f"{name} uses compression method {info.compress_type}; only deflate is read")
            if info.flag_bits & 0x1:
                problems.append(f"{name} is encrypted inside the ZIP, which the format never does")
        if total > limits.total_size:
            problems.append(
                f"the archive would unpack to {total} bytes, more than the limit of {limits.total_size}"
            )
        ordered = sorted(infos, key=lambda info: info.header_offset)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if first.header_offset + 30 + first.compress_size > second.header_offset:
                problems.append(f"the members {first.filename[:120]!r} and {second.filename[:120]!r} overlap")
                break
        if problems:
            raise ArchiveRefused(problems[:50])

    # -- reading --

    def _chunks(self, name: str, limit: int | None = None):
        """The member's bytes in chunks, never more than its declared size (nor ``limit``)."""
        info = self.infos.get(name)
        if info is None:
            raise ArchiveRefused([f"{name} is missing from the archive"])
        allowed = info.file_size if limit is None else min(info.file_size, limit)
        if info.file_size > allowed:
            raise ArchiveRefused([f"{name} is {info.file_size} bytes, more than the limit of {allowed}"])
        seen = 0
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    seen += len(chunk)
                    if seen > allowed:
                        raise ArchiveRefused([f"{name} unpacks to more than the {allowed} bytes it declares"])
                    yield chunk
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            raise ArchiveRefused([f"{name} is damaged in the archive ({error})"]) from None

    def read_raw(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, bounded, before the manifest is verified (manifest, signature, key)."""
        return b"".join(self._chunks(name, limit))

    def digest(self, name: str) -> str:
        hasher = hashlib.sha256()
        for chunk in self._chunks(name):
            hasher.update(chunk)
        return hasher.hexdigest()

    def trust(self, digests: dict[str, str]) -> None:
        """From now on, every member read must have the SHA-256 the verified manifest gives it."""
        self.digests = dict(digests)

    def _expected(self, name: str) -> str:
        if self.digests is None or name not in self.digests:
            raise ArchiveRefused([f"{name} is not listed in the verified manifest"])
        return self.digests[name]

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, hashed again and refused unless they are what the manifest lists."""
        data = self.read_raw(name, limit)
        if hashlib.sha256(data).hexdigest() != self._expected(name):
            raise ArchiveRefused([f"{name} changed after the archive was verified"])
        return data

    def json(self, name: str):
        """A verified JSON member, parsed after its depth was checked."""
        return parse_json(self.read(name, self.limits.json_size), name, self.limits.json_depth)

    def json_lines(self, name: str):
        """A verified JSON Lines member, one parsed line at a time (a generator). The member's digest is
        checked when the last line has been read: the caller's transaction is still open then, and the
        refusal aborts it."""
        expected = self._expected(name)
        hasher = hashlib.sha256()
        pending = b""
        number = 0
        for chunk in self._chunks(name):
            hasher.update(chunk)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            if len(pending) > self.limits.json_size:
                raise ArchiveRefused([f"{name} has a line longer than the limit of {self.limits.json_size}"])
            for line in lines:
                number += 1
                yield parse_json(line, f"{name} line {number}", self.limits.json_depth)
        if pending.strip():
            yield parse_json(pending, f"{name} line {number + 1}", self.limits.json_depth)
        if hasher.hexdigest() != expected:
            raise ArchiveRefused([f"{name} changed after the archive was verified"])


_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in JSON ``data`` (strings skipped), without parsing it."""
    depth = deepest = 0
    for byte in _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_json(data: bytes, name: str, max_depth: int):
    """Parse one JSON document from the archive; refused (not raised) when malformed or too deep."""
    depth = json_depth(data)
    if depth > max_depth:
        raise ArchiveRefused([f"{name} nests {depth} levels deep, more than the limit of {max_depth}"])
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ArchiveRefused([f"{name} is not valid JSON ({str(error)[:120]})"]) from None


# -- the private work folder -------------------------------------------------------------------------------


def private_dir(base: Path) -> Path:
    """``base`` created (or tightened) to mode 0700: only the Zope process's user may enter it."""
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    if base.stat().st_mode & 0o077:
        base.chmod(0o700)
    return base


def private_file(path: Path):
    """A new file opened for writing with mode 0600 (never an existing file, never through a link)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    return os.fdopen(descriptor, "wb")


def work_root() -> Path:
    """Where imports keep their private copies: ``$LINKS_HANDOVER_WORK_DIR``, else ``<handover dir>/work``."""
    from links.policy.handover.export import handover_dir

    configured = os.environ.get("LINKS_HANDOVER_WORK_DIR")
    return private_dir(Path(configured) if configured else handover_dir() / "work")


@contextlib.contextmanager
def private_copy(source, limits: Limits, identity: str | Path | None = None):
    """Copy (or decrypt) ``source`` into a fresh private folder; yields the copy's path and removes the
    folder afterwards, whatever happens.

    :param source: a path, or a binary file object (an upload)
    :param identity: the successor's age identity file, for an encrypted archive
    :raises ArchiveRefused: larger than the limits allow, or encrypted without (the right) identity
    """
    from links.policy.handover import encryption

    folder = Path(tempfile.mkdtemp(prefix="import-", dir=work_root()))
    try:
        copy = folder / "archive.zip"
        with contextlib.ExitStack() as stack:
            if isinstance(source, str | Path):
                path = Path(source)
                if not path.is_file():
                    raise ArchiveRefused([f"there is no archive file at {path}"])
                handle = stack.enter_context(open(path, "rb"))
            else:
                handle = source
            head = handle.read(len(AGE_HEADER))
            if head == AGE_HEADER:
                encryption.decrypt(head, handle, copy, identity, limit=limits.total_size + 64 * MiB)
            else:
                with private_file(copy) as out:
                    out.write(head)
                    _copy_bounded(handle, out, limits.total_size + 64 * MiB - len(head))
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy_bounded(source, out, limit: int) -> None:
    copied = 0
    while chunk := source.read(CHUNK):
        copied += len(chunk)
        if copied > limit:
            raise ArchiveRefused([f"the archive file is larger than the limit of {limit} bytes"])
        out.write(chunk)
