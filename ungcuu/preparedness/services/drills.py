"""Drills: plan, record as held (a live-fire drill fulfils CT18 per system), cancel; findings and their
follow-up actions, tracked until closed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.core.errors import InvalidTransition
from ungcuu.notifications.services import notify
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access
from ungcuu.preparedness.models import (
    Drill,
    DrillFinding,
    DrillStatus,
    FollowUpAction,
    FollowUpStatus,
    PreparednessEvent,
    Scenario,
)
from ungcuu.preparedness.services.common import (
    Errors,
    add_error,
    clean_model,
    fill,
    ids_of,
    locked,
    log,
    note_live_fire_drill,
    raise_if,
    today,
)
from ungcuu.systems.models import InformationSystem

Event = PreparednessEvent.Kind
DRILL_FIELDS = ("title", "kind", "scheduled_on", "scenario", "objectives")


@transaction.atomic
def create_drill(
    *,
    actor,
    organization: Organization,
    title: str,
    kind: str,
    scheduled_on: datetime.date,
    participants: Iterable[Organization] = (),
    systems: Iterable[InformationSystem] = (),
    scenario: Scenario | None = None,
    objectives: str = "",
    held: bool = False,
    held_on: datetime.date | None = None,
    summary: str = "",
) -> Drill:
    """Plan a drill, or record one already held in the same step."""
    require(access.manages(actor, organization))
    drill = Drill(organization=organization, created_by=actor)
    _fill(
        drill,
        {
            "title": title,
            "kind": kind,
            "scheduled_on": scheduled_on,
            "scenario": scenario,
            "objectives": objectives,
        },
    )
    links = _checked(actor, drill, participants, systems)
    if held and (held_on or scheduled_on) and (held_on or scheduled_on) > today():
        raise_if({"scheduled_on": [_("A drill cannot be recorded as held on a future date.")]})
    drill.save()
    drill.participants.set(links["participants"])
    drill.systems.set(links["systems"])
    log(Event.DRILL_PLANNED, actor=actor, subject=drill, organization=organization, message=drill.title)
    if held:
        _hold(actor, drill, held_on or scheduled_on, summary)
    else:
        _announce(actor, drill, "planned")
    return drill


@transaction.atomic
def update_drill(
    *,
    actor,
    drill: Drill,
    participants: Iterable[Organization] | None = None,
    systems: Iterable[InformationSystem] | None = None,
    **fields,
) -> Drill:
    """Change a planned drill; a held or cancelled one is a record."""
    drill = locked(drill)
    require(access.can_edit_drill(actor, drill))
    if drill.status != DrillStatus.PLANNED:
        raise InvalidTransition(
            _("A held or cancelled drill is a record; add findings instead of editing it.")
        )
    _fill(drill, fields)
    links = _checked(
        actor,
        drill,
        drill.participants.all() if participants is None else participants,
        drill.systems.all() if systems is None else systems,
    )
    drill.save()
    drill.participants.set(links["participants"])
    drill.systems.set(links["systems"])
    log(Event.DRILL_UPDATED, actor=actor, subject=drill, organization=drill.organization, message=drill.title)
    return drill


@transaction.atomic
def record_drill(*, actor, drill: Drill, held_on: datetime.date | None = None, summary: str = "") -> Drill:
    """A planned drill took place: record when and what it showed."""
    drill = locked(drill)
    require(access.can_edit_drill(actor, drill))
    if not drill.can_transition_to(DrillStatus.HELD):
        raise InvalidTransition(_("Only a planned drill can be recorded as held."))
    held_on = held_on or min(drill.scheduled_on, today())
    if held_on > today():
        raise_if({"held_on": [_("A drill cannot be recorded as held on a future date.")]})
    _hold(actor, drill, held_on, summary)
    return drill


@transaction.atomic
def cancel_drill(*, actor, drill: Drill, reason: str) -> Drill:
    """Call off a planned drill; the reason is kept and the participants are told."""
    drill = locked(drill)
    require(access.can_edit_drill(actor, drill))
    if not drill.can_transition_to(DrillStatus.CANCELLED):
        raise InvalidTransition(_("Only a planned drill can be cancelled."))
    if not (reason or "").strip():
        raise_if({"reason": [_("Say why the drill is cancelled.")]})
    drill.status, drill.cancel_reason = DrillStatus.CANCELLED, reason.strip()
    drill.save()
    log(
        Event.DRILL_CANCELLED,
        actor=actor,
        subject=drill,
        organization=drill.organization,
        message=drill.cancel_reason,
    )
    _announce(actor, drill, "cancelled")
    return drill


@transaction.atomic
def add_finding(
    *,
    actor,
    drill: Drill,
    title: str,
    severity: str = DrillFinding.Severity.MEDIUM,
    description: str = "",
    follow_ups: Iterable[dict] = (),
) -> DrillFinding:
    """Record what a held drill revealed, with the actions that will fix it."""
    drill = locked(drill)
    require(access.can_edit_drill(actor, drill))
    if drill.status != DrillStatus.HELD:
        raise InvalidTransition(_("Findings are recorded once the drill has been held."))
    finding = DrillFinding(
        drill=drill,
        title=(title or "").strip(),
        severity=severity,
        description=(description or "").strip(),
        created_by=actor,
    )
    errors: Errors = {}
    clean_model(finding, errors, exclude=["drill", "created_by"])
    raise_if(errors)
    finding.save()
    log(
        Event.FINDING_ADDED,
        actor=actor,
        subject=drill,
        organization=drill.organization,
        message=finding.title,
    )
    for action in follow_ups:
        _add_follow_up(actor, finding, **action)
    return finding


@transaction.atomic
def add_follow_up(
    *, actor, finding: DrillFinding, description: str, owner: Organization, due_on: datetime.date
) -> FollowUpAction:
    """Give a finding one more action, owned by an organization, due by a date."""
    require(access.can_edit_drill(actor, finding.drill))
    return _add_follow_up(actor, finding, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def close_follow_up(
    *, actor, action: FollowUpAction, note: str = "", done_on: datetime.date | None = None
) -> FollowUpAction:
    """The owner reports the action done; it leaves the list of open follow-ups."""
    action = (
        FollowUpAction.objects.select_for_update(of=("self",))
        .select_related("finding__drill__organization", "owner")
        .get(pk=action.pk)
    )
    require(access.can_close_follow_up(actor, action))
    if action.status == FollowUpStatus.DONE:
        raise InvalidTransition(_("This action is already closed."))
    done_on = done_on or today()
    drill = action.finding.drill
    if done_on > today():
        raise_if({"done_on": [_("The completion date cannot be in the future.")]})
    if drill.held_on and done_on < drill.held_on:
        raise_if({"done_on": [_("An action cannot be completed before the drill that called for it.")]})
    action.status, action.done_on, action.done_by = FollowUpStatus.DONE, done_on, actor
    action.closing_note = (note or "").strip()
    action.save()
    log(
        Event.FOLLOW_UP_DONE,
        actor=actor,
        subject=drill,
        organization=action.owner,
        message=action.description,
        action=action.pk,
    )
    return action


# --- helpers ----------------------------------------------------------------------------------------


def _fill(drill: Drill, fields: dict) -> None:
    fill(drill, fields, DRILL_FIELDS)


def _checked(actor, drill: Drill, participants, systems) -> dict[str, list[int]]:
    """Validate a drill and its links: systems the actor cannot see are refused without being named."""
    errors: Errors = {}
    clean_model(drill, errors, exclude=["organization", "created_by", "scenario"])
    links = {"participants": ids_of(participants), "systems": ids_of(systems)}
    reachable = access.reachable_organizations(actor).filter(pk__in=links["participants"])
    if reachable.count() != len(links["participants"]):
        add_error(errors, "participants", _("One of the participating organizations is unknown or inactive."))
    visible = InformationSystem.objects.visible_to(actor).filter(pk__in=links["systems"])
    if visible.count() != len(links["systems"]):
        add_error(errors, "systems", _("One of the chosen systems does not exist or is not visible to you."))
    elif drill.kind == Drill.Kind.LIVE_FIRE and not links["systems"]:
        add_error(errors, "systems", _("A live-fire drill exercises real systems: choose them."))
    if drill.scenario_id and not Scenario.objects.visible_to(actor).filter(pk=drill.scenario_id).exists():
        add_error(errors, "scenario", _("Unknown scenario."))
    raise_if(errors)
    return links


def _hold(actor, drill: Drill, held_on: datetime.date, summary: str) -> None:
    """Mark held; a live-fire drill moves the registry's drill date and fulfils LIVE_FIRE_DRILL per system."""
    drill.status, drill.held_on = DrillStatus.HELD, held_on
    if (summary or "").strip():
        drill.summary = summary.strip()
    drill.save()
    log(
        Event.DRILL_HELD,
        actor=actor,
        subject=drill,
        organization=drill.organization,
        held_on=held_on.isoformat(),
    )
    if not drill.is_live_fire:
        return
    systems = list(drill.systems.select_related("owner", "operator"))
    note_live_fire_drill([s.pk for s in systems], held_on)
    for system in systems:
        record_fulfilment(
            actor=actor,
            code="LIVE_FIRE_DRILL",
            organization=system.owner,
            system=system,
            on=held_on,
            evidence_kind="drill",
            evidence=drill,
            note=drill.title,
        )


