"""The site's keys: an Ed25519 seal key for signature records and an X.509 certificate for PDFs.

Keys never enter the ZODB (a ZODB export or backup must not carry them). They live as PEM files
(mode 0600) in ``$LINKS_KEYS_DIR/<site id>/`` — buildout sets ``LINKS_KEYS_DIR`` to ``var/keys``;
without it ``<CLIENT_HOME or cwd>/keys`` is used with a warning. Each Plone site gets its own
subdirectory so two sites in one instance never share keys. Missing keys are generated on first
use (and at site creation by ``links.content.setuphandlers.post_install``).

Files per site:

- ``seal-ed25519.pem`` — Ed25519 private key (PKCS#8) sealing signature records;
- ``seal-ed25519.pub.pem`` — its public key (SubjectPublicKeyInfo), for offline verification;
- ``pdf-signing-key.pem`` — RSA 3072 private key for PAdES signatures;
- ``pdf-signing-cert.pem`` — the matching self-signed X.509 certificate (10 years).
"""

import datetime
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

logger = logging.getLogger(__name__)

SEAL_KEY = "seal-ed25519.pem"
SEAL_PUBLIC_KEY = "seal-ed25519.pub.pem"
PDF_KEY = "pdf-signing-key.pem"
PDF_CERT = "pdf-signing-cert.pem"

_lock = threading.Lock()
# Parsed keys per directory: reading PEM on every seal would dominate signature verification.
_cache: dict[tuple[str, str], object] = {}


def _site_id() -> str:
    """The id of the current Plone site, or "default" outside a site (CLI, scripts)."""
    try:
        from plone import api

        return api.portal.get().getId()
    except Exception:  # no site hook set: not inside a request or a site
        return "default"


def keys_dir(site_id: str | None = None) -> Path:
    """Directory holding the keys of one site, created with mode 0700 if missing.

    :param site_id: Plone site id; defaults to the current site
    :returns: the directory path
    """
    base = os.environ.get("LINKS_KEYS_DIR")
    if not base:
        home = os.environ.get("CLIENT_HOME") or os.getcwd()
        base = os.path.join(home, "keys")
        logger.warning("LINKS_KEYS_DIR is not set; keeping signing keys in %s", base)
    site = re.sub(r"[^A-Za-z0-9_.-]", "_", site_id or _site_id())
    path = Path(base) / site
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (no window with wider permissions)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _ensure_seal_key(directory: Path) -> None:
    if (directory / SEAL_KEY).exists():
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


def _ensure_certificate(directory: Path, common_name: str) -> None:
    if (directory / PDF_CERT).exists() and (directory / PDF_KEY).exists():
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


def ensure_keys(site_id: str | None = None, common_name: str | None = None) -> Path:
    """Create the site's keys if they do not exist yet (idempotent).

    :param site_id: Plone site id; defaults to the current site
    :param common_name: certificate subject CN; defaults to the site title or id
    :returns: the keys directory
    """
    directory = keys_dir(site_id)
    if common_name is None:
        try:
            from plone import api

            common_name = api.portal.get().Title() or site_id or _site_id()
        except Exception:
            common_name = site_id or _site_id()
    with _lock:
        _ensure_seal_key(directory)
        _ensure_certificate(directory, str(common_name)[:64])
    return directory


def _load(name: str, site_id: str | None = None):
    directory = keys_dir(site_id)
    cache_key = (str(directory), name)
    if cache_key not in _cache:
        path = directory / name
        if not path.exists():
            ensure_keys(site_id)
        data = path.read_bytes()
        if name == PDF_CERT:
            _cache[cache_key] = x509.load_pem_x509_certificate(data)
        elif name == SEAL_PUBLIC_KEY:
            _cache[cache_key] = serialization.load_pem_public_key(data)
        else:
            _cache[cache_key] = serialization.load_pem_private_key(data, password=None)
    return _cache[cache_key]


def signing_key(site_id: str | None = None) -> Ed25519PrivateKey:
    """The site's Ed25519 seal key (generated on first use).

    :param site_id: Plone site id; defaults to the current site
    :returns: the private key
    """
    return _load(SEAL_KEY, site_id)


def public_key(site_id: str | None = None):
    """The site's Ed25519 public key, for verifying seals.

    :returns: an ``Ed25519PublicKey``
    """
    return _load(SEAL_PUBLIC_KEY, site_id)


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


#: Site annotation holding the public seal keys of earlier hosts (fingerprint -> PEM), trusted for checking
#: seals made before a handover. Only public keys: a successor never receives the outgoing host's secrets.
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
    return serialization.load_pem_public_key(pem.encode("ascii")) if pem else None
