"""What the national instance does with a province's message: keep exactly what was sent up, no more."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ungcuu.federation import statistics
from ungcuu.federation.errors import Refused
from ungcuu.federation.models import MessageKind, NationalIncident, NationalStatistics, NationalUpdate, Peer

if TYPE_CHECKING:
    from ungcuu.federation.inbound import Envelope
    from ungcuu.federation.peers import PeerInfo

STATE_FIELDS = ("status", "status_label", "severity", "category", "title")


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


def _object(data: dict, name: str) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise ValidationError({name: [_("A JSON object is required.")]})
    return value


def _own(peer: PeerInfo, reference: str) -> NationalIncident | None:
    """The province's incident with this reference; refused if another province sent that reference."""
    found = NationalIncident.objects.filter(reference=reference).select_related("province").first()
    if found is not None and found.province.code != peer.code:
        raise Refused(_("This incident was sent by another province."))
    return found


def _stream_matches(envelope: Envelope, reference: str) -> None:
    if envelope.stream != f"incident:{reference}":
        raise ValidationError({"stream": [_("An incident's messages travel on its own stream.")]})


def receive_incident(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    data = _object(envelope.payload, "incident")
    reference = _text(data, "reference", 40, required=True)
    _stream_matches(envelope, reference)
    if _own(peer, reference) is not None:
        raise Refused(_("This incident was already sent up; send its updates instead."))
    incident = NationalIncident.objects.create(
        province=Peer.objects.get(code=peer.code),
        reference=reference,
        escalation=_text(envelope.payload, "reason", 300),
        description=_text(data, "description", 20000),
        confidential=bool(data.get("confidential")),
        tlp=_text(data, "tlp", 15),
        operator=_text(data, "operator", 300),
        system=_text(data, "system", 300),
        detected_at=_when(data, "detected_at"),
        reported_at=_when(data, "reported_at"),
        **_state(data),
    )
    return f"{reference} {incident.title}", reverse("federation:incident", args=[incident.pk])


def _state(data: dict) -> dict:
    return {
        "status": _text(data, "status", 40, required=True),
        "status_label": _text(data, "status_label", 100),
        "severity": _text(data, "severity", 10, required=True),
        "category": _text(data, "category", 60),
        "title": _text(data, "title", 300, required=True),
    }


def _existing(peer: PeerInfo, envelope: Envelope) -> NationalIncident:
    reference = _text(envelope.payload, "reference", 40, required=True)
    _stream_matches(envelope, reference)
    incident = _own(peer, reference)
    if incident is None:
        raise ValidationError({"reference": [_("No incident with this reference was sent up first.")]})
    return incident


def receive_update(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    incident = _existing(peer, envelope)
    entry = _object(envelope.payload, "entry")
    for name, value in _state(_object(envelope.payload, "incident")).items():
        setattr(incident, name, value)
    incident.updated_at = timezone.now()
    incident.save()
    update = NationalUpdate.objects.create(
        incident=incident,
        seq=envelope.seq,
        kind=_text(entry, "kind", 30, required=True),
        kind_label=_text(entry, "kind_label", 100),
        message=_text(entry, "message", 20000),
        at=_when(entry, "at") or timezone.now(),
    )
    return f"{incident.reference}: {update.kind_label or update.kind}", reverse(
        "federation:incident", args=[incident.pk]
    )


def receive_evidence(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    incident = _existing(peer, envelope)
    payload = envelope.payload
    name = _text(payload, "name", 255, required=True)
    digest = _text(payload, "sha256", 64, required=True)
    try:
        content = base64.b64decode(_text(payload, "content", 10**9), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValidationError({"content": [_("Base64 content is required.")]}) from error
    if hashlib.sha256(content).hexdigest() != digest:
        raise ValidationError({"sha256": [_("The content does not match its SHA-256.")]})
    update = NationalUpdate(
        incident=incident,
        seq=envelope.seq,
        kind="evidence",
        kind_label=_("Shared evidence"),
        message=_text(payload, "description", 5000),
        at=_when(payload, "at") or timezone.now(),
        data={"name": name, "sha256": digest, "size": len(content)},
    )
    update.file.save(f"{digest[:16]}-{name.rsplit('/', 1)[-1][:100]}", ContentFile(content), save=False)
    update.save()
    incident.updated_at = timezone.now()
    incident.save(update_fields=["updated_at"])
    return f"{incident.reference}: {name}", reverse("federation:incident", args=[incident.pk])


def receive_statistics(peer: PeerInfo, envelope: Envelope) -> tuple[str, str]:
    parsed = statistics.period_of(_text(envelope.payload, "period", 20, required=True))
    if parsed is None:
        raise ValidationError({"period": [_("Unknown period.")]})
    period = parsed.key  # one spelling per period, so a later sending replaces the earlier one
    figures = statistics.clean_figures(_object(envelope.payload, "figures"))
    NationalStatistics.objects.update_or_create(
        province=Peer.objects.get(code=peer.code),
        period=period,
        defaults={"figures": figures, "received_at": timezone.now()},
    )
    return f"{peer.code} {period}", reverse("federation:received_form05", args=[peer.code, period])


HANDLERS = {
    MessageKind.INCIDENT: receive_incident,
    MessageKind.UPDATE: receive_update,
    MessageKind.EVIDENCE: receive_evidence,
    MessageKind.STATISTICS: receive_statistics,
}
