"""The HTTP POST of one delivery (http.client: no redirects followed, a bounded read of the answer).

A target is refused unless it is https (or http while WEBHOOK_ALLOW_HTTP), and unless every address its
host resolves to is public (or WEBHOOK_ALLOW_PRIVATE_TARGETS): a subscription must not turn the server
into a way to reach the machines behind it.

DNS rebinding: the host is resolved **once** per send, the answer checked, and the connection made to a
checked address (the socket never asks DNS again). TLS still verifies the certificate for the host name
(SNI and hostname check), and the Host header names the host, so a public name that answers a private
address at send time is refused, and one whose answer changes between the check and the connection
cannot lead the connection elsewhere. The resolver is a parameter so tests inject one (no real DNS).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

EXCERPT_BYTES = 500

# (host, port) -> the addresses it resolves to, as text.
Resolver = Callable[[str, int], list[str]]


class TargetRefused(Exception):
    """The URL is not one we send to."""


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    duration_ms: int


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer (getaddrinfo), every address once, in its order."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _port(parts) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _checked_scheme(url: str):
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise TargetRefused("only http(s) URLs")
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise TargetRefused("plain http is not allowed (WEBHOOK_ALLOW_HTTP)")
    return parts


def _checked_addresses(parts, resolve: Resolver | None) -> list[str]:
    """Resolve the host once; every address must be public unless WEBHOOK_ALLOW_PRIVATE_TARGETS."""
    try:
        addresses = (resolve or system_resolver)(parts.hostname, _port(parts))
    except (OSError, UnicodeError) as error:
        raise TargetRefused(f"cannot resolve {parts.hostname}: {error}") from error
    if not addresses:
        raise TargetRefused(f"cannot resolve {parts.hostname}: no address")
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return addresses
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if not address.is_global:
            raise TargetRefused(f"{parts.hostname} resolves to a non-public address ({address})")
    return addresses


def check_target(url: str, *, resolve: Resolver | None = None) -> None:
    """Refuse a URL we do not send to (at save time; each send checks again, see `post`)."""
    parts = _checked_scheme(url)
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        _checked_addresses(parts, resolve)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address` (already checked) while naming `host` in the request."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to `address` (already checked), with SNI and the certificate checked for `host`."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address, self._context = address, context

    def connect(self):
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, resolve: Resolver | None = None
) -> Response:
    parts = _checked_scheme(url)
    addresses = _checked_addresses(parts, resolve)  # the one resolution of this send
    host, port = parts.hostname or "", _port(parts)
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            host, port, address=addresses[0], timeout=timeout, context=context
        )
    else:
        connection = _PinnedHTTPConnection(host, port, address=addresses[0], timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        excerpt = answer.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        return Response(answer.status, excerpt, int((time.monotonic() - started) * 1000))
    finally:
        connection.close()
