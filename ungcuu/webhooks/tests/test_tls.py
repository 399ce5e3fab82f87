"""The https path of a delivery for real: a TLS receiver on 127.0.0.1 with certificates made for the test
(a throw-away CA and its server certificates, by the `openssl` command: the project has no Python
package that writes certificates, and the standard library cannot).

The name is resolved once by an injected resolver (no real DNS) and the socket connects to that answer;
TLS names the host (SNI), the request names it (Host), and the certificate is verified for it against the
trust store OpenSSL is told of (`SSL_CERT_FILE`, read by the production `ssl.create_default_context()`).
"""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest

from ungcuu.webhooks import delivery
from ungcuu.webhooks.models import Delivery, Event
from ungcuu.webhooks.tests.receiver import Receiver, serve
from ungcuu.webhooks.tests.test_resend import FakeDNS

# The openssl command makes the certificates; scripts/ensure-system-packages installs it for `make test`, so
# a machine without it fails here instead of skipping the https path silently.
pytestmark = pytest.mark.django_db
State = Delivery.State
HOST = "receiver.invalid"  # a name no DNS answers: only the injected resolver's address can be reached

CA_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
CN = ungcuu webhook test CA
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""
SERVER_CONFIG = """
[req]
distinguished_name = dn
prompt = no
[dn]
CN = {name}
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:{name}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""
NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    """ca.pem, and <name>.pem / <name>.key it signed for the right host and for another one; and
    stranger-ca.pem, another CA of the same name; valid for two days."""
    folder = tmp_path_factory.mktemp("pki")
    (folder / "ca.cnf").write_text(CA_CONFIG)
    for ca in ("ca", "stranger-ca"):  # the stranger signs nothing: a trust store that does not know ours
        _openssl(
            folder, "req", "-x509", "-config", "ca.cnf", "-extensions", "ca", *NEW_KEY,
            "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "2",
        )  # fmt: skip
    for serial, name in enumerate((HOST, "other.invalid"), start=2):
        (folder / f"{name}.cnf").write_text(SERVER_CONFIG.format(name=name))
        _openssl(
            folder, "req", "-new", "-config", f"{name}.cnf", *NEW_KEY,
            "-keyout", f"{name}.key", "-out", f"{name}.csr",
        )  # fmt: skip
        _openssl(
            folder, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", str(serial), "-days", "2", "-extfile", f"{name}.cnf", "-extensions", "server",
            "-out", f"{name}.pem",
        )  # fmt: skip
    return folder


@pytest.fixture
def trust(pki, monkeypatch):
    """The test CA as the only trusted root of `ssl.create_default_context()` (OpenSSL reads the variable
    each time a context loads its default paths); without this fixture the CA is unknown."""
    monkeypatch.setenv("SSL_CERT_FILE", str(pki / "ca.pem"))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@pytest.fixture
def tls_receiver(pki):
    """`tls_receiver(certificate_name)`: a receiver serving that certificate; returns it, its port and
    the server names (SNI) its handshakes were asked for."""
    servers = []

    def start(name: str) -> tuple[Receiver, int, list[str | None]]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(pki / f"{name}.pem", pki / f"{name}.key")
        asked: list[str | None] = []
        context.sni_callback = lambda _socket, server_name, _context: asked.append(server_name)
        receiver = Receiver()
        servers.append(serve(receiver, tls=context))
        return receiver, servers[-1].server_address[1], asked

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _queued(subscribe, report, receiver, tls, port, capture) -> int:
    """A delivery of a new incident to https://HOST:port/, waiting to be sent."""
    subscription = subscribe([Event.INCIDENT_REPORTED])
    tls.secret = receiver.secret  # the subscribe fixture hands the secret to the plain-http receiver
    type(subscription).objects.filter(pk=subscription.pk).update(url=f"https://{HOST}:{port}/hooks/ungcuu")
    with capture(execute=False):
        incident = report()
    [pk] = delivery.fan_out(Event.INCIDENT_REPORTED, [incident.pk], incident.created_at)
    return pk


def test_https_goes_to_the_checked_address_naming_the_host_and_verifying_its_certificate(
    subscribe, report, receiver, tls_receiver, trust, django_capture_on_commit_callbacks
):
    tls, port, asked = tls_receiver(HOST)
    dns = FakeDNS({HOST: [["127.0.0.1"]]})

    pk = _queued(subscribe, report, receiver, tls, port, django_capture_on_commit_callbacks)
    row = delivery.deliver(pk, resolve=dns)

    assert row.state == State.DELIVERED, row.attempt_log.get().error
    assert dns.asked == [HOST] and asked == [HOST]  # resolved once; the handshake named the host
    _body, headers = tls.raw[0]
    assert headers["Host"] == f"{HOST}:{port}" and len(tls.accepted) == 1  # signed and verified
    assert receiver.raw == []


def test_a_certificate_for_another_name_is_refused(
    subscribe, report, receiver, tls_receiver, trust, django_capture_on_commit_callbacks
):
    """The same CA, a certificate for other.invalid: the pinned address must not loosen the name check."""
    tls, port, asked = tls_receiver("other.invalid")

    pk = _queued(subscribe, report, receiver, tls, port, django_capture_on_commit_callbacks)
    row = delivery.deliver(pk, resolve=FakeDNS({HOST: [["127.0.0.1"]]}))

    error = row.attempt_log.get().error
    assert row.state == State.RETRYING and "CERTIFICATE_VERIFY_FAILED" in error and HOST in error
    assert asked == [HOST] and tls.raw == []  # the handshake happened and no request followed it


def test_a_certificate_from_an_unknown_authority_is_refused(
    subscribe, report, receiver, tls_receiver, pki, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("SSL_CERT_FILE", str(pki / "stranger-ca.pem"))  # not the CA that signed the receiver's
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    tls, port, asked = tls_receiver(HOST)

    pk = _queued(subscribe, report, receiver, tls, port, django_capture_on_commit_callbacks)
    row = delivery.deliver(pk, resolve=FakeDNS({HOST: [["127.0.0.1"]]}))

    error = row.attempt_log.get().error
    assert row.state == State.RETRYING and "CERTIFICATE_VERIFY_FAILED" in error
    assert asked == [HOST] and tls.raw == []


def test_a_private_answer_is_refused_before_any_tls_handshake(
    subscribe, report, receiver, tls_receiver, trust, settings, django_capture_on_commit_callbacks
):
    tls, port, asked = tls_receiver(HOST)
    pk = _queued(subscribe, report, receiver, tls, port, django_capture_on_commit_callbacks)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False  # the guard on, as in production
    row = delivery.deliver(pk, resolve=FakeDNS({HOST: [["127.0.0.1"]]}))

    assert "non-public address (127.0.0.1)" in row.attempt_log.get().error
    assert asked == [] and tls.raw == []  # no connection was made
