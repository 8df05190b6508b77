"""The site's keys: an Ed25519 seal key for signature records and an X.509 certificate for PDFs.

Keys never enter the ZODB (a ZODB export or backup must not carry them). They live as PEM files
(mode 0600) in ``$LINKS_KEYS_DIR/<site id>/`` — buildout sets ``LINKS_KEYS_DIR`` to ``var/keys``;
without it ``<CLIENT_HOME or cwd>/keys`` is used with a warning. Each Plone site gets its own
subdirectory so two sites in one instance never share keys.

Keys are made in two places only: at site creation (``links.content.setuphandlers.post_install`` calls
``ensure_keys``) and by an explicit, audited rotation (``rotate_keys``, run by ``make rotate-keys``).
Everything else only reads them, and a missing file is an error naming it (``KeyMissing``): a reader that
made a new key would call every existing seal invalid. A rotation keeps the retired public key trusted for
the seals it made and the retired certificate in ``retired/``; the old private keys are deleted.

Files per site:

- ``seal-ed25519.pem`` — Ed25519 private key (PKCS#8) sealing signature records;
- ``seal-ed25519.pub.pem`` — its public key (SubjectPublicKeyInfo), for offline verification;
- ``pdf-signing-key.pem`` — RSA 3072 private key for PAdES signatures;
- ``pdf-signing-cert.pem`` — the matching self-signed X.509 certificate (10 years);
- ``retired/<UTC time>-seal-ed25519.pub.pem`` and ``retired/<UTC time>-pdf-signing-cert.pem`` — the public
  halves of keys replaced by a rotation.
"""

import contextlib
import datetime
import hashlib
import logging
import os
import re
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from links.content.keys.exceptions import KeyMissing

logger = logging.getLogger(__name__)

SEAL_KEY = "seal-ed25519.pem"
SEAL_PUBLIC_KEY = "seal-ed25519.pub.pem"
PDF_KEY = "pdf-signing-key.pem"
PDF_CERT = "pdf-signing-cert.pem"
#: Subfolder keeping the public halves of rotated keys (never a private key).
RETIRED = "retired"

_lock = threading.Lock()
# Parsed keys per directory: reading PEM on every seal would dominate signature verification.
_cache: dict[tuple[str, str], object] = {}


def _site_id() -> str:
    """The id of the current Plone site.

    :raises RuntimeError: outside a site; pass the site id explicitly there (a silent "default" would be
        another site's keys, or none)
    """
    from plone import api
    from plone.api.exc import CannotGetPortalError

    try:
        return api.portal.get().getId()
    except CannotGetPortalError:
        raise RuntimeError("No Plone site is set up here: say which site's keys to use (site_id).") from None


