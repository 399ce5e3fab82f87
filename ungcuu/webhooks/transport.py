"""The HTTP POST of one delivery (http.client: no redirects followed, a bounded read of the answer).

A target is refused unless it is https (or http while WEBHOOK_ALLOW_HTTP), and unless every address its
host resolves to is public (or WEBHOOK_ALLOW_PRIVATE_TARGETS): a subscription must not turn the server
into a way to reach the machines behind it.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

EXCERPT_BYTES = 500


class TargetRefused(Exception):
    """The URL is not one we send to."""


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    duration_ms: int


def check_target(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise TargetRefused("only http(s) URLs")
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise TargetRefused("plain http is not allowed (WEBHOOK_ALLOW_HTTP)")
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise TargetRefused(f"cannot resolve {parts.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise TargetRefused(f"{parts.hostname} resolves to a non-public address ({address})")


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Response:
    check_target(url)
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
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
