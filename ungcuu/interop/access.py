"""Who may add to an incident by e-mail, judged from the sender's address (the only identity mail has).

A From address can be forged; the receiving mail server's verdict (Authentication-Results: dmarc, spf or
dkim "fail") withdraws every match, and a match only ever lets a message be *added* to an incident's
timeline: nothing is sent back that the incident's gate would not show that address anyway.
"""

from __future__ import annotations

from django.db.models import Q

from ungcuu.accounts.models import User
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import can_see
from ungcuu.organizations.models import FocalPoint


def may_follow_up(address: str, incident: Incident) -> bool:
    """The address reported it, belongs to an account the incident's gate lets in, or is an active focal
    point of the incident's operator or owner (ordinary incidents only: a confidential one is open only
    to named people)."""
    if not address:
        return False
    if incident.reports.filter(reporter_email__iexact=address).exists():
        return True
    users = User.objects.filter(email__iexact=address, is_active=True)
    if any(can_see(user, incident) for user in users[:5]):
        return True
    if incident.confidential:
        return False
    units = [pk for pk in (incident.operator_id, incident.owner_id) if pk]
    return FocalPoint.objects.filter(
        Q(organization_id__in=units), email__iexact=address, is_active=True
    ).exists()


def matching_focal_point(address: str) -> FocalPoint | None:
    """The active focal point with this address (the first one by organization when several share it)."""
    if not address:
        return None
    focal_points = FocalPoint.objects.filter(
        email__iexact=address, is_active=True, organization__is_active=True
    )
    return focal_points.select_related("organization").order_by("organization__name", "pk").first()