def keys_dir(site_id: str | None = None, create: bool = False) -> Path:
    """Directory holding the keys of one site.

    :param site_id: Plone site id; defaults to the current site
    :param create: make it (mode 0700, tightened if it exists with wider permissions); only the code
        that makes keys asks for this
    :returns: the directory path
    """
    base = os.environ.get("LINKS_KEYS_DIR")
    if not base:
        home = os.environ.get("CLIENT_HOME") or os.getcwd()
        base = os.path.join(home, "keys")
        logger.warning("LINKS_KEYS_DIR is not set; keeping signing keys in %s", base)
    site = re.sub(r"[^A-Za-z0-9_.-]", "_", site_id or _site_id())
    path = Path(base) / site
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (no window with wider permissions)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    # A stale temporary file from an interrupted write may have wider permissions: O_CREAT would keep them.
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _ensure_seal_key(directory: Path, replace: bool = False) -> None:
    if (directory / SEAL_KEY).exists() and not replace:
        if not (directory / SEAL_PUBLIC_KEY).exists():  # the public half can always be derived again
            key = serialization.load_pem_private_key((directory / SEAL_KEY).read_bytes(), password=None)
            _write_private(
                directory / SEAL_PUBLIC_KEY,
                key.public_key().public_bytes(
                    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
                ),
            )
        return
    key = Ed25519PrivateKey.generate()
    _write_private(
        directory / SEAL_KEY,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    _write_private(
        directory / SEAL_PUBLIC_KEY,
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    logger.info("Generated the Ed25519 seal key in %s", directory)


def _ensure_certificate(directory: Path, common_name: str, replace: bool = False) -> None:
    if (directory / PDF_CERT).exists() and (directory / PDF_KEY).exists() and not replace:
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Local Involvement Network"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        directory / PDF_KEY,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    _write_private(directory / PDF_CERT, cert.public_bytes(serialization.Encoding.PEM))
    logger.info("Generated the PDF signing certificate in %s", directory)


def _common_name(site_id: str | None) -> str:
    try:
        from plone import api

        return api.portal.get().Title() or site_id or _site_id()
    except Exception:  # outside a site: the id is the best name there is
        return site_id or "LINk"


def ensure_keys(site_id: str | None = None, common_name: str | None = None) -> Path:
    """Create the site's keys if they do not exist yet (idempotent). Called at site creation only.

    :param site_id: Plone site id; defaults to the current site
    :param common_name: certificate subject CN; defaults to the site title or id
    :returns: the keys directory
    """
    directory = keys_dir(site_id, create=True)
    with _lock:
        _ensure_seal_key(directory)
        _ensure_certificate(directory, str(common_name or _common_name(site_id))[:64])
    return directory


def _load(name: str, site_id: str | None = None):
    directory = keys_dir(site_id)
    cache_key = (str(directory), name)
    if cache_key not in _cache:
        path = directory / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise KeyMissing(
                f"The site's key file {path} is missing. Restore the keys folder {directory} from your "
                "backup; keys are made only when a site is created or by `make rotate-keys` (after which "
                "every seal uses a new key).",
                path=path,
            ) from None
        if name == PDF_CERT:
            _cache[cache_key] = x509.load_pem_x509_certificate(data)
        elif name == SEAL_PUBLIC_KEY:
            _cache[cache_key] = serialization.load_pem_public_key(data)
        else:
            _cache[cache_key] = serialization.load_pem_private_key(data, password=None)
    return _cache[cache_key]


def signing_key(site_id: str | None = None) -> Ed25519PrivateKey:
    """The site's Ed25519 seal key.

    :param site_id: Plone site id; defaults to the current site
    :returns: the private key
    :raises KeyMissing: the key file is missing
    """
    return _load(SEAL_KEY, site_id)


def public_key(site_id: str | None = None):
    """The site's Ed25519 public key, for verifying seals.

    :returns: an ``Ed25519PublicKey`` (derived from the private key, without writing, if only the public
        file is missing)
    :raises KeyMissing: neither key file is there
    """
    try:
        return _load(SEAL_PUBLIC_KEY, site_id)
    except KeyMissing:
        return _load(SEAL_KEY, site_id).public_key()


def public_key_pem(site_id: str | None = None) -> bytes:
    """The site's seal public key as PEM (SubjectPublicKeyInfo), for offline verification.

    :returns: PEM bytes
    """
    return public_key(site_id).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def certificate_and_key(site_id: str | None = None):
    """The site's self-signed X.509 certificate and its RSA private key, for signing PDFs.

    :returns: ``(cryptography.x509.Certificate, RSAPrivateKey)``
    """
    return _load(PDF_CERT, site_id), _load(PDF_KEY, site_id)


def certificate_pem(site_id: str | None = None) -> bytes:
    """The site's PDF signing certificate as PEM.

    :returns: PEM bytes
    """
    return certificate_and_key(site_id)[0].public_bytes(serialization.Encoding.PEM)


def trusted_certificates_pem(site_id: str | None = None) -> bytes:
    """The site's PDF certificate and every certificate it retired, as one PEM bundle: the trust anchors
    for checking PDFs this site has ever signed.

    :returns: PEM bytes
    """
    retired = keys_dir(site_id) / RETIRED
    pems = [certificate_pem(site_id)]
    pems += [path.read_bytes() for path in sorted(retired.glob(f"*-{PDF_CERT}"))] if retired.is_dir() else []
    return b"".join(pems)


def _retired_public_key(fingerprint: str, site_id: str | None = None):
    from links.content.integrity import key_fingerprint

    retired = keys_dir(site_id) / RETIRED
    for path in sorted(retired.glob(f"*-{SEAL_PUBLIC_KEY}")) if retired.is_dir() else ():
        key = serialization.load_pem_public_key(path.read_bytes())
        if key_fingerprint(key) == fingerprint:
            return key
    return None


def _fingerprints(site_id: str | None) -> dict:
    """SHA-256 fingerprints of the site's current keys (None for a missing one)."""
    from links.content.integrity import key_fingerprint

    result = {"seal_key": None, "certificate": None}
    with contextlib.suppress(KeyMissing):
        result["seal_key"] = key_fingerprint(public_key(site_id))
    with contextlib.suppress(KeyMissing):
        result["certificate"] = _load(PDF_CERT, site_id).fingerprint(hashes.SHA256()).hex()
    return result


def rotate_keys(site_id: str | None = None, reason: str = "", actor: str | None = None) -> dict:
    """Replace the site's seal key and PDF certificate with new ones, and record it in the audit trail.

    The retired public key stays trusted for the seals it made (site annotation, carried by a handover,
    and ``retired/`` in the keys folder); the retired certificate is kept in ``retired/`` to check the PDFs
    it signed. The retired private keys are deleted. The caller commits the transaction (the audit entry).

    :param site_id: Plone site id; defaults to the current site (which must be set up: the rotation is
        recorded in its audit trail)
    :param reason: why (recorded)
    :param actor: who (recorded)
    :returns: ``{"old": {"seal_key", "certificate"}, "new": {...}, "retired": [file names]}``
    """
    import datetime

    from links.content.audit.api import record

    directory = keys_dir(site_id, create=True)
    old = _fingerprints(site_id)
    retired = directory / RETIRED
    retired.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = []
    with _lock:
        for name in (SEAL_PUBLIC_KEY, PDF_CERT):
            if old["seal_key" if name == SEAL_PUBLIC_KEY else "certificate"] is None:
                continue
            data = (
                public_key_pem(site_id)
                if name == SEAL_PUBLIC_KEY
                else _load(PDF_CERT, site_id).public_bytes(serialization.Encoding.PEM)
            )
            _write_private(retired / f"{stamp}-{name}", data)
            kept.append(f"{RETIRED}/{stamp}-{name}")
            if name == SEAL_PUBLIC_KEY:  # our own retired key: we vouch for it ourselves
                der = serialization.load_pem_public_key(data).public_bytes(
                    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
                )
                trust_predecessor_key(data, expected_fingerprint=hashlib.sha256(der).hexdigest())
        _ensure_seal_key(directory, replace=True)
        _ensure_certificate(directory, str(_common_name(site_id))[:64], replace=True)
        for cache_key in [k for k in _cache if k[0] == str(directory)]:
            del _cache[cache_key]
    new = _fingerprints(site_id)
    details = {"reason": reason, "old": old, "new": new, "retired": kept}
    record("keys.rotated", None, details, actor=actor)
    logger.warning("Rotated the keys of %s: %s", site_id or _site_id(), details)
    return details


#: Site annotation holding the public seal keys of earlier hosts and of this site's retired keys
#: (fingerprint -> PEM), trusted for checking seals made before a handover or a rotation. Only public keys:
#: a successor never receives the outgoing host's secrets.
PREDECESSORS_KEY = "links.content.keys.predecessors"


def trust_predecessor_key(pem: bytes | str, site=None, *, expected_fingerprint: str) -> str:
    """Trust an earlier host's public seal key for seals it made (called by the handover import).

    Only a key someone vouched for out of band: ``expected_fingerprint`` is the SHA-256 of the key's DER
    SubjectPublicKeyInfo as the outgoing host told the successor (the handover fingerprint).

    :param pem: the SubjectPublicKeyInfo PEM of an Ed25519 public key
    :param site: the Plone site (default: the current one)
    :param expected_fingerprint: the handover fingerprint the key must have
    :returns: the key's fingerprint (as signature records name it)
    :raises ValueError: the PEM is not an Ed25519 public key, or not the one the fingerprint names
    """
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from persistent.mapping import PersistentMapping
    from plone import api
    from zope.annotation.interfaces import IAnnotations

    from links.content.integrity import key_fingerprint

    text = pem.decode("ascii") if isinstance(pem, bytes) else pem
    key = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("An earlier host's seal key must be an Ed25519 public key.")
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if hashlib.sha256(der).hexdigest() != expected_fingerprint:
        raise ValueError("The key is not the one the expected fingerprint names: it is not trusted.")
    annotations = IAnnotations(site if site is not None else api.portal.get())
    trusted = annotations.get(PREDECESSORS_KEY)
    if trusted is None:
        trusted = annotations[PREDECESSORS_KEY] = PersistentMapping()
    fingerprint = key_fingerprint(key)
    if trusted.get(fingerprint) != text:
        trusted[fingerprint] = text
    return fingerprint


def public_key_for(fingerprint: str | None, site=None):
    """The public seal key with that fingerprint: this site's own, or a trusted earlier host's.

    :param fingerprint: as stored in a signature record's ``key`` (None: this site's key)
    :returns: an ``Ed25519PublicKey``, or None when no trusted key has that fingerprint
    """
    from plone import api
    from zope.annotation.interfaces import IAnnotations

    from links.content.integrity import key_fingerprint

    own = public_key()
    if fingerprint is None or fingerprint == key_fingerprint(own):
        return own
    trusted = IAnnotations(site if site is not None else api.portal.get()).get(PREDECESSORS_KEY) or {}
    pem = trusted.get(fingerprint)
    return serialization.load_pem_public_key(pem.encode("ascii")) if pem else _retired_public_key(fingerprint)
