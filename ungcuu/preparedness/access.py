"""Who may change what in preparedness: small predicates that services, views, API and templates share.

Reading is decided by each model's `visible_to(user)`. Writing belongs to the coordinator (the specialised
unit, province-wide) and to the managers of the organization the object belongs to; closing a follow-up
action is also the owner organization's responders' job, and applying a playbook is the incident
handlers'.
"""

from __future__ import annotations

from django.db.models import Q

from ungcuu.incidents.access import can_handle
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import has_role, is_coordinator, orgs_where
from ungcuu.organizations.models import Kind, Membership, Organization, visible_organization_ids
from ungcuu.preparedness.models import Drill, FollowUpAction, ResponsePlan, Scenario, TrainingCourse
from ungcuu.systems.access import can_register_anywhere

Role = Membership.Role


def manages(user, organization: Organization | None) -> bool:
    """The coordinator manages every organization's preparedness; a unit manager manages its own."""
    if is_coordinator(user):
        return True
    return organization is not None and has_role(user, organization, Role.MANAGER)


def manageable_organizations(user):
    """Active organizations the user may draft plans, drills, courses and scenarios for."""
    return orgs_where(user, Role.MANAGER)


# Bodies every unit works with and whose existence is no secret (DOMAIN.md §a, §h): any unit may name them
# as a drill's participants or as the owner of a follow-up action. Other units only if the user sees them.
SUPPORT_KINDS = {
    Kind.PROVINCE_PC,
    Kind.SPECIALISED_UNIT,
    Kind.PROV_STEERING,
    Kind.PROV_IR_TEAM,
    Kind.NATIONAL_COORDINATOR,
    Kind.POLICE,
    Kind.MILITARY,
    Kind.ISP,
    Kind.VENDOR,
}


def reachable_organizations(user):
    """Active organizations the user may name in a drill: the ones they see and the support bodies."""
    active = Organization.objects.filter(is_active=True)
    ids = visible_organization_ids(user)
    if ids is None:
        return active
    return active.filter(Q(pk__in=ids) | Q(kind__in=SUPPORT_KINDS))


def can_create_anything(user) -> bool:
    """Opening a "new plan / drill / course / scenario" form: someone who manages some organization."""
    return can_register_anywhere(user)


def can_edit_plan(user, plan: ResponsePlan) -> bool:
    return manages(user, plan.organization)


def can_add_scenario(user, organization: Organization | None) -> bool:
    """The provincial library (no organization) is the specialised unit's; a unit's own are its managers'."""
    return is_coordinator(user) if organization is None else manages(user, organization)


def can_edit_scenario(user, scenario: Scenario) -> bool:
    return can_add_scenario(user, scenario.organization)


def can_edit_drill(user, drill: Drill) -> bool:
    return manages(user, drill.organization)


def can_close_follow_up(user, action: FollowUpAction) -> bool:
    """The owner organization's responders do the work; the drill's organizer may also close it."""
    return (
        is_coordinator(user)
        or has_role(user, action.owner, Role.RESPONDER)
        or manages(user, action.finding.drill.organization)
    )


def can_edit_course(user, course: TrainingCourse) -> bool:
    return manages(user, course.organization)


def can_apply_playbook(user, incident: Incident) -> bool:
    """Turning a scenario into tasks is handling the incident: the coordinator, the operator's responders."""
    return incident.is_open and can_handle(user, incident)
