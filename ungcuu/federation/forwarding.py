"""Province → national: what the law sends up, written to the outbox in the transaction of the change.

An incident is sent up when emergency reporting starts (serious, or beyond the operator's capacity: QĐ05
Art. 11.1a) or when the province asks the national coordinator for support (S4 Art. 7.1d); from then on
its timeline's reportable entries follow it, in order. Internal notes, tasks, notifications and e-mails
stay in the province; evidence goes up only when the coordinator shares it (`services.share_evidence`).
Incidents on BQP/BCA systems are outside QĐ05 and never leave.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ungcuu.federation import outbox, peers
from ungcuu.federation.models import ForwardedIncident, MessageKind
from ungcuu.incidents.models import Incident, TimelineEvent

Kind = TimelineEvent.Kind
ESCALATING = {Kind.EMERGENCY, Kind.SUPPORT_REQUEST}
FORWARDED_KINDS = {
    Kind.STATUS,
    Kind.CLASSIFIED,
    Kind.PROGRESS,
    Kind.PLAN,
    Kind.DIRECTION_REQUEST,
    Kind.DIRECTION,
    Kind.COORDINATION,
    Kind.EMERGENCY,
    Kind.SUPPORT_REQUEST,
    Kind.CLOSING_REPORT,
    Kind.MERGED,
}
# Marks a timeline entry written from a national message: it is not sent back up.
FROM_NATIONAL = "from_national"


def timeline_recorded(event: TimelineEvent) -> None:
    """Called by `incidents.timeline.record` for every entry, inside the change's transaction."""
    peer = peers.national()
    if peer is None or event.data.get(FROM_NATIONAL):
        return
    incident = event.incident
    forwarded = ForwardedIncident.objects.filter(incident_id=incident.pk).first()
    if forwarded is None:
        if event.kind in ESCALATING and not (incident.system and incident.system.outside_qd05):
            escalate(incident, destination=peer.code, reason=event.message)
        return
    if event.kind in FORWARDED_KINDS:
        send_update(incident, event, destination=forwarded.destination)


def escalate(incident: Incident, *, destination: str, reason: str) -> None:
    """Start forwarding: the incident as it stands now is the first message of its stream."""
    ForwardedIncident.objects.create(incident=incident, destination=destination)
    outbox.put(
        destination=destination,
        stream=outbox.incident_stream(incident.reference),
        kind=MessageKind.INCIDENT,
        payload={"incident": snapshot(incident), "reason": reason},
        summary=label(incident),
        incident=incident,
    )


def send_update(incident: Incident, event: TimelineEvent, *, destination: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(Kind(event.kind).label)
    outbox.put(
        destination=destination,
        stream=outbox.incident_stream(incident.reference),
        kind=MessageKind.UPDATE,
        payload={
            "reference": incident.reference,
            "entry": {"kind": event.kind, "kind_label": kind_label, "message": event.message, "at": event.at},
            "incident": state(incident),
        },
        summary=f"{incident.reference}: {kind_label}",
        incident=incident,
    )


def label(incident: Incident) -> str:
    """How the outbox names the incident to every coordinator: a confidential one by its reference only
    (its title is for its reporters and handlers, DOMAIN.md §i)."""
    return incident.reference if incident.confidential else f"{incident.reference} {incident.title}"


def state(incident: Incident) -> dict:
    """The fields an update may change, so the national copy always shows the current state."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "status": incident.status,
            "status_label": str(incident.get_status_display()),
            "severity": incident.severity,
            "category": incident.category,
            "title": incident.title,
        }


def snapshot(incident: Incident) -> dict:
    """What the national coordinator receives of the incident (the fields of the emergency report)."""
    return {
        **state(incident),
        "reference": incident.reference,
        "description": incident.description,
        "confidential": incident.confidential,
        "tlp": incident.tlp,
        "operator": str(incident.operator or ""),
        "system": str(incident.system or ""),
        "detected_at": incident.detected_at,
        "reported_at": incident.reported_at,
    }
