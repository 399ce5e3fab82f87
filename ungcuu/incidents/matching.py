"""What a report names, matched to the registry and to incidents already open (issue 15, citizen reports).

A citizen writes "hoalu.example.vn", "http://203.0.113.10/login" or a portal's name; the coordinator's first
questions are whose system that is and whether it was reported already. Both answers are read here, for
the caller only: systems through `InformationSystem.visible_to`, incidents through `Incident.visible_to`,
so a match never shows what the caller could not open anyway. Nothing is written: linking happens when
the coordinator classifies (the matched system is proposed there), merging through `merge_incidents`.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ungcuu.core.text import fold
from ungcuu.incidents.models import TERMINAL, Incident, IncidentReport
from ungcuu.systems.models import InformationSystem

# Reports of one attack arrive within days of each other; older open incidents are rarely the same event.
DUPLICATE_WINDOW = datetime.timedelta(days=3)
# Titles this close (difflib ratio on folded text) read as the same event even without a shared system.
TITLE_SIMILARITY = 0.75
# A system name shorter than this ("Cổng", "Web") would match nearly every report.
MIN_NAME_LENGTH = 8
# How many open incidents of the window are compared at most (newest first): the panel stays fast.
MAX_COMPARED = 300

_HOST = re.compile(r"^(?:[a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$")
# What an IPv4/IPv6 address (before an IPv6 zone "%eth0") can be made of: a token with any other character
# is not tried as an address. `ipaddress.ip_address` raising on every word of 300 descriptions was a third
# of the incident page at 100,000 incidents (issue 18).
_ADDRESS = re.compile(r"^[0-9a-fA-F:.]*[:.][0-9a-fA-F:.]*(?:%.*)?$", re.DOTALL)


def _address(text: str):
    """`ipaddress.ip_address(text)`, or None when it is not an address."""
    if not _ADDRESS.match(text):
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Names:
    """The hosts and addresses a text names."""

    hosts: frozenset[str] = frozenset()
    ips: frozenset[ipaddress.IPv4Address | ipaddress.IPv6Address] = frozenset()


@dataclass
class SystemMatch:
    system: InformationSystem
    reasons: list[str] = field(default_factory=list)


@dataclass
class Duplicate:
    incident: Incident
    reasons: list[str] = field(default_factory=list)


def _token_host(token: str) -> str:
    token = token.strip("()[]<>\"'.,;:").lower()
    if "://" in token:
        token = urlsplit(token).hostname or ""
    else:
        token = token.split("/", 1)[0].rsplit("@", 1)[-1]
        if token.count(":") == 1:  # host:port
            token = token.split(":", 1)[0]
    return token.rstrip(".")


def names_in(text: str) -> Names:
    """The domain names and IP addresses written anywhere in `text` (URLs, host:port, bare names)."""
    hosts: set[str] = set()
    ips: set = set()
    for raw in re.split(r"[\s,;]+", text or ""):
        token = _token_host(raw)
        if not token:
            continue
        address = _address(token.strip("[]"))
        if address is None:
            address = _address(raw.strip("()[]<>\"',;"))  # a bare IPv6 address has colons
        if address is not None:
            ips.add(address)
            continue
        if _HOST.match(token) and not token.replace(".", "").isdigit():
            hosts.add(token.removeprefix("www."))
    return Names(hosts=frozenset(hosts), ips=frozenset(ips))


def report_text(incident: Incident) -> str:
    """What the incident's reports say about the target: title, description and the public form's fields."""
    parts = [incident.title, incident.description]
    for report in incident.reports.all():  # prefetched for the compared incidents
        data = report.data
        if isinstance(data, dict):
            parts += [str(data.get(k) or "") for k in ("system_text", "operator_text")]
    return "\n".join(parts)


def _host_matches(reported: str, registered: str) -> bool:
    registered = registered.lower().removeprefix("www.")
    return reported == registered or reported.endswith("." + registered)


def _ip_matches(ip, entry: str) -> bool:
    try:
        return ip in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False


def system_reasons(system: InformationSystem, names: Names, folded_text: str) -> list[str]:
    """Why this system may be the one the text is about (empty: it is not)."""
    reasons = []
    for host in sorted(names.hosts):
        for domain in system.domains or []:
            if _host_matches(host, domain):
                reasons.append(_("domain %(d)s") % {"d": host})
    for ip in sorted(names.ips, key=str):
        for entry in system.public_ips or []:
            if _ip_matches(ip, entry):
                reasons.append(_("IP address %(ip)s") % {"ip": ip})
    name = fold(system.name)
    if len(name) >= MIN_NAME_LENGTH and name in folded_text:
        reasons.append(_("system name"))
    return reasons


def registry_matches(user, incident: Incident) -> list[SystemMatch]:
    """The registered systems (that `user` may see) the incident's reports name, best first."""
    text = report_text(incident)
    names, folded = names_in(text), fold(text)
    systems = (
        InformationSystem.objects.visible_to(user)
        .filter(is_active=True)
        .select_related("operator", "owner")
        .only("pk", "name", "domains", "public_ips", "operator__name", "owner__name")
    )
    matches = [SystemMatch(s, r) for s in systems if (r := system_reasons(s, names, folded))]
    return sorted(matches, key=lambda m: (-len(m.reasons), m.system.name))


