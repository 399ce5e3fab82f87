"""The client's IP address, the one answer used by rate limits, evidence custody and the audit log.

X-Forwarded-For is a list anyone can start: a client sends `X-Forwarded-For: 1.2.3.4` and every proxy
appends the address it saw. Only the entries our own proxies appended can be believed, and they are at the
right-hand end. So the settings say how many reverse proxies stand in front of the application
(TRUSTED_PROXY_COUNT, 0 = none: REMOTE_ADDR only) and, optionally, their addresses (TRUSTED_PROXIES: the
header is read only when the request comes from one of them). django-ipware parses the header and picks the
entry our proxies vouch for; its default of trusting the first routable entry is never used.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip

DEFAULT_HEADER = "HTTP_X_FORWARDED_FOR"


def client_ip(request) -> str | None:
    """The address of whoever sent the request, as far as our own proxies vouch; None if unknown."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if count <= 0 or not _is_trusted_proxy(peer):
        return peer
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "") or DEFAULT_HEADER
    # ipware counts the proxies *listed in the header*; the proxy next to us is REMOTE_ADDR and only
    # appends the one before it, so with `count` proxies the client is the count-th entry from the right.
    forwarded, _routable = get_client_ip(
        request, proxy_count=count - 1, request_header_order=[header], strict=False
    )
    # No usable header (a request that bypassed the proxies): the peer is all we know.
    return forwarded or peer


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _is_trusted_proxy(peer: str | None) -> bool:
    """Any peer when no proxy address is configured; without a peer address (a proxy on a Unix socket,
    which only the machine itself reaches) only then."""
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks:
        return True
    return peer is not None and any(ipaddress.ip_address(peer) in network for network in networks)


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
