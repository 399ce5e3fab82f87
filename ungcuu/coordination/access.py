"""Who may send, answer and close coordination requests (services, views, API and templates share these).

Reading is decided by `CoordinationRequest.objects.visible_to(user)`.
"""

from __future__ import annotations

from ungcuu.coordination.models import CoordinationRequest
from ungcuu.organizations.access import has_role, is_coordinator
from ungcuu.organizations.models import Membership


def can_send(user) -> bool:
    """Issuing a coordination request is the specialised unit's act (S4 Art. 7)."""
    return is_coordinator(user)


def can_respond(user, request: CoordinationRequest) -> bool:
    """Acknowledging, answering and declining speak for the recipient: its responders and managers."""
    return has_role(user, request.recipient, Membership.Role.RESPONDER)


def can_close(user, request: CoordinationRequest) -> bool:
    """Completing or cancelling a request is the issuer's decision."""
    return is_coordinator(user)