def _title_key(title: str) -> str:
    # The public door titles every report "Public report: <what>"; compare what follows the colon.
    return fold(title.split(":", 1)[-1] if ":" in title else title)


def duplicate_candidates(user, incident: Incident, systems: list[InformationSystem]) -> list[Duplicate]:
    """Open incidents `user` may see, reported within the window around this one, that look like the same
    event: the same system (its own or one the report names), a shared domain/IP, or a close title."""
    system_ids = {s.pk for s in systems} | ({incident.system_id} if incident.system_id else set())
    names = names_in(report_text(incident))
    title = _title_key(incident.title)
    nearby = (
        Incident.objects.visible_to(user)
        .exclude(pk=incident.pk)
        .exclude(status__in=TERMINAL)
        .filter(
            reported_at__gte=incident.reported_at - DUPLICATE_WINDOW,
            reported_at__lte=incident.reported_at + DUPLICATE_WINDOW,
        )
        .select_related("system")
        .order_by("-reported_at")
    )
    # Only what the comparison and the panel read (issue 18): up to 300 incidents were loaded with every
    # column, their systems' too, and every report. Their texts are read only when this one names a host
    # or an address: a name shared with nothing cannot be shared (most reports name none).
    if names.hosts or names.ips:
        nearby = nearby.only(*COMPARED_COLUMNS, "description").prefetch_related(
            Prefetch("reports", queryset=IncidentReport.objects.only("incident_id", "data"))
        )
    else:
        nearby = nearby.only(*COMPARED_COLUMNS)
    found = []
    for other in nearby[:MAX_COMPARED]:
        reasons = _same_event(other, system_ids, names, title)
        if reasons:
            found.append(Duplicate(other, reasons))
    return found


# The columns the comparison and the panel (incidents/_intake_matches.html) read of a compared incident.
COMPARED_COLUMNS = ("reference", "title", "status", "reported_at", "system_id", "system__name")


def _same_event(other: Incident, system_ids: set[int], names: Names, title: str) -> list[str]:
    reasons = []
    if other.system is not None and other.system_id in system_ids:
        reasons.append(_("same system: %(s)s") % {"s": other.system.name})
    if names.hosts or names.ips:
        theirs = names_in(report_text(other))
        shared = sorted(names.hosts & theirs.hosts) + sorted(str(i) for i in names.ips & theirs.ips)
        if shared:
            reasons.append(_("names the same %(what)s") % {"what": ", ".join(shared)})
    if title and _similar(title, _title_key(other.title)):
        reasons.append(_("similar title"))
    return reasons


def _ratio(matches: int, length: int) -> float:
    """difflib's own `_calculate_ratio`: the same float for the same counts."""
    return 2.0 * matches / length if length else 1.0


def _similar(a: str, b: str) -> bool:
    """`SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY`; the cheap upper bounds difflib documents
    (`real_quick_ratio() >= quick_ratio() >= ratio()`) rule most titles out first. Both bounds are computed
    here as difflib computes them (lengths; the multiset of characters in common), before a matcher is
    built: building one indexes `b`, the costliest step of a comparison that the bounds usually end."""
    length = len(a) + len(b)
    if _ratio(min(len(a), len(b)), length) < TITLE_SIMILARITY:
        return False
    if _ratio(sum((Counter(a) & Counter(b)).values()), length) < TITLE_SIMILARITY:
        return False
    return SequenceMatcher(None, a, b).ratio() >= TITLE_SIMILARITY
