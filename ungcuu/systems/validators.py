"""Validation of the registry's network identifiers: public IPs and domain names."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})$")


def split_items(value) -> list[str]:
    """Accept a list or text with one item per line/comma/space; strip blanks and duplicates."""
    items = value if isinstance(value, list | tuple) else re.split(r"[\s,;]+", str(value or ""))
    seen: list[str] = []
    for item in (str(i).strip() for i in items):
        if item and item not in seen:
            seen.append(item)
    return seen


def normalize_ips(value) -> list[str]:
    out: list[str] = []
    bad: list[str] = []
    for item in split_items(value):
        try:
            canonical = (
                str(ipaddress.ip_network(item, strict=False))
                if "/" in item
                else str(ipaddress.ip_address(item))
            )
        except ValueError:
            bad.append(item)
            continue
        # Duplicates are judged on the canonical form: 203.0.113.1/24 and 203.0.113.0/24 are one network.
        if canonical not in out:
            out.append(canonical)
    if bad:
        raise ValidationError(
            _("Not a valid IP address or network: %(items)s"), params={"items": ", ".join(bad)}
        )
    return out


def normalize_domains(value) -> list[str]:
    out: list[str] = []
    bad: list[str] = []
    for item in split_items(value):
        candidate = item.lower().rstrip(".")
        try:
            candidate = candidate.encode("idna").decode("ascii")
        except UnicodeError:
            bad.append(item)
            continue
        if not _DOMAIN.match(candidate):
            bad.append(item)
        elif candidate not in out:  # "Portal.VN" and "portal.vn." are one domain
            out.append(candidate)
    if bad:
        raise ValidationError(_("Not a valid domain name: %(items)s"), params={"items": ", ".join(bad)})
    return out
