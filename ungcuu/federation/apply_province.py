"""What a province does with the national instance's message: each arrives as the province's own object,
through the province's services (a coordination request, a draft advisory, a direction on the incident)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.advisories.services import create_advisory
from ungcuu.coordination.models import RequestKind
from ungcuu.coordination.services import send_request
from ungcuu.federation.errors import Refused
from ungcuu.federation.forwarding import FROM_NATIONAL
from ungcuu.federation.models import ForwardedIncident, MessageKind
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.organizations.models import Kind, Organization

if TYPE_CHECKING:
    from ungcuu.federation.inbound import Envelope
    from ungcuu.federation.peers import PeerInfo


def _text(data: dict, name: str, limit: int, *, required: bool = False) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise ValidationError({name: [_("Text of at most %(n)s characters is required.") % {"n": limit}]})
    return value


def _when(data: dict, name: str):
    value = data.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if value is not None and parsed is None:
        raise ValidationError({name: [_("An ISO 8601 date and time is required.")]})
    return parsed


def federation_account(peer: PeerInfo) -> User:
    """The account the national instance's acts are recorded under: a coordinator that cannot sign in
    (no usable password, no token), so the province's own services and their checks apply unchanged."""
    user, created = User.objects.get_or_create(
        username=f"federation-{peer.code}".lower(),
        defaults={"first_name": peer.name[:150], "platform_role": User.PlatformRole.COORDINATOR},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def national_body(peer: PeerInfo) -> Organization:
    """The registry's national coordinator (DOMAIN.md §a), registered on first contact if missing."""
    body = Organization.objects.filter(kind=Kind.NATIONAL_COORDINATOR, is_active=True).order_by("pk").first()
    return body or Organization.objects.create(
        code=f"federation-{peer.code}".lower()[:50], name=peer.name, kind=Kind.NATIONAL_COORDINATOR
    )


def _own_incident(envelope: Envelope) -> Incident:
    """Only an incident this province sent up may be acted on from above."""
    reference = _text(envelope.payload, "reference", 40, required=True)
    if envelope.stream != f"incident:{reference}":
        raise ValidationError({"stream": [_("An incident's messages travel on its own stream.")]})
    forwarded = ForwardedIncident.objects.filter(incident__reference=reference).select_related("incident")
    found = forwarded.first()
    if found is None:
        raise Refused(_("This province sent no incident with this reference."))
    return found.incident


def receive_status(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    """The national coordinator's status of the incident (received, under national direction, closed at
    national level), written on the incident's timeline as a direction from above."""
    incident = _own_incident(envelope)
    status = _text(envelope.payload, "status", 200, required=True)
    note = _text(envelope.payload, "note", 5000)
    message = _("%(body)s: %(status)s") % {"body": peer.name, "status": status}
    record(
        incident,
        TimelineEvent.Kind.DIRECTION,
        actor=federation_account(peer),
        message=f"{message}\n{note}".strip(),
        **{FROM_NATIONAL: True, "national_status": status},
    )
    return f"{incident.reference}: {status}", reverse("incidents:detail", args=[incident.pk])


def receive_request(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    """A coordination request from the national coordinator to the province's specialised unit."""
    incident = _own_incident(envelope)
    unit = Organization.objects.filter(kind=Kind.SPECIALISED_UNIT, is_active=True).order_by("pk").first()
    if unit is None:
        raise ValidationError(_("This province has no specialised unit registered to receive requests."))
    request = send_request(
        actor=federation_account(peer),
        incident=incident,
        recipient=unit,
        kind=RequestKind.OTHER,
        required_actions=_text(envelope.payload, "required_actions", 5000, required=True),
        deadline=_when(envelope.payload, "deadline"),
        confidential=bool(envelope.payload.get("confidential")),
        issuer=national_body(peer),
    )
    return f"{request.reference}: {request.required_actions[:200]}", request.get_absolute_url()


def receive_advisory(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    """A national warning becomes a draft advisory of the province, issued by the national coordinator;
    the province's coordinator chooses its targets and publishes it to its units."""
    payload = envelope.payload
    cves = payload.get("cve_ids", [])
    if not isinstance(cves, list) or not all(isinstance(c, str) for c in cves):
        raise ValidationError({"cve_ids": [_("A list of CVE identifiers is required.")]})
    advisory = create_advisory(
        actor=federation_account(peer),
        title=_text(payload, "title", 300, required=True),
        summary=_text(payload, "summary", 20000, required=True),
        recommended_actions=_text(payload, "recommended_actions", 20000),
        deadline=_when(payload, "deadline"),
        tlp=_text(payload, "tlp", 15) or "AMBER",
        cve_ids=cves,
        dispatch_number=_text(payload, "dispatch_number", 100),
        issuer=national_body(peer),
    )
    return f"{advisory.reference} {advisory.title}", advisory.get_absolute_url()


HANDLERS = {
    MessageKind.STATUS: receive_status,
    MessageKind.REQUEST: receive_request,
    MessageKind.ADVISORY: receive_advisory,
}
