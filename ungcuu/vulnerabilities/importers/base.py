"""The one shape every importer returns, and the small helpers the three parsers share."""

from __future__ import annotations

import datetime
import ipaddress
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

CVE = re.compile(r"CVE-\d{4}-\d{4,7}", re.IGNORECASE)
MAX_NAME, MAX_CHECK_ID, MAX_HOSTNAME, MAX_TEXT = 500, 200, 255, 20_000


class ReportRefused(ValueError):
    """The file is not a report this platform will read; the message says why, for the uploader."""


@dataclass(frozen=True)
class ParsedPort:
    port: int
    protocol: str
    service: str = ""
    product: str = ""
    version: str = ""


@dataclass
class ParsedHost:
    ip: str
    hostname: str
    ports: list[ParsedPort] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.ip or self.hostname


@dataclass(frozen=True)
class ParsedFinding:
    """One check that fired on one host and port; `port` 0 means the host as a whole."""

    host: str  # the ParsedHost.key it belongs to
    port: int
    protocol: str
    check_id: str  # OpenVAS NVT OID, Nessus pluginID, Nmap script id
    name: str
    severity: str
    cvss_score: Decimal | None = None
    cvss_vector: str = ""
    cve_ids: tuple[str, ...] = ()
    description: str = ""
    solution: str = ""


@dataclass
class ParsedScan:
    tool: str
    name: str = ""
    scanner_version: str = ""
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None
    hosts: list[ParsedHost] = field(default_factory=list)
    findings: list[ParsedFinding] = field(default_factory=list)


def text(element, path: str = "") -> str:
    """Stripped text of `element` (or of its child at `path`); '' when absent."""
    node = element.find(path) if path and element is not None else element
    return (node.text or "").strip() if node is not None else ""


def cve_ids(*sources: str) -> tuple[str, ...]:
    found = {match.upper() for source in sources for match in CVE.findall(source or "")}
    return tuple(sorted(found))


def clean_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def clean_hostname(value: str) -> str:
    return value.strip().rstrip(".").lower()[:MAX_HOSTNAME]


def clean_port(value) -> int:
    try:
        port = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return port if 0 <= port <= 65535 else 0


def one_line(value: str, limit: int = MAX_NAME) -> str:
    return " ".join((value or "").split())[:limit]


def block(value: str, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


def from_epoch(value: str | None) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromtimestamp(int(str(value).strip()), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


# Scanners write both ISO 8601 and C's asctime ("Tue Jan 10 02:00:05 2024", in the scanner's local time).
ASCTIME = "%a %b %d %H:%M:%S %Y"


def parse_time(value: str | None) -> datetime.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.datetime.strptime(" ".join(value.split()), ASCTIME)  # noqa: DTZ007 - made aware below
        except ValueError:
            return None
    # A time without a zone is the scanner's local time; the platform's zone is the best guess we have.
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
