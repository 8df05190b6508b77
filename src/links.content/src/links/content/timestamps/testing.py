"""A real RFC 3161 timestamp authority on 127.0.0.1, for tests, the benchmark and development.

pyHanko's ``DummyTimeStamper`` answers real ``TimeStampReq`` messages with real tokens signed by a TSA
certificate issued by a throw-away CA; this module puts it behind a small HTTP server (RFC 3161 §3.4:
``POST`` ``application/timestamp-query`` → ``application/timestamp-reply``) on a free port, so the signing
code talks HTTP to it exactly as it would to a commercial TSA. It is never used by a site unless someone
points ``links.content.timestamps.url`` at it.

    with LocalTSA() as tsa:
        api.portal.set_registry_record("links.content.timestamps.url", tsa.url)
"""

from __future__ import annotations

import base64
import datetime
import socket
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

#: Largest request body the server reads (a TimeStampReq is about 100 bytes).
MAX_REQUEST = 16 * 1024


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LINk test timestamp authority"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        ]
    )


def _usage(**flags) -> x509.KeyUsage:
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{name: flags.get(name, False) for name in names})


def make_tsa_certificates(days: int = 7300):
    """A root CA and a TSA certificate it issued (critical extended key usage: time stamping, RFC 3161 §2.3).

    Twenty years by default: longer than a site's certificate, as a real TSA's long-lived chain would be, so
    a test can check a signature after the site's certificate has expired.

    :returns: ``(ca_cert, tsa_cert, tsa_key)`` as ``cryptography`` objects
    """
    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("LINk test root CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("LINk test TSA"))
        .issuer_name(ca_name)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(tsa_key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return ca_cert, tsa_cert, tsa_key


def _rejection() -> bytes:
    """A TimeStampResp refusing the request (asn1crypto cannot leave out the optional token itself)."""
    from asn1crypto import tsp

    status = tsp.PKIStatusInfo(
        {
            "status": "rejection",
            "status_string": ["policy not accepted"],
            "fail_info": tsp.PKIFailureInfo({"unaccepted_policy"}),
        }
    ).dump()
    return b"\x30" + _der_length(len(status)) + status


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


class LocalTSA:
    """An RFC 3161 timestamp server on ``127.0.0.1`` and a free port, in a daemon thread.

    :param username: with ``password``, require HTTP Basic authentication (answers 401 otherwise)
    :ivar url: where it listens, e.g. ``http://127.0.0.1:40123/tsa``
    :ivar ca_pem: the root CA certificate (PEM) to trust for its tokens
    :ivar requests: how many timestamp requests it has answered
    :ivar mode: ``"ok"``; ``"refuse"`` answers every request with PKIStatus rejection; ``"error"``
        answers HTTP 500
    """

    def __init__(self, username: str | None = None, password: str | None = None):
        from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
        from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
        from pyhanko.sign.timestamps import DummyTimeStamper

        ca_cert, tsa_cert, tsa_key = make_tsa_certificates()
        self.ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
        self.tsa_pem = tsa_cert.public_bytes(serialization.Encoding.PEM)

        class Stamper(DummyTimeStamper):
            """pyHanko's test TSA parses its private key again for every token (0.1 s or more on a busy
            machine): sign the same attributes with the key already loaded."""

            def _sign_tst_info(self, tst_info_data, md_algorithm, dt):
                from asn1crypto import cms
                from asn1crypto import core
                from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
                from pyhanko.sign import general
                from pyhanko.sign.general import get_pyca_cryptography_hash
                from pyhanko.sign.general import simple_cms_attribute

                digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
                digest.update(tst_info_data)
                signed_attrs = cms.CMSAttributes(
                    [
                        simple_cms_attribute("content_type", "tst_info"),
                        simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                        simple_cms_attribute(
                            "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                        ),
                        simple_cms_attribute("message_digest", digest.finalize()),
                    ]
                )
                hash_algorithm = get_pyca_cryptography_hash(md_algorithm.upper())
                return tsa_key.sign(signed_attrs.dump(), PKCS1v15(), hash_algorithm), signed_attrs

        self._stamper = Stamper(
            tsa_cert=translate_pyca_cryptography_cert_to_asn1(tsa_cert),
            tsa_key=translate_pyca_cryptography_key_to_asn1(tsa_key),
            certs_to_embed=[translate_pyca_cryptography_cert_to_asn1(ca_cert)],
        )
        self.username, self.password = username, password
        self.mode = "ok"
        self.requests = 0
        self._server = None
        self._thread = None
        self.url = None

    # -- the HTTP side --------------------------------------------------------------------------------
    def _handler(self):
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                super().setup()
                # Headers and body leave in two writes: without this, Nagle's algorithm holds the body back
                # until the client's delayed ACK (about 40 ms a request).
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, status: int, body: bytes = b"", content_type: str = "text/plain"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="tsa"')
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                from asn1crypto import tsp

                if tsa.username is not None:
                    expected = base64.b64encode(f"{tsa.username}:{tsa.password}".encode()).decode()
                    if self.headers.get("Authorization") != f"Basic {expected}":
                        return self._reply(401, b"authentication required")
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get("Content-Type") != "application/timestamp-query" or not length > 0:
                    return self._reply(400, b"send an application/timestamp-query")
                if length > MAX_REQUEST:
                    return self._reply(413, b"request too large")
                if tsa.mode == "error":
                    return self._reply(500, b"the timestamp authority is out of order")
                try:
                    request = tsp.TimeStampReq.load(self.rfile.read(length))
                    _ = request.native  # parse it all now: a malformed request is the client's error
                except ValueError:
                    return self._reply(400, b"malformed TimeStampReq")
                if tsa.mode == "refuse":
                    body = _rejection()
                else:
                    body = tsa._stamper.request_tsa_response(request).dump()
                tsa.requests += 1
                self._reply(200, body, "application/timestamp-reply")

        return Handler

    def start(self) -> LocalTSA:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsa"
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-tsa", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalTSA:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def configure_site(tsa: LocalTSA, required: bool = True) -> None:
    """Point the current site's timestamp settings at ``tsa`` (trusting its CA)."""
    from plone import api

    from links.content.timestamps import api as timestamps

    api.portal.set_registry_record(timestamps.URL, tsa.url)
    api.portal.set_registry_record(timestamps.USERNAME, tsa.username or "")
    api.portal.set_registry_record(timestamps.PASSWORD, tsa.password or "")
    api.portal.set_registry_record(timestamps.REQUIRED, required)
    api.portal.set_registry_record(timestamps.TRUSTED, tsa.ca_pem.decode("ascii"))
