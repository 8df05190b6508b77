"""Append-only, hash-chained JSON Lines files for events that must not write to the ZODB.

Views of confidential records and failed logins happen on read requests; writing them to the ZODB would
turn every read into a write contending for the same objects. They go to ``$LINKS_AUDIT_DIR/<site>/``
(default: ``audit`` next to ``$LINKS_KEYS_DIR``), one file per UTC day and instance:
``reads-<instance id>-YYYY-MM-DD.jsonl``, the instance id from ``$LINKS_INSTANCE_ID`` (buildout sets it per
Zope client). Each instance keeps its own chain, so processes on several machines sharing the folder never
append to one file (a lock on a shared network folder is not to be trusted); verification checks every
instance's chain. Without ``$LINKS_INSTANCE_ID`` (and for files written before 1.1) the files are
``reads-YYYY-MM-DD.jsonl``, the chain of instance ``""``.

Each line is the canonical JSON (encoding.py) of an entry *including* its ``hash``; the hash covers the
entry without ``hash``, exactly as in the ZODB chain. ``seq`` and ``prev_hash`` continue across files, so
removing a line or a whole day file breaks the chain. Writers take an exclusive ``fcntl`` lock on
``.lock`` (processes) and a thread lock, read the head from the end of the newest file, append and fsync.
"""

import fcntl
import os
import re
import threading
from pathlib import Path

from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical
from links.content.integrity import decode
from links.content.integrity import encode
from links.content.integrity import sha256_hex as digest

_lock = threading.Lock()
#: ``reads-YYYY-MM-DD.jsonl`` (one chain), or ``reads-<instance>-YYYY-MM-DD.jsonl`` (one chain per instance).
_FILE = re.compile(r"^reads-(?:(?P<instance>[A-Za-z0-9_.-]+)-)?(?P<day>\d{4}-\d{2}-\d{2})\.jsonl$")


def instance_id() -> str:
    """This process's instance id (``$LINKS_INSTANCE_ID``, made safe for a file name; "" if unset)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", os.environ.get("LINKS_INSTANCE_ID", "").strip())


def audit_path(site_id: str) -> Path:
    """Directory of one site's read-event files (not created)."""
    base = os.environ.get("LINKS_AUDIT_DIR")
    if not base:
        keys = os.environ.get("LINKS_KEYS_DIR") or os.path.join(
            os.environ.get("CLIENT_HOME") or os.getcwd(), "keys"
        )
        base = os.path.join(os.path.dirname(os.path.abspath(keys)), "audit")
    return Path(base) / re.sub(r"[^A-Za-z0-9_.-]", "_", site_id)


def audit_dir(site_id: str) -> Path:
    """Directory of one site's read-event files, created if missing (mode 0700)."""
    path = audit_path(site_id)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def move_aside(site_id: str) -> Path | None:
    """Rename an earlier site's audit folder to ``<site>.replaced-<UTC time>`` before a site of the same id
    is created, so the new site starts a clean trail (the old files and head would otherwise make it
    fail verification for ever) and the old trail is kept for whoever must still check it.

    :returns: the new name of the folder, or None if there was nothing to move
    """
    from datetime import UTC
    from datetime import datetime

    path = audit_path(site_id)
    if not path.is_dir() or not any(p.name != ".lock" for p in path.iterdir()):
        return None
    target = path.with_name(f"{path.name}.replaced-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%fZ')}")
    os.rename(path, target)
    return target


def _instance_of(path: Path) -> str | None:
    match = _FILE.match(path.name)
    return None if match is None else match.group("instance") or ""


def instances(directory: Path) -> list[str]:
    """The ids of the instances that wrote read events here, sorted ("" first: no instance id)."""
    return sorted({i for i in map(_instance_of, directory.iterdir()) if i is not None})


def files(directory: Path, instance: str | None = None) -> list[Path]:
    """The day files of one instance in chain order; of every instance (each in chain order) if None."""
    if instance is None:
        return [path for name in instances(directory) for path in files(directory, name)]
    return sorted(p for p in directory.iterdir() if _instance_of(p) == instance)


def chains(directory: Path) -> dict[str, list[Path]]:
    """The day files of each chain, in order: instance name -> files (``""``: files without an instance)."""
    if not directory.is_dir():
        return {}
    return {instance: files(directory, instance) for instance in instances(directory)}


def heads(site_id: str) -> dict[str, dict]:
    """The head of each read-event chain, ``{instance: {"seq", "hash"}}`` (what the ZODB chain anchors).
    Reads only the end of each chain's newest non-empty file; creates nothing."""
    found = {}
    for instance, paths in chains(audit_path(site_id)).items():
        for path in reversed(paths):
            line = _last_line(path)
            if line:
                try:
                    entry = decode(line)
                    found[instance] = {"seq": entry["seq"], "hash": entry["hash"]}
                except (ValueError, KeyError, TypeError):
                    found[instance] = {"seq": None, "hash": None}  # unreadable tail: verification names it
                break
    return found


def _last_line(path: Path) -> str | None:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        block = 4096
        while True:
            start = max(0, size - block)
            handle.seek(start)
            data = handle.read(size - start)
            lines = data.rstrip(b"\n").split(b"\n")
            if len(lines) > 1 or start == 0:
                return lines[-1].decode("utf-8") if lines[-1] else None
            block *= 4


def _head(directory: Path, instance: str) -> tuple[int, str]:
    for path in reversed(files(directory, instance)):
        line = _last_line(path)
        if line:
            entry = decode(line)
            return entry["seq"], entry["hash"]
    return 0, GENESIS


def append(site_id: str, entry: dict) -> dict:
    """Append one entry (chained, fsync'd) and return it with seq, prev_hash and hash.

    :param site_id: the Plone site id
    :param entry: entry dict with timestamp, actor, action, uid, path, portal_type, details
    """
    directory = audit_dir(site_id)
    instance = instance_id()
    prefix = f"reads-{instance}-" if instance else "reads-"
    with _lock, open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            seq, prev = _head(directory, instance)
            entry = dict(entry, seq=seq + 1, prev_hash=prev)
            entry["hash"] = digest(canonical(entry))
            path = directory / f"{prefix}{entry['timestamp'][:10]}.jsonl"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (encode(entry) + "\n").encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return entry


def read(site_id: str, instance: str | None = None):
    """Yield every entry (dicts with hash) in chain order, instance after instance (one instance's only,
    if given); malformed lines yield ``{"_line": text, "_file": name}``."""
    yield from read_files(files(audit_dir(site_id), instance))


def read_files(paths):
    """Yield the entries of these files in order; malformed lines yield ``{"_line": text, "_file": name}``."""
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.rstrip("\n")
                try:
                    yield decode(line)
                except ValueError:
                    yield {"_line": line, "_file": path.name}


def write_zodb_head(site_id: str, seq: int, value: str) -> None:
    """Remember the ZODB chain's head outside the ZODB (after each chainer commit), so an undo or a
    restore that takes the chain backwards is reported by verification. Only ever moves forward."""
    directory = audit_dir(site_id)
    path = directory / "zodb-head.json"
    with _lock, open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = read_zodb_head(site_id)
            if current and current["seq"] >= seq:
                return
            tmp = path.with_suffix(".tmp")
            tmp.write_text(encode({"seq": seq, "hash": value}), encoding="utf-8")
            os.replace(tmp, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_zodb_head(site_id: str) -> dict | None:
    """The highest ZODB head seen by a chainer, or None."""
    path = audit_dir(site_id) / "zodb-head.json"
    try:
        return decode(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
