"""Targets of a coordination request: the IPs, networks, domains and URLs an ISP is asked to act on."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ungcuu.systems.validators import normalize_domains

MAX_TARGETS = 500
MAX_TARGET_LENGTH = 2000
_url = URLValidator(schemes=["http", "https", "ftp"])


def _normalize_one(item: str) -> str:
    """Canonical text of one target, or ValueError: an ISP must be able to act on it as written."""
    if "://" in item:
        if len(item) > MAX_TARGET_LENGTH:
            raise ValueError(item)
        try:
            _url(item)
        except ValidationError as exc:
            raise ValueError(item) from exc
        parts = urlsplit(item)
        # Scheme and host are case-insensitive; path and query are not and stay as written.
        return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
    try:
        if "/" in item:
            return str(ipaddress.ip_network(item, strict=False))
        return str(ipaddress.ip_address(item))
    except ValueError:
        pass
    try:
        return normalize_domains([item])[0]
    except ValidationError as exc:
        raise ValueError(item) from exc


def split_targets(value) -> list[str]:
    """A list as given, or text split on whitespace only: commas and semicolons are legal inside URLs."""
    items = value if isinstance(value, list | tuple) else re.split(r"\s+", str(value or ""))
    return [str(item).strip() for item in items if str(item).strip()]


def normalize_targets(value) -> list[str]:
    """A list (or text, one per line) of IPs, networks, domains or URLs, deduplicated and canonical."""
    items = split_targets(value)
    if len(items) > MAX_TARGETS:
        raise ValidationError(
            _("At most %(n)s targets per request; split the request."), params={"n": MAX_TARGETS}
        )
    out: list[str] = []
    bad: list[str] = []
    for item in items:
        try:
            target = _normalize_one(item)
        except ValueError:
            bad.append(item)
            continue
        if target not in out:
            out.append(target)
    if bad:
        raise ValidationError(
            _("Not an IP address, network, domain name or URL: %(items)s"),
            params={"items": ", ".join(bad[:20])},
        )
    return out


def validate_targets(value) -> None:
    """Model-field validator: the stored list must already be canonical targets."""
    if not isinstance(value, list):
        raise ValidationError(_("Targets must be a list."))
    normalize_targets(value)
