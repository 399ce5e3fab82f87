"""Appending to an incident's timeline: the one low-level helper every app may import without cycles."""

from __future__ import annotations

from typing import Any

from ungcuu.federation import forwarding
from ungcuu.incidents.models import Incident, TimelineEvent


def record(incident: Incident, kind: str, *, actor=None, message: str = "", **data: Any) -> TimelineEvent:
    """Append one timeline entry (the incident's audit row); an escalated incident's entry also goes to
    the national instance's outbox in the same transaction (federation.forwarding)."""
    event = TimelineEvent.objects.create(
        incident=incident, kind=kind, actor=actor, message=message, data=data
    )
    forwarding.timeline_recorded(event)
    return event


def record_many(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Append several composed entries in one INSERT, in their order (each forwarded as `record` does)."""
    if events:
        TimelineEvent.objects.bulk_create(events)
    for event in events:
        forwarding.timeline_recorded(event)
    return events
