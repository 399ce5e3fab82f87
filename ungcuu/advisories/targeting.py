"""Which registered systems run an affected product at an affected version, and so who must be warned.

A lookup without side effects: the coordinator sees the proposal, edits it, and `set_targets` stores the
edited list. Names are compared folded (case and diacritics ignored, whitespace collapsed); a blank vendor
on either side matches any vendor, and "Apache Tomcat" as a product matches vendor "Apache" + product
"Tomcat". A CPE name (cpe:2.3:a:apache:tomcat:9.0.65) on the software row is read too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ungcuu.advisories.models import Advisory, AffectedProduct
from ungcuu.advisories.versions import Constraint
from ungcuu.core.text import fold
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem, SoftwareProduct


@dataclass
class Match:
    """One affected system and the software row that made it match."""

    system: InformationSystem
    software: SoftwareProduct
    product: AffectedProduct
    version_known: bool = True

    @property
    def software_label(self) -> str:
        return str(self.software)


@dataclass
class ProposedTarget:
    """An operating organization with its affected systems."""

    organization: Organization
    matches: list[Match] = field(default_factory=list)

    @property
    def systems(self) -> list[InformationSystem]:
        seen: dict[int, InformationSystem] = {}
        for match in self.matches:
            seen.setdefault(match.system.pk, match.system)
        return list(seen.values())


@dataclass(frozen=True)
class _Line:
    """An affected product line, folded once: (vendor, product, "vendor product") and its constraint."""

    product: AffectedProduct
    vendor: str
    name: str
    full: str
    constraint: Constraint


def _line(product: AffectedProduct) -> _Line:
    vendor, name = fold(product.vendor), fold(product.product)
    return _Line(product, vendor, name, f"{vendor} {name}".strip(), product.constraint)


def _cpe_names(cpe: str) -> tuple[str, str] | None:
    """Vendor and product of a CPE 2.3 or 2.2 name, underscores as spaces."""
    parts = (cpe or "").strip().lower().split(":")
    if parts[:2] == ["cpe", "2.3"] and len(parts) >= 5:
        vendor, product = parts[3], parts[4]
    elif parts[:1] == ["cpe"] and len(parts) >= 4:
        vendor, product = parts[2], parts[3]
    else:
        return None
    return vendor.replace("_", " "), product.replace("_", " ")


def _spellings(vendor: str, product: str, cpe: str) -> list[tuple[str, str, str]]:
    """The folded (vendor, product, "vendor product") a software row goes by: as typed, and its CPE."""
    names = [(vendor, product)]
    if parsed := _cpe_names(cpe):
        names.append(parsed)
    out = []
    for v, p in names:
        fv, fp = fold(v), fold(p)
        out.append((fv, fp, f"{fv} {fp}".strip()))
    return out


def _names_match(line: _Line, spellings: list[tuple[str, str, str]]) -> bool:
    for vendor, name, full in spellings:
        if name == line.name and (not line.vendor or not vendor or line.vendor == vendor):
            return True
        if line.full in {full, name} or full == line.name:
            return True
    return False


def find_matches(products: Iterable[AffectedProduct]) -> list[Match]:
    """Every (active system, software row) that an affected product line covers.

    Rows are compared as plain values; only the matching ones are loaded as objects with their system.
    """
    lines = [_line(p) for p in products]
    if not lines:
        return []
    rows = SoftwareProduct.objects.filter(system__is_active=True).values_list(
        "pk", "vendor", "product", "version", "cpe"
    )
    hits: dict[int, tuple[_Line, bool]] = {}
    for pk, vendor, product, version, cpe in rows:
        spellings = _spellings(vendor, product, cpe)
        for line in lines:
            if not _names_match(line, spellings):
                continue
            verdict = line.constraint.matches(version)
            if verdict is not False:
                # An unknown installed version is proposed, marked: better one unit too many than one missed.
                hits[pk] = (line, verdict is True)
                break
    software = SoftwareProduct.objects.filter(pk__in=hits).select_related(
        "system", "system__operator", "system__owner"
    )
    return [
        Match(sw.system, sw, hits[sw.pk][0].product, version_known=hits[sw.pk][1])
        for sw in software.order_by("system__name", "pk")
    ]


def propose_targets(advisory: Advisory) -> list[ProposedTarget]:
    """The operating organizations of the affected systems, each with its matches, by organization name."""
    grouped: dict[int, ProposedTarget] = {}
    for match in find_matches(advisory.products.all()):
        operator = match.system.operator
        grouped.setdefault(operator.pk, ProposedTarget(operator)).matches.append(match)
    return sorted(grouped.values(), key=lambda t: fold(t.organization.name))