def _add_follow_up(
    actor, finding: DrillFinding, *, description: str, owner: Organization, due_on
) -> FollowUpAction:
    drill = finding.drill
    errors: Errors = {}
    if not (description or "").strip():
        add_error(errors, "description", _("Say what is to be done."))
    if owner is None or not _may_own(actor, drill, owner):
        add_error(errors, "owner", _("Choose the organization that will do it."))
    if due_on is None:
        add_error(errors, "due_on", _("Give a due date."))
    elif drill.held_on and due_on < drill.held_on:
        add_error(errors, "due_on", _("The due date cannot be before the drill."))
    raise_if(errors)
    action = FollowUpAction.objects.create(
        finding=finding, description=description.strip(), owner=owner, due_on=due_on
    )
    log(
        Event.FOLLOW_UP_ADDED,
        actor=actor,
        subject=drill,
        organization=owner,
        message=action.description,
        action=action.pk,
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            event="drill_follow_up",
            subject=_("Follow-up action from the drill “%(drill)s”") % {"drill": drill.title},
            body=_("%(action)s\n\nDue %(due)s.")
            % {"action": action.description, "due": due_on.strftime("%d/%m/%Y")},
            organizations=[owner],
            link=drill.get_absolute_url(),
            dedupe_key=f"drill-follow-up:{action.pk}",
            actor=actor,
        )
    return action


