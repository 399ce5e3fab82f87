"""Shape checks with normalisation: CVE ids, and indicators of compromise in one canonical spelling.

Indicators arrive defanged ("hxxp://evil[.]example"), upper-cased, with trailing dots or in Unicode; the
same indicator must become the same row whatever the spelling, so "seen before" finds it. Nothing here
touches the database or the network.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from urllib.parse import SplitResult, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CVE = re.compile(r"^CVE-(\d{4})-(\d{4,})$")


class IndicatorKind(models.TextChoices):
    IPV4 = "ipv4", gettext_lazy("IPv4 address")
    IPV6 = "ipv6", gettext_lazy("IPv6 address")
    DOMAIN = "domain", gettext_lazy("Domain name")
    URL = "url", gettext_lazy("URL")
    MD5 = "md5", "MD5"
    SHA1 = "sha1", "SHA-1"
    SHA256 = "sha256", "SHA-256"
    EMAIL = "email", gettext_lazy("E-mail address")


# Read once: `IndicatorKind.values` builds a new list on every call, and an import checks every indicator.
KINDS = frozenset(IndicatorKind.values)
HASH_LENGTHS = {32: IndicatorKind.MD5, 40: IndicatorKind.SHA1, 64: IndicatorKind.SHA256}
MAX_VALUE = 2000
_HEX = re.compile(r"^[0-9a-f]+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Defanging as CERT bulletins print it: hxxp://, [.], (.), {.}, [dot], [:], [@], [at].
_DEFANG = [
    (re.compile(r"^hxxp(s?)://", re.IGNORECASE), r"http\1://"),
    (re.compile(r"^fxp://", re.IGNORECASE), "ftp://"),
    (re.compile(r"[\[({]\s*(?:\.|dot)\s*[\])}]", re.IGNORECASE), "."),
    (re.compile(r"[\[({]\s*:\s*[\])}]"), ":"),
    (re.compile(r"[\[({]\s*(?:@|at)\s*[\])}]", re.IGNORECASE), "@"),
]
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


# --- CVE ---------------------------------------------------------------------------------------------


def normalize_cve_ids(values: Iterable[str] | str) -> list[str]:
    """Upper-cased, de-duplicated CVE-YYYY-NNNN+ ids in the given order; one bad id refuses the lot."""
    items = re.split(r"[\s,;]+", values) if isinstance(values, str) else list(values)
    out: list[str] = []
    bad: list[str] = []
    for raw in items:
        cve = (raw or "").strip().upper()
        if not cve:
            continue
        match = CVE.match(cve)
        if not match or not 1999 <= int(match.group(1)) <= 2100:
            bad.append(raw.strip())
        elif cve not in out:
            out.append(cve)
    if bad:
        raise ValidationError(
            _("Not a CVE id (CVE-YYYY-NNNN): %(ids)s") % {"ids": ", ".join(bad[:5])}, code="cve"
        )
    return out


def validate_cve_ids(value) -> None:
    """Model-field validator for the stored list."""
    if not isinstance(value, list):
        raise ValidationError(_("CVE ids must be a list."))
    normalize_cve_ids(value)


# --- indicators -----------------------------------------------------------------------------------------


def refang(text: str) -> str:
    out = (text or "").strip().strip("<>\"'")
    for pattern, replacement in _DEFANG:
        out = pattern.sub(replacement, out)
    return out


def detect_kind(value: str) -> str:
    """The kind an indicator looks like; raises ValidationError when it looks like none of them."""
    text = refang(value)
    if "://" in text:
        return IndicatorKind.URL
    if "@" in text:
        return IndicatorKind.EMAIL
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        pass
    else:
        return IndicatorKind.IPV4 if address.version == 4 else IndicatorKind.IPV6
    if _HEX.match(text.lower()) and len(text) in HASH_LENGTHS:
        return HASH_LENGTHS[len(text)]
    if "." in text and not text.replace(".", "").isdigit():
        return IndicatorKind.DOMAIN
    raise ValidationError(
        _("“%(value)s” is not an IP address, domain, URL, MD5/SHA-1/SHA-256 hash or e-mail address.")
        % {"value": _short(value)},
        code="indicator",
    )


def normalize_indicator(kind: str | None, value: str) -> tuple[str, str]:
    """(kind, canonical value); `kind=None` detects it. Raises ValidationError with a readable message."""
    text = refang(value)
    if not text:
        raise ValidationError(_("Enter an indicator."), code="indicator")
    if len(text) > MAX_VALUE:
        raise ValidationError(_("An indicator is at most %(n)s characters.") % {"n": MAX_VALUE})
    kind = kind or detect_kind(text)
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of indicator."), code="indicator")
    return kind, NORMALIZERS[kind](text)


def _short(value: str) -> str:
    value = (value or "").strip()
    return value if len(value) <= 80 else value[:77] + "…"


def _ip(text: str, version: int) -> str:
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        address = None
    if address is None or address.version != version:
        message = _("“%(value)s” is not a valid IPv%(v)s address.")
        raise ValidationError(message % {"value": _short(text), "v": version}, code="indicator")
    return address.compressed


def _ipv4(text: str) -> str:
    return _ip(text, 4)


def _ipv6(text: str) -> str:
    return _ip(text, 6)


def normalize_domain(text: str) -> str:
    """Lower-case ASCII (IDNA) form without the trailing dot: "Sở-Y-Tế.VN." → "xn--s-y-t-….vn"."""
    host = text.strip().rstrip(".").lower()
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else ""
    except UnicodeError:
        ascii_host = ""
    labels = ascii_host.split(".")
    valid = (
        len(labels) >= 2
        and len(ascii_host) <= 253
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    )
    if not valid:
        raise ValidationError(
            _("“%(value)s” is not a valid domain name.") % {"value": _short(text)}, code="indicator"
        )
    return ascii_host


def _host(host: str) -> str:
    """A URL's host: an IP literal in canonical form, else a domain."""
    bare = host.strip("[]")
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return normalize_domain(host)
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def _url(text: str) -> str:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or not parts.scheme or not parts.hostname:
        raise ValidationError(
            _("“%(value)s” is not a URL with a scheme and a host.") % {"value": _short(text)},
            code="indicator",
        )
    scheme = parts.scheme.lower()
    netloc = _host(parts.hostname)
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{credentials}@{netloc}"
    # The fragment never reaches a server; the path and query keep their case (servers may honour it).
    return urlunsplit(SplitResult(scheme, netloc, parts.path or "/", parts.query, ""))


def _email(text: str) -> str:
    local, sep, domain = text.rpartition("@")
    if not sep or not local or any(c.isspace() for c in local):
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address.") % {"value": _short(text)}, code="indicator"
        )
    # Mailboxes are case-insensitive in practice; phishing senders come back with other capitals.
    return f"{local.lower()}@{normalize_domain(domain)}"


def _hash(length: int) -> Callable[[str], str]:
    def normalize(text: str) -> str:
        value = text.strip().lower()
        if len(value) != length or not _HEX.match(value):
            raise ValidationError(
                _("“%(value)s” is not a hash of %(n)s hexadecimal digits.")
                % {"value": _short(text), "n": length},
                code="indicator",
            )
        return value

    return normalize


NORMALIZERS: dict[str, Callable[[str], str]] = {
    IndicatorKind.IPV4: _ipv4,
    IndicatorKind.IPV6: _ipv6,
    IndicatorKind.DOMAIN: normalize_domain,
    IndicatorKind.URL: _url,
    IndicatorKind.EMAIL: _email,
    IndicatorKind.MD5: _hash(32),
    IndicatorKind.SHA1: _hash(40),
    IndicatorKind.SHA256: _hash(64),
}
