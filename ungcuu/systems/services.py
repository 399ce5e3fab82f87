"""Registry changes that carry rules: registration, edits, and the level dossier's decisions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.obligations import services as obligation_services
from ungcuu.organizations.access import require
from ungcuu.systems import access
from ungcuu.systems.models import InformationSystem, InvalidTransition, SoftwareProduct, SystemEvent

State = InformationSystem.DossierState


def _replace_software(system: InformationSystem, software: Iterable[dict] | None) -> None:
    if software is None:
        return
    system.software.all().delete()
    SoftwareProduct.objects.bulk_create(
        [SoftwareProduct(system=system, **item) for item in software if item.get("product")]
    )


@transaction.atomic
def register_system(
    *, actor, software: Iterable[dict] | None = None, contacts=None, **fields
) -> InformationSystem:
    """A unit registers a system; its proposed level awaits appraisal by the specialised unit."""
    system = InformationSystem(**fields, dossier_state=State.PROPOSED)
    require(
        access.can_register_system(actor, system.owner) or access.can_register_system(actor, system.operator)
    )
    system.full_clean()
    system.save()
    if contacts is not None:
        system.contacts.set(contacts)
    _replace_software(system, software)
    SystemEvent.objects.create(
        system=system,
        kind=SystemEvent.Kind.REGISTERED,
        actor=actor,
        data={"security_level": system.security_level},
    )
    return system


@transaction.atomic
def update_system(
    *, actor, system: InformationSystem, software: Iterable[dict] | None = None, contacts=None, **fields
) -> InformationSystem:
    """Edit the technical profile; a new level re-opens the dossier (re-determination, NĐ85 Art. 18)."""
    require(access.can_edit_system(actor, system))
    old_level = (
        InformationSystem.objects.select_for_update()
        .values_list("security_level", flat=True)
        .get(pk=system.pk)
    )
    for name, value in fields.items():
        setattr(system, name, value)
    level_changed = system.security_level != old_level
    if level_changed:
        system.dossier_state, system.decision_number, system.decision_date = State.PROPOSED, "", None
    system.full_clean()
    system.save()
    if contacts is not None:
        system.contacts.set(contacts)
    _replace_software(system, software)
    kind = SystemEvent.Kind.LEVEL_CHANGED if level_changed else SystemEvent.Kind.UPDATED
    SystemEvent.objects.create(
        system=system,
        kind=kind,
        actor=actor,
        data={"from": old_level, "to": system.security_level} if level_changed else {},
    )
    if level_changed:  # re-determining the level is a duty with its own deadline (NĐ85 Art. 18)
        obligation_services.notify_level_change(system=system, on=timezone.localdate(), actor=actor)
    return system


def _move(system: InformationSystem, state: str) -> None:
    if not system.can_transition_to(state):
        raise InvalidTransition(
            _("A dossier in state “%(from)s” cannot become “%(to)s”.")
            % {"from": system.get_dossier_state_display(), "to": State(state).label}
        )
    system.dossier_state = state


@transaction.atomic
def appraise_dossier(*, actor, system: InformationSystem, note: str = "") -> InformationSystem:
    """The specialised unit records its appraisal opinion on the proposed level."""
    require(access.can_decide_level(actor, system))
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    _move(system, State.APPRAISED)
    system.appraisal_note = note
    system.save()
    SystemEvent.objects.create(system=system, kind=SystemEvent.Kind.APPRAISED, note=note, actor=actor)
    return system


@transaction.atomic
def approve_level(
    *, actor, system: InformationSystem, decision_number: str, decision_date: datetime.date, note: str = ""
) -> InformationSystem:
    """Approval of the level, with the decision that approves it."""
    require(access.can_decide_level(actor, system))
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    _move(system, State.APPROVED)
    system.decision_number, system.decision_date = decision_number.strip(), decision_date
    system.full_clean()
    system.save()
    SystemEvent.objects.create(
        system=system,
        kind=SystemEvent.Kind.APPROVED,
        note=note,
        actor=actor,
        data={"decision_number": system.decision_number, "decision_date": decision_date.isoformat()},
    )
    obligation_services.record_fulfilment(
        actor=actor,
        code="LEVEL_DOSSIER",
        organization=system.operator,
        system=system,
        on=timezone.localdate(),
        evidence_kind="other",
        note=system.decision_number,
    )
    return system


@transaction.atomic
def return_dossier(*, actor, system: InformationSystem, note: str) -> InformationSystem:
    """Send an appraised or approved dossier back to 'proposed' with the reason."""
    require(access.can_decide_level(actor, system))
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    _move(system, State.PROPOSED)
    system.decision_number, system.decision_date = "", None
    system.save()
    SystemEvent.objects.create(system=system, kind=SystemEvent.Kind.RETURNED, note=note, actor=actor)
    return system