def _may_own(actor, drill: Drill, owner: Organization) -> bool:
    """An action goes to an organization that took part, or one the actor may name at all."""
    if not owner.is_active:
        return False
    took_part = owner.pk == drill.organization_id or drill.participants.filter(pk=owner.pk).exists()
    return took_part or access.reachable_organizations(actor).filter(pk=owner.pk).exists()


ANNOUNCEMENTS = {
    "planned": (
        gettext_lazy("Drill planned: %(title)s"),
        gettext_lazy(
            "%(organizer)s plans the drill “%(title)s” (%(kind)s) on %(date)s. Your organization takes part."
        ),
    ),
    "cancelled": (
        gettext_lazy("Drill cancelled: %(title)s"),
        gettext_lazy("The drill “%(title)s” planned on %(date)s is cancelled."),
    ),
}


def _announce(actor, drill: Drill, what: str) -> None:
    """Tell the participating organizations, in the platform's language (read by others)."""
    participants = [o for o in drill.participants.all() if o.pk != drill.organization_id]
    if not participants:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = (str(text) for text in ANNOUNCEMENTS[what])
        values = {
            "title": drill.title,
            "organizer": drill.organization,
            "kind": drill.get_kind_display(),
            "date": drill.scheduled_on.strftime("%d/%m/%Y"),
        }
        notify(
            event=f"drill_{what}",
            subject=subject % values,
            body=body % values,
            organizations=participants,
            link=drill.get_absolute_url(),
            dedupe_key=f"drill-{what}:{drill.pk}",
            actor=actor,
        )
