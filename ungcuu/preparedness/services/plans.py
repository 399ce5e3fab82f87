"""Response plans: draft, edit, approve, review yearly, revise; each change leaves a version and audit row.

An approved plan is frozen: the approval covers exactly what was approved, and its snapshot is the
evidence for the RESPONSE_SCENARIO obligation. Changing it means drafting a revision, which supersedes
the plan in force when it is approved in turn.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from ungcuu.core.errors import InvalidTransition
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations.access import is_coordinator, require
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.preparedness import access
from ungcuu.preparedness.models import (
    PlanStatus,
    PlanVersion,
    PreparednessEvent,
    ResponsePlan,
    Scenario,
    one_year_after,
)
from ungcuu.preparedness.services.common import (
    Errors,
    add_error,
    clean_model,
    fill,
    ids_of,
    locked,
    log,
    note_plan_update,
    raise_if,
    today,
)
from ungcuu.systems.models import InformationSystem

Event = PreparednessEvent.Kind
Reason = PlanVersion.Reason

# What a draft's form may change; the approval fields only move through `approve_plan`.
CONTENT_FIELDS = (
    "title",
    "scope",
    "severity_criteria",
    "roles",
    "resources",
    "budget_estimate",
    "external_contacts",
    "drafted_on",
)


@transaction.atomic
def create_plan(
    *,
    actor,
    organization: Organization,
    title: str,
    systems: Iterable[InformationSystem] = (),
    scenarios: Iterable[Scenario] = (),
    people: Iterable[FocalPoint] = (),
    **content,
) -> ResponsePlan:
    """A unit drafts a response plan for itself and the systems it runs (CT18; S0 §II.3)."""
    require(access.manages(actor, organization))
    plan = ResponsePlan(organization=organization, created_by=actor)
    _fill(plan, {"title": title, **content})
    links = _checked_links(actor, plan, systems, scenarios, people)
    plan.save()
    _set_links(plan, links)
    _write_version(plan, actor, Reason.CREATED)
    log(Event.PLAN_CREATED, actor=actor, subject=plan, organization=organization, message=plan.title)
    return plan


@transaction.atomic
def update_plan(
    *,
    actor,
    plan: ResponsePlan,
    systems: Iterable[InformationSystem] | None = None,
    scenarios: Iterable[Scenario] | None = None,
    people: Iterable[FocalPoint] | None = None,
    **content,
) -> ResponsePlan:
    """Edit a draft; each save is a new version, so the drafting history is kept too."""
    plan = locked(plan)
    require(access.can_edit_plan(actor, plan))
    if not plan.is_draft:
        raise InvalidTransition(_("An approved plan is frozen: start a revision to change it."))
    _fill(plan, content)
    links = _checked_links(
        actor,
        plan,
        plan.systems.all() if systems is None else systems,
        plan.scenarios.all() if scenarios is None else scenarios,
        plan.people.all() if people is None else people,
    )
    plan.save()
    _set_links(plan, links)
    _write_version(plan, actor, Reason.EDITED)
    log(Event.PLAN_UPDATED, actor=actor, subject=plan, organization=plan.organization, message=plan.title)
    return plan


@transaction.atomic
def approve_plan(
    *,
    actor,
    plan: ResponsePlan,
    approved_by_name: str,
    decision_number: str,
    approved_by_title: str = "",
    approved_on: datetime.date | None = None,
    review_due_on: datetime.date | None = None,
    note: str = "",
) -> ResponsePlan:
    """Record the approval decision; the plan is then in force until its annual review date."""
    plan = locked(plan)
    require(access.can_edit_plan(actor, plan))
    if not plan.is_draft:
        raise InvalidTransition(_("Only a draft can be approved."))
    approved_on = approved_on or today()
    _check_approval(plan, approved_by_name, decision_number, approved_on, review_due_on)
    plan.approved_by_name, plan.approved_by_title = approved_by_name.strip(), approved_by_title.strip()
    plan.decision_number, plan.approved_on = decision_number.strip(), approved_on
    plan.review_due_on = review_due_on or one_year_after(approved_on)
    plan.status = PlanStatus.APPROVED
    plan.save()
    version = _write_version(plan, actor, Reason.APPROVED, note)
    if plan.replaces is not None:
        _supersede(plan.replaces, actor, by=plan)
    _put_in_force(actor, plan, version, approved_on)
    log(
        Event.PLAN_APPROVED,
        actor=actor,
        subject=plan,
        organization=plan.organization,
        message=plan.decision_number,
        version=version.number,
    )
    return plan


@transaction.atomic
def review_plan(
    *, actor, plan: ResponsePlan, reviewed_on: datetime.date | None = None, note: str = ""
) -> ResponsePlan:
    """The yearly review (S0 §II.3) confirms the plan in force; the next review falls a year later."""
    plan = locked(plan)
    require(access.can_edit_plan(actor, plan))
    if plan.status != PlanStatus.APPROVED:
        raise InvalidTransition(_("Only the plan in force can be reviewed."))
    reviewed_on = reviewed_on or today()
    errors: Errors = {}
    if reviewed_on > today():
        add_error(errors, "reviewed_on", _("The review date cannot be in the future."))
    elif plan.approved_on and reviewed_on < plan.approved_on:
        add_error(errors, "reviewed_on", _("A review cannot come before the approval."))
    raise_if(errors)
    plan.last_reviewed_on, plan.review_due_on = reviewed_on, one_year_after(reviewed_on)
    plan.save()
    version = _write_version(plan, actor, Reason.REVIEWED, note)
    _put_in_force(actor, plan, version, reviewed_on)
    log(Event.PLAN_REVIEWED, actor=actor, subject=plan, organization=plan.organization, message=note.strip())
    return plan


@transaction.atomic
def revise_plan(*, actor, plan: ResponsePlan) -> ResponsePlan:
    """Start a new draft from the plan in force; a second click returns the draft already started."""
    plan = locked(plan)
    require(access.can_edit_plan(actor, plan))
    if plan.status != PlanStatus.APPROVED:
        raise InvalidTransition(_("Only the plan in force can be revised; edit a draft directly."))
    existing = plan.revisions.filter(status=PlanStatus.DRAFT).first()
    if existing is not None:
        return existing
    draft = ResponsePlan(organization=plan.organization, replaces=plan, created_by=actor, drafted_on=today())
    for name in CONTENT_FIELDS:
        if name != "drafted_on":
            setattr(draft, name, getattr(plan, name))
    draft.save()
    draft.systems.set(plan.systems.all())
    draft.scenarios.set(plan.scenarios.all())
    draft.people.set(plan.people.all())
    _write_version(
        draft,
        actor,
        Reason.CREATED,
        _("Revision of the plan approved by %(n)s.") % {"n": plan.decision_number},
    )
    log(Event.PLAN_REVISED, actor=actor, subject=plan, organization=plan.organization, revision=draft.pk)
    return draft


# --- helpers ----------------------------------------------------------------------------------------


def _fill(plan: ResponsePlan, content: dict) -> None:
    content = dict(content)
    if "drafted_on" in content and content["drafted_on"] is None:
        del content["drafted_on"]  # keep the default (today) or the date already set
    if "budget_estimate" in content and content["budget_estimate"] is None:
        content["budget_estimate"] = 0
    fill(plan, content, CONTENT_FIELDS)


def _checked_links(actor, plan: ResponsePlan, systems, scenarios, people) -> dict[str, list[int]]:
    """Validate the plan and what it links to; nothing is saved when anything is wrong."""
    errors: Errors = {}
    clean_model(plan, errors, exclude=["organization", "created_by", "replaces"])
    if plan.drafted_on and plan.drafted_on > today():
        add_error(errors, "drafted_on", _("The drafting date cannot be in the future."))
    links = {"systems": ids_of(systems), "scenarios": ids_of(scenarios), "people": ids_of(people)}
    _check_systems(actor, plan.organization, links["systems"], errors)
    _check_scenarios(actor, plan.organization, links["scenarios"], errors)
    own_people = FocalPoint.objects.filter(organization=plan.organization, pk__in=links["people"])
    if own_people.count() != len(links["people"]):
        add_error(
            errors, "people", _("Choose people of this organization; write others under external contacts.")
        )
    raise_if(errors)
    return links


def _check_systems(actor, organization: Organization, ids: list[int], errors: Errors) -> None:
    visible = InformationSystem.objects.visible_to(actor).filter(pk__in=ids)
    if visible.count() != len(ids):
        add_error(errors, "systems", _("One of the chosen systems does not exist or is not visible to you."))
    elif not is_coordinator(actor):
        foreign = visible.exclude(Q(owner=organization) | Q(operator=organization))
        if foreign.exists():
            add_error(
                errors, "systems", _("A unit's plan covers only the systems the unit owns or operates.")
            )


def _check_scenarios(actor, organization: Organization, ids: list[int], errors: Errors) -> None:
    usable = Scenario.objects.visible_to(actor).filter(
        Q(organization__isnull=True) | Q(organization=organization), pk__in=ids
    )
    if usable.count() != len(ids):
        add_error(errors, "scenarios", _("Use scenarios of the provincial library or of this organization."))


def _set_links(plan: ResponsePlan, links: dict[str, list[int]]) -> None:
    plan.systems.set(links["systems"])
    plan.scenarios.set(links["scenarios"])
    plan.people.set(links["people"])


def _check_approval(plan, approved_by_name, decision_number, approved_on, review_due_on) -> None:
    errors: Errors = {}
    if not (approved_by_name or "").strip():
        add_error(errors, "approved_by_name", _("Say who approved the plan."))
    if not (decision_number or "").strip():
        add_error(errors, "decision_number", _("Give the number of the approval decision."))
    if approved_on < plan.drafted_on:
        add_error(
            errors,
            "approved_on",
            _("A plan cannot be approved before it was drafted (%(date)s).")
            % {"date": plan.drafted_on.strftime("%d/%m/%Y")},
        )
    elif approved_on > today():
        add_error(errors, "approved_on", _("The approval date cannot be in the future."))
    if review_due_on is not None and review_due_on <= approved_on:
        add_error(errors, "review_due_on", _("The review date must come after the approval."))
    if not plan.scope.strip():
        add_error(errors, None, _("Describe the plan's scope before approving it."))
    raise_if(errors)


def _write_version(plan: ResponsePlan, actor, reason: str, note: str = "") -> PlanVersion:
    """The next version number; the caller holds the plan's row lock, which serialises numbering."""
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        reason=reason,
        status=plan.status,
        review_due_on=plan.review_due_on,
        note=(note or "").strip(),
        snapshot=plan.snapshot(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _supersede(old: ResponsePlan, actor, *, by: ResponsePlan) -> None:
    old = locked(old)
    if old.status != PlanStatus.APPROVED:
        return
    old.status = PlanStatus.SUPERSEDED
    old.save()
    _write_version(
        old,
        actor,
        Reason.SUPERSEDED,
        _("Superseded by the plan approved by %(n)s.") % {"n": by.decision_number},
    )
    log(Event.PLAN_SUPERSEDED, actor=actor, subject=old, organization=old.organization, by=by.pk)


def _put_in_force(actor, plan: ResponsePlan, version: PlanVersion, on: datetime.date) -> None:
    """The registry's plan date and the RESPONSE_SCENARIO obligation, for every system the plan covers."""
    systems = list(plan.covered_systems())
    note_plan_update([s.pk for s in systems], on)
    for system in systems:
        record_fulfilment(
            actor=actor,
            code="RESPONSE_SCENARIO",
            organization=plan.organization,
            system=system,
            on=on,
            evidence_kind="plan_version",
            evidence=version,
            note=f"{plan.title} — {plan.decision_number}",
        )
