"""Which registered system a scanned host is: by public IP (or network), then by domain name.

Several systems often share one address in a provincial data centre behind one reverse proxy, so an IP
that fits several systems is settled by the host name, and otherwise left for a person to assign.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities.models import ScanHost

MatchedBy = ScanHost.MatchedBy


def _name(value: str) -> str:
    """Compare names without case, trailing dot or a leading 'www.'."""
    return value.strip().rstrip(".").lower().removeprefix("www.")


@dataclass
class Match:
    system_id: int | None = None
    matched_by: str = ""
    candidates: list[int] = field(default_factory=list)


@dataclass
class SystemIndex:
    """The registry's addresses and names, read once per import."""

    networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int]] = field(default_factory=list)
    names: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, systems: Iterable[InformationSystem]) -> SystemIndex:
        index = cls()
        for system in systems:
            for entry in system.public_ips or []:
                try:
                    index.networks.append((ipaddress.ip_network(str(entry).strip(), strict=False), system.pk))
                except ValueError:
                    continue  # the registry validates addresses; an odd legacy value must not stop an import
            for domain in system.domains or []:
                if _name(str(domain)):
                    index.names.setdefault(_name(str(domain)), set()).add(system.pk)
        return index

    def by_ip(self, ip: str) -> set[int]:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return set()
        return {
            pk for network, pk in self.networks if address.version == network.version and address in network
        }

    def by_name(self, hostname: str) -> set[int]:
        return set(self.names.get(_name(hostname), set())) if hostname else set()

    def match(self, ip: str, hostname: str) -> Match:
        by_ip, by_name = self.by_ip(ip or ""), self.by_name(hostname)
        if len(by_ip) == 1:
            return Match(next(iter(by_ip)), MatchedBy.IP)
        narrowed = by_ip & by_name if by_ip else by_name
        if len(narrowed) == 1:
            return Match(next(iter(narrowed)), MatchedBy.HOSTNAME)
        return Match(candidates=sorted(by_ip | by_name))
