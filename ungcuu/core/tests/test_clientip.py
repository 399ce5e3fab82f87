"""Client IP (issue 10, leak 7): the left-most X-Forwarded-For entry is the client's own word; only what
our proxies appended counts, and with no proxy configured the header is not read at all."""

import pytest
from django.test import RequestFactory

from ungcuu.core.clientip import client_ip

SPOOFED = "6.6.6.6"


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxies(settings):
    def configure(count, trusted=(), header="HTTP_X_FORWARDED_FOR"):
        settings.TRUSTED_PROXY_COUNT = count
        settings.TRUSTED_PROXIES = list(trusted)
        settings.TRUSTED_PROXY_HEADER = header

    return configure


def test_without_proxies_the_forwarded_header_is_ignored(proxies):
    proxies(0, header="")
    assert client_ip(request("203.0.113.9", SPOOFED)) == "203.0.113.9"
    proxies(0)  # even when a header is named, 0 proxies means nobody vouches for it
    assert client_ip(request("203.0.113.9", SPOOFED)) == "203.0.113.9"


def test_behind_one_proxy_the_entry_it_appended_wins_over_a_spoofed_one(proxies):
    proxies(1)
    assert client_ip(request("10.0.0.2", f"{SPOOFED}, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_second_from_the_right(proxies):
    proxies(2)
    assert client_ip(request("10.0.0.3", f"{SPOOFED}, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    # Fewer entries than proxies: the request did not come through the chain; the peer is all we know.
    assert client_ip(request("10.0.0.3", "203.0.113.9")) == "10.0.0.3"


def test_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(proxies):
    proxies(1, trusted=["10.0.0.0/24"])
    assert client_ip(request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request("198.51.100.7", SPOOFED)) == "198.51.100.7"


def test_missing_or_malformed_addresses_give_none_or_the_peer(proxies):
    proxies(1)
    assert client_ip(request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "not-an-ip")) == "10.0.0.2"
    assert client_ip(request("", "203.0.113.9")) == "203.0.113.9"  # a proxy on a Unix socket
    assert client_ip(request("")) is None
    proxies(1, trusted=["10.0.0.2"])
    assert client_ip(request("", SPOOFED)) is None
    proxies(0)
    assert client_ip(request("unknown")) is None
