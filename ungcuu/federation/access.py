"""Who may see and act on federation pages: the province's coordinators, the national instance's staff."""

from __future__ import annotations

from ungcuu.federation import peers
from ungcuu.organizations.access import is_coordinator


def is_national_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_national or user.is_superuser))


def can_see_federation(user) -> bool:
    """The outbox and inbox pages: the coordinators of a province, the national staff of the national."""
    return is_national_staff(user) if peers.is_national() else is_coordinator(user)


def can_send_up(user) -> bool:
    """Sharing evidence, sending statistics, retrying a refused message: the province's coordinator."""
    return not peers.is_national() and is_coordinator(user)


def can_send_down(user) -> bool:
    """Status changes, requests and advisories to the provinces: the national instance's staff."""
    return peers.is_national() and is_national_staff(user)
