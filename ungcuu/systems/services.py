"""Registry changes that carry rules: registration, edits, and the level dossier's decisions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.obligations import services as obligation_services
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Kind, Organization
from ungcuu.systems import access
from ungcuu.systems.models import InformationSystem, SoftwareProduct, SystemEvent

State = InformationSystem.DossierState


def _replace_software(system: InformationSystem, software: Iterable[dict] | None) -> None:
    if software is None:
        return
    system.software.all().delete()
    SoftwareProduct.objects.bulk_create(
        [SoftwareProduct(system=system, **item) for item in software if item.get("product")]
    )


def possible_owners(user, system: InformationSystem | None = None):
    """Who may own a system the user registers or edits: an active organization the user sees or any
    owning body (provincial People's Committee), and the system's current owner and operator."""
    current = [pk for pk in (system.owner_id, system.operator_id) if pk] if system is not None else []
    visible = Organization.objects.visible_to(user).values("pk")
    owning_body = Q(kind=Kind.PROVINCE_PC)
    return Organization.objects.filter(is_active=True).filter(
        Q(pk__in=visible) | owning_body | Q(pk__in=current)
    )


def _check_owner(actor, system: InformationSystem, before: InformationSystem | None = None) -> None:
    if system.owner_id and not possible_owners(actor, before).filter(pk=system.owner_id).exists():
        raise ValidationError({"owner": _("Choose an owning body or an organization you see.")})


@transaction.atomic
def register_system(
    *, actor, software: Iterable[dict] | None = None, contacts=None, **fields
) -> InformationSystem:
    """A unit registers a system; its proposed level awaits appraisal by the specialised unit."""
    system = InformationSystem(**fields, dossier_state=State.PROPOSED)
    require(
        access.can_register_system(actor, system.owner) or access.can_register_system(actor, system.operator)
    )
    _check_owner(actor, system)
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
    before = InformationSystem.objects.get(pk=system.pk)
    if "last_drill_on" in fields and fields["last_drill_on"] != before.last_drill_on:
        # One source of truth for the last drill (obligations/drills.py): held drills and the obligation's
        # evidence move it; typing a date over it would make the registry and the obligation disagree.
        raise ValidationError(
            {
                "last_drill_on": _(
                    "The last drill is recorded by holding a live-fire drill or by the drill "
                    "obligation's evidence, not edited here."
                )
            }
        )
    for name, value in fields.items():
        setattr(system, name, value)
    _check_owner(actor, system, before)
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
    system.check_transition(state)
    system.dossier_state = state


@transaction.atomic
def appraise_dossier(*, actor, system: InformationSystem, note: str = "") -> InformationSystem:
    """The specialised unit records its appraisal opinion on the proposed level."""
    require(access.can_decide_level(actor, system))
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    _move(system, State.APPRAISED)
    if access.appraisal_needs_reference(system) and not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "Level %(level)s is appraised by %(body)s (Decree 85/2016 Art. 12): enter the number and "
                    "date of its appraisal document."
                )
                % {"level": system.security_level, "body": access.authority_name(access.MINISTRY, system)}
            }
        )
    system.appraisal_note = note
    system.appraised_by = access.authority_name(access.dossier_authority(system)[0], system)
    system.save()
    SystemEvent.objects.create(
        system=system,
        kind=SystemEvent.Kind.APPRAISED,
        note=note,
        actor=actor,
        data={"by": system.appraised_by},
    )
    return system


@transaction.atomic
def approve_level(
    *,
    actor,
    system: InformationSystem,
    decision_number: str,
    decision_date: datetime.date,
    note: str = "",
    from_record: bool = False,
) -> InformationSystem:
    """Approval of the level, with the decision that approves it, by the body the law names for the level
    (DOMAIN.md §b, NĐ85 Art. 12; `access.can_approve_level`).

    `from_record`: the decision was issued before the platform and is copied from the province's registry
    (the onboarding import, coordinators only): the specialised unit records the competent body's decision by
    its number and date, it does not approve in that body's place."""
    if from_record:
        require(access.can_decide_level(actor, system))
    else:
        access.require_approval_authority(actor, system)
    system = InformationSystem.objects.select_for_update().get(pk=system.pk)
    _move(system, State.APPROVED)
    system.decision_number, system.decision_date = decision_number.strip(), decision_date
    system.approved_by = access.authority_name(access.dossier_authority(system)[1], system)
    system.full_clean()
    system.save()
    SystemEvent.objects.create(
        system=system,
        kind=SystemEvent.Kind.APPROVED,
        note=note,
        actor=actor,
        data={
            "decision_number": system.decision_number,
            "decision_date": decision_date.isoformat(),
            "by": system.approved_by,
        },
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
    system.appraised_by = system.approved_by = ""
    system.save()
    SystemEvent.objects.create(system=system, kind=SystemEvent.Kind.RETURNED, note=note, actor=actor)
    return system
