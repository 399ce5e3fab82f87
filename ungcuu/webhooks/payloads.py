"""What a delivery says, built at delivery time from the object as it is then, for one organisation.

Each object type has one builder; a builder is only called after `access.readable` said the organisation
may read the object, and names a related object (the incident of a request) only if it may read that too.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from ungcuu.advisories.models import Advisory
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents.models import Incident
from ungcuu.obligations.models import Occurrence
from ungcuu.organizations.models import Organization
from ungcuu.webhooks.access import readable
from ungcuu.webhooks.models import Delivery, Event

# Which model each event is about: the fan-out and the builder look the object up through this table.
EVENT_MODELS: dict[str, type[models.Model]] = {
    Event.INCIDENT_REPORTED: Incident,
    Event.INCIDENT_CHANGED: Incident,
    Event.ADVISORY_PUBLISHED: Advisory,
    Event.REQUEST_ANSWERED: CoordinationRequest,
    Event.OBLIGATION_OVERDUE: Occurrence,
}
MAX_TEXT = 4000


def body(delivery: Delivery, obj: models.Model) -> bytes:
    """The JSON document sent (compact, UTF-8, keys sorted: the signature covers these exact bytes)."""
    organization = delivery.subscription.organization
    document = {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "occurred_at": _when(delivery.occurred_at),
        "organization": organization.code,
        "data": BUILDERS[type(obj)](obj, organization),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _when(moment: datetime.datetime | datetime.date | None) -> str | None:
    return moment.isoformat() if moment else None


def _url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _org(organization: Organization | None) -> dict | None:
    return {"code": organization.code, "name": organization.name} if organization else None


def _text(value: str) -> str:
    return value[:MAX_TEXT]


def _incident(incident: Incident, organization: Organization) -> dict[str, Any]:
    return {
        "type": "incident",
        "reference": incident.reference,
        "title": incident.title,
        "description": _text(incident.description),
        "status": incident.status,
        "category": incident.category,
        "severity": incident.severity,
        "tlp": incident.tlp,
        "operator": _org(incident.operator),
        "owner": _org(incident.owner),
        "detected_at": _when(incident.detected_at),
        "reported_at": _when(incident.reported_at),
        "closed_at": _when(incident.closed_at),
        "url": _url(reverse("incidents:detail", args=[incident.pk])),
    }


def _advisory(advisory: Advisory, organization: Organization) -> dict[str, Any]:
    return {
        "type": "advisory",
        "reference": advisory.reference,
        "title": advisory.title,
        "summary": _text(advisory.summary),
        "recommended_actions": _text(advisory.recommended_actions),
        "cve_ids": list(advisory.cve_ids),
        "tlp": advisory.tlp,
        "deadline": _when(advisory.deadline),
        "published_at": _when(advisory.published_at),
        "issuer": _org(advisory.issuer),
        "url": _url(advisory.get_absolute_url()),
    }


def _request(request: CoordinationRequest, organization: Organization) -> dict[str, Any]:
    incident = request.incident
    return {
        "type": "coordination_request",
        "reference": request.reference,
        "kind": request.kind,
        "status": request.status,
        "outcome": request.outcome,
        "answer": _text(request.answer),
        "answered_at": _when(request.answered_at),
        "deadline": _when(request.deadline),
        "issuer": _org(request.issuer),
        "recipient": _org(request.recipient),
        # The incident only by reference, and only if the organisation may read it on its own.
        "incident": incident.reference if readable(organization, incident) else None,
        "url": _url(request.get_absolute_url()),
    }


def _occurrence(occurrence: Occurrence, organization: Organization) -> dict[str, Any]:
    definition = occurrence.definition
    return {
        "type": "obligation_occurrence",
        "obligation": definition.code,
        "title": definition.title_vi or definition.title_en,
        "legal_source": definition.source,
        "organization": _org(occurrence.organization),
        "system": occurrence.system.name if occurrence.system else None,
        "period_start": _when(occurrence.period_start),
        "due_on": _when(occurrence.due_on),
        "status": occurrence.status,
        "url": _url(occurrence.get_absolute_url()),
    }


BUILDERS: dict[type[models.Model], Callable[[Any, Organization], dict[str, Any]]] = {
    Incident: _incident,
    Advisory: _advisory,
    CoordinationRequest: _request,
    Occurrence: _occurrence,
}
