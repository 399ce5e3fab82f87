"""The tenancy rules for reports: whose figures a report covers (one organization, with its children when
its members see them, or the whole province), who may build which, and who may write, send and decide.

Counts are taken over every incident in the scope, confidential ones included: a count discloses nothing.
Detail listings never show a confidential incident (`listable`), because a report leaves the handlers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ungcuu.incidents.access import is_operator_responder
from ungcuu.incidents.models import Incident, Status
from ungcuu.organizations.access import get_visible_or_404, has_role, is_coordinator, require
from ungcuu.organizations.models import Membership, Organization, covered_ids, organization_roles
from ungcuu.reports.models import PeriodicReport

# Duplicates folded into another incident and reports found not to be incidents are not incidents.
NOT_COUNTED = (Status.MERGED, Status.REJECTED)


@dataclass(frozen=True)
class Scope:
    """An organization and the ids its figures cover, or the province (organization None)."""

    organization: Organization | None
    org_ids: tuple[int, ...] | None

    @classmethod
    def province(cls) -> Scope:
        return cls(None, None)

    @classmethod
    def of(cls, organization: Organization) -> Scope:
        """What a member of `organization` sees of it: the same tree walk as the memberships."""
        return cls(organization, tuple(sorted(covered_ids(organization))))

    @property
    def is_province(self) -> bool:
        return self.org_ids is None

    def incidents(self) -> QuerySet[Incident]:
        """Every counted incident of the scope, whatever its confidentiality (counts only)."""
        # Systems of BQP and BCA are outside QĐ05 (DOMAIN.md, QĐ05 scope): not counted or named here.
        base = Incident.objects.in_qd05_scope().exclude(status__in=NOT_COUNTED)
        return base if self.org_ids is None else base.filter(operator_id__in=self.org_ids)

    def organizations(self) -> QuerySet[Organization]:
        active = Organization.objects.filter(is_active=True)
        return active if self.org_ids is None else active.filter(pk__in=self.org_ids)


def listable(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Incidents a report may name: never a confidential one (DOMAIN.md §i)."""
    return incidents.filter(confidential=False)


# --- who may build what -------------------------------------------------------------------------------


def sees_province(user) -> bool:
    """The coordinator builds the province's reports; the national coordinator reads them."""
    return bool(getattr(user, "is_authenticated", False) and user.sees_whole_province)


def reportable_organizations(user) -> QuerySet[Organization]:
    """Organizations whose reports the user may build: the ones they see (a unit: its own)."""
    return Organization.objects.visible_to(user).filter(is_active=True)


def default_organization(user) -> Organization | None:
    """A unit's first organization (where it is manager first); None for province-wide users."""
    if sees_province(user):
        return None
    roles = organization_roles(user)
    rank: dict[str, int] = {
        Membership.Role.MANAGER: 0,
        Membership.Role.RESPONDER: 1,
        Membership.Role.VIEWER: 2,
    }
    ordered = sorted(roles, key=lambda pk: (rank.get(roles[pk], 3), pk))
    return Organization.objects.filter(pk__in=ordered[:1]).first()


def scope_for(user, organization: Organization | None) -> Scope:
    """The scope a user asked for: an organization they see (else 404) or the province (else 403)."""
    if organization is None:
        require(sees_province(user))
        return Scope.province()
    return Scope.of(get_visible_or_404(Organization.objects.all(), user, pk=organization.pk))


# --- who may write, send and decide -----------------------------------------------------------------


def can_draft(user, organization: Organization) -> bool:
    """A unit's responders and managers write its report."""
    return has_role(user, organization, Membership.Role.RESPONDER)


def can_submit(user, report: PeriodicReport) -> bool:
    """Sending speaks for the unit: its manager."""
    return has_role(user, report.organization, Membership.Role.MANAGER)


def can_decide(user, report: PeriodicReport) -> bool:
    """Accepting or returning is the specialised unit's act; never on its own organization's report."""
    return is_coordinator(user) and not has_role(user, report.organization, Membership.Role.VIEWER)


def can_record_damage(user, incident: Incident) -> bool:
    """The coordinator, or the operating unit's responders."""
    return is_coordinator(user) or is_operator_responder(user, incident)


def can_refresh_figures(user, scope: Scope) -> bool:
    """Counting a period again now costs seconds at scale: the province's users, or a unit's responders and
    managers for their unit; read-only members see the kept figures and their time."""
    if scope.organization is None:
        return sees_province(user)
    return sees_province(user) or has_role(user, scope.organization, Membership.Role.RESPONDER)
