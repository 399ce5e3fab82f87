"""Indicators of compromise on advisories and incidents, and "seen before": where else one turned up.

Adding an indicator normalises it (validators.py), stores it once per (kind, value), links it, and answers
with the other incidents and advisories that carry it, each filtered through its own tenancy gate: a unit
learns of a sighting only where it could open the sighting anyway, and never how many it cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ungcuu.advisories.access import can_add_to_incident, can_write
from ungcuu.advisories.audit import log_event
from ungcuu.advisories.models import (
    Advisory,
    AdvisoryEvent,
    AdvisoryIndicator,
    IncidentIndicator,
    Indicator,
    Status,
)
from ungcuu.advisories.validators import normalize_indicator
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.organizations import access


@dataclass
class Sightings:
    """Where an indicator was seen, limited to what the asking user may open."""

    incidents: list[Incident] = field(default_factory=list)
    advisories: list[Advisory] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.incidents or self.advisories)


@dataclass
class IndicatorResult:
    """What `add_indicator` did: the row, whether it is new to the actor or to this object, sightings.

    `created` means "new to everything the actor may open", not "new to the platform": an indicator
    known only from incidents or advisories hidden from the actor must not reveal that they exist.
    """

    indicator: Indicator
    created: bool
    attached: bool
    seen_before: Sightings


def _require_may_attach(actor, advisory: Advisory | None, incident: Incident | None) -> None:
    if advisory is None and incident is None:
        raise ValidationError(_("Attach the indicator to an advisory or an incident."))
    if advisory is not None:
        access.require(can_write(actor))
        advisory.require_status(Status.DRAFT, Status.PUBLISHED)
    if incident is not None:
        access.require(can_add_to_incident(actor, incident))


# --- services -----------------------------------------------------------------------------------------


@transaction.atomic
def add_indicator(
    *,
    actor,
    value: str,
    kind: str | None = None,
    advisory: Advisory | None = None,
    incident: Incident | None = None,
    note: str = "",
) -> IndicatorResult:
    """Attach an indicator (its kind detected when not given) and say where it was seen before."""
    _require_may_attach(actor, advisory, incident)
    try:
        kind, canonical = normalize_indicator(kind or None, value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    known = Indicator.objects.visible_to(actor).filter(kind=kind, value=canonical).exists()
    indicator, _created = Indicator.objects.get_or_create(
        kind=kind, value=canonical, defaults={"created_by": actor}
    )
    attached = False
    if advisory is not None:
        attached |= _link_advisory(actor, advisory, indicator)
    if incident is not None:
        attached |= _link_incident(actor, incident, indicator, note)
    sightings = seen_before(actor, indicator, advisory=advisory, incident=incident)
    return IndicatorResult(indicator, not known, attached, sightings)


def _link_advisory(actor, advisory: Advisory, indicator: Indicator) -> bool:
    _link, created = AdvisoryIndicator.objects.get_or_create(
        advisory=advisory, indicator=indicator, defaults={"added_by": actor}
    )
    if created:
        log_event(
            advisory,
            AdvisoryEvent.Kind.INDICATOR_ADDED,
            actor=actor,
            indicator_id=indicator.pk,
            value=indicator.value,
        )
    return created


def _link_incident(actor, incident: Incident, indicator: Indicator, note: str) -> bool:
    _link, created = IncidentIndicator.objects.get_or_create(
        incident=incident,
        indicator=indicator,
        defaults={"added_by": actor, "note": (note or "").strip()[:300]},
    )
    if created:
        _record(incident, actor, indicator, gettext_noop("Indicator added: %(kind)s %(value)s"))
    return created


def _record(incident: Incident, actor, indicator: Indicator, text: str) -> None:
    """The incident's audit row, in the platform's language: everyone who sees the incident reads it."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _(text) % {"kind": indicator.get_kind_display(), "value": indicator.value}
    record(incident, TimelineEvent.Kind.NOTE, actor=actor, message=message, indicator_id=indicator.pk)


@transaction.atomic
def remove_indicator(
    *, actor, indicator: Indicator, advisory: Advisory | None = None, incident: Incident | None = None
) -> None:
    """Detach an indicator entered by mistake; the indicator row and the audit rows stay."""
    _require_may_attach(actor, advisory, incident)
    if (
        advisory is not None
        and AdvisoryIndicator.objects.filter(advisory=advisory, indicator=indicator).delete()[0]
    ):
        log_event(
            advisory,
            AdvisoryEvent.Kind.INDICATOR_REMOVED,
            actor=actor,
            indicator_id=indicator.pk,
            value=indicator.value,
        )
    if (
        incident is not None
        and IncidentIndicator.objects.filter(incident=incident, indicator=indicator).delete()[0]
    ):
        _record(incident, actor, indicator, gettext_noop("Indicator removed: %(kind)s %(value)s"))


# --- lookups ------------------------------------------------------------------------------------------


def seen_before(
    user, indicator: Indicator, *, advisory: Advisory | None = None, incident: Incident | None = None
) -> Sightings:
    """The other incidents and advisories carrying `indicator` that `user` may open, newest first."""
    incidents = (
        Incident.objects.visible_to(user)
        .filter(pk__in=IncidentIndicator.objects.filter(indicator=indicator).values("incident"))
        .order_by("-reported_at", "-id")
    )
    advisories = (
        Advisory.objects.visible_to(user)
        .filter(pk__in=AdvisoryIndicator.objects.filter(indicator=indicator).values("advisory"))
        .order_by("-created_at", "-id")
    )
    if incident is not None:
        incidents = incidents.exclude(pk=incident.pk)
    if advisory is not None:
        advisories = advisories.exclude(pk=advisory.pk)
    return Sightings(list(incidents), list(advisories))


def sightings_by_indicator(user, indicators) -> dict[int, Sightings]:
    """`seen_before` for a list of indicators (the search page and the fragments), one call each."""
    return {indicator.pk: seen_before(user, indicator) for indicator in indicators}
