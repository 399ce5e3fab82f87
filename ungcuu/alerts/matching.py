"""Which registered system an alert is about: its affected host or an observable's address or domain.

Only the systems of the alert's own unit (as owner or operator) are candidates: an alert never links a
unit's group to another unit's system. A domain matches its registered name or any name under it
(`mail.alpha.gov.vn` → `alpha.gov.vn`).
"""

from __future__ import annotations

from django.db.models import Q

from ungcuu.alerts.intake import url_host
from ungcuu.systems.models import InformationSystem


class SystemIndex:
    """The active systems of some units, looked up by (unit, address) and (unit, domain)."""

    def __init__(self, organization_ids: set[int]):
        self.by_name: dict[tuple[int, str], int] = {}
        self._seen: dict[tuple[int, str], int | None] = {}
        rows = InformationSystem.objects.filter(
            Q(operator_id__in=organization_ids) | Q(owner_id__in=organization_ids), is_active=True
        ).order_by("pk")
        for pk, operator, owner, ips, domains in rows.values_list(
            "pk", "operator_id", "owner_id", "public_ips", "domains"
        ):
            names = [str(ip).strip().lower() for ip in ips or []]
            names += [str(d).strip().lower().rstrip(".") for d in domains or []]
            for org in {operator, owner} & organization_ids:
                for name in names:
                    self.by_name.setdefault((org, name), pk)

    def match(self, organization_id: int, host: str, observables: list[dict]) -> int | None:
        if not self.by_name:
            return None
        for name in [host, *(_name_of(o) for o in observables)]:
            found = name and self._lookup(organization_id, name)
            if found:
                return found
        return None

    def _lookup(self, organization_id: int, name: str) -> int | None:
        key = (organization_id, name)
        if key not in self._seen:
            self._seen[key] = self._walk(organization_id, name)
        return self._seen[key]

    def _walk(self, organization_id: int, name: str) -> int | None:
        labels = name.split(".")
        for start in range(len(labels) - 1):
            found = self.by_name.get((organization_id, ".".join(labels[start:])))
            if found:
                return found
        return self.by_name.get((organization_id, name))


def _name_of(observable: dict) -> str:
    kind, value = observable["type"], observable["value"]
    if kind in ("ip", "domain"):
        return value
    if kind == "url":
        return url_host(value)
    return ""
