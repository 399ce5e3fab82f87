"""Writing an advisory's audit row: the one low-level helper the advisory and indicator services share."""

from __future__ import annotations

from typing import Any

from ungcuu.advisories.models import Advisory, AdvisoryEvent, AdvisoryTarget


def log_event(
    advisory: Advisory,
    kind: str,
    *,
    actor=None,
    target: AdvisoryTarget | None = None,
    message: str = "",
    **data: Any,
) -> AdvisoryEvent:
    """Append one audit row to the advisory's history."""
    return AdvisoryEvent.objects.create(
        advisory=advisory, target=target, kind=kind, actor=actor, message=message, data=data
    )
