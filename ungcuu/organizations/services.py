"""Changes to organizations and their focal points that carry rules or history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import NO_REQUEST, RequestMeta, record_event
from ungcuu.core import validators
from ungcuu.core.names import split_full_name
from ungcuu.obligations import services as obligation_services
from ungcuu.organizations import access
from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffChange, StaffLine

# The form 01 profile: what a unit's manager may edit about their own organization (not its place).
PROFILE_FIELDS = [
    "is_network_member",
    "member_code",
    "owner_name",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "security_lead_name",
    "security_lead_title",
    "intake_address",
    "intake_phone",
    "intake_mobile",
    "intake_fax",
    "intake_email",
    "capacity_summary",
    "staff_total",
    "staff_security_management",
    "staff_defence",
    "staff_protection",
    "staff_testing",
    "pgp_user_id",
    "pgp_fingerprint",
    "pgp_key_url",
]
# Fields that hold phone (or fax) numbers, checked for what people mistype ("abc").
ORGANIZATION_PHONES = ("phone", "fax", "intake_phone", "intake_mobile", "intake_fax")
FOCAL_PHONES = ("office_phone", "mobile")
PLACE_FIELDS = ["code", "name", "kind", "parent", "members_see_children", "is_active"]


def editable_organization_fields(user) -> list[str]:
    """The coordinator edits everything; a unit's manager the short name and the form 01 profile."""
    profile = ["short_name", *PROFILE_FIELDS]
    return [*PLACE_FIELDS, *profile] if access.is_coordinator(user) else profile


@transaction.atomic
def update_organization(*, actor, organization: Organization, **fields) -> Organization:
    """Save the fields `actor` may edit (others are ignored, as the manager's form never shows them)
    and record which ones changed in the audit trail."""
    access.require(access.can_edit_organization(actor, organization))
    allowed = editable_organization_fields(actor)
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = sorted(n for n, value in fields.items() if n in allowed and getattr(stored, n) != value)
    # Only what changed: an old number written some other way does not block an unrelated edit.
    validators.check_phones({n: fields[n] for n in changed}, ORGANIZATION_PHONES)
    for name in changed:
        setattr(stored, name, fields[name])
    stored.full_clean()
    stored.save()
    if changed:
        record_event(
            actor=actor,
            action=AuditEvent.Action.ORGANIZATION_UPDATED,
            target=stored,
            organization=stored,
            detail=", ".join(changed),
        )
    return stored


@transaction.atomic
def add_focal_point(*, actor, organization: Organization, **fields) -> FocalPoint:
    """Add a contact and record the staff change (units must notify staff changes, DOMAIN.md §g)."""
    access.require(access.can_edit_organization(actor, organization))
    validators.check_phones(fields, FOCAL_PHONES)
    focal = FocalPoint(organization=organization, **fields)
    focal.full_clean()
    focal.save()
    StaffChange.objects.create(
        organization=organization,
        focal_point=focal,
        change=StaffChange.Change.ADDED,
        after=focal.snapshot(),
        actor=actor,
    )
    # Recording the change here is the notice the specialised unit is owed (STAFF_CHANGE_NOTICE).
    obligation_services.notify_staff_change(organization=organization, on=timezone.localdate(), actor=actor)
    return focal


@transaction.atomic
def update_focal_point(*, actor, focal_point: FocalPoint, **fields) -> FocalPoint:
    """Change a contact's details, keeping before/after in the staff-change history."""
    access.require(access.can_edit_organization(actor, focal_point.organization))
    validators.check_phones(fields, FOCAL_PHONES)
    before = FocalPoint.objects.select_for_update().get(pk=focal_point.pk).snapshot()
    for name, value in fields.items():
        setattr(focal_point, name, value)
    focal_point.full_clean()
    focal_point.save()
    after = focal_point.snapshot()
    if after != before:
        change = (
            StaffChange.Change.DEACTIVATED
            if before["is_active"] and not after["is_active"]
            else (StaffChange.Change.UPDATED)
        )
        StaffChange.objects.create(
            organization=focal_point.organization,
            focal_point=focal_point,
            change=change,
            before=before,
            after=after,
            actor=actor,
        )
        obligation_services.notify_staff_change(
            organization=focal_point.organization, on=timezone.localdate(), actor=actor
        )
    return focal_point


def deactivate_focal_point(*, actor, focal_point: FocalPoint) -> FocalPoint:
    """People leave; their record stays, marked inactive, so past incidents still name them."""
    return update_focal_point(actor=actor, focal_point=focal_point, is_active=False)


@transaction.atomic
def set_member(
    *, actor, organization: Organization, user, role: str, request_meta: RequestMeta = NO_REQUEST
) -> Membership:
    """Give a user a role in an organization (or change it); managers run their own team."""
    access.require(access.can_edit_organization(actor, organization))
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    before = Membership.objects.filter(user=user, organization=organization).first()
    membership, _created = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if before is None or before.role != role:
        record_event(
            actor=actor,
            action=AuditEvent.Action.MEMBER_ADDED
            if before is None
            else AuditEvent.Action.MEMBER_ROLE_CHANGED,
            target=user,
            organization=organization,
            detail=f"{before.role} → {role}" if before else role,
            request_meta=request_meta,
        )
    return membership


@transaction.atomic
def invite_member(
    *,
    actor,
    organization: Organization,
    username: str,
    email: str,
    full_name: str,
    role: str,
    request_meta: RequestMeta = NO_REQUEST,
) -> Membership:
    """Change a member's role, add an account, or create one without a password (the person sets it
    through "forgot password" with the e-mail given).

    A manager sees their own members, not the platform's accounts: an account from elsewhere joins only
    when the manager also gives the e-mail registered on it (they know the person), and an unknown name
    and a known one without that e-mail get the same answer. Coordinators run the platform and add any
    account by its username.
    """
    access.require(access.can_edit_organization(actor, organization))
    user = User.objects.filter(username=username).first()
    on_team = Membership.objects.filter(user=user, organization=organization)
    known = user is not None and (access.is_coordinator(actor) or on_team.exists())
    if known:
        return set_member(
            actor=actor, organization=organization, user=user, role=role, request_meta=request_meta
        )
    if not (email.strip() and full_name.strip()):
        raise ValidationError(_("Give the person's full name and e-mail."))
    if user is not None and not (user.is_active and user.email.strip().lower() == email.strip().lower()):
        raise ValidationError(
            _(
                "This username cannot be used. If the person already has an account, give the e-mail "
                "address registered on it; otherwise choose another username."
            )
        )
    if user is None:
        family, given = split_full_name(full_name)
        user = User(username=username, email=email, first_name=given, last_name=family)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    return set_member(actor=actor, organization=organization, user=user, role=role, request_meta=request_meta)


@transaction.atomic
def remove_member(*, actor, membership: Membership, request_meta: RequestMeta = NO_REQUEST) -> None:
    """Take a user out of an organization; their past actions keep their name."""
    access.require(access.can_edit_organization(actor, membership.organization))
    if membership.user_id == actor.pk and not access.is_coordinator(actor):
        raise ValidationError(_("You cannot remove your own membership; ask another manager."))
    record_event(
        actor=actor,
        action=AuditEvent.Action.MEMBER_REMOVED,
        target=membership.user,
        organization=membership.organization,
        detail=membership.role,
        request_meta=request_meta,
    )
    membership.delete()


# --- form 01's staff annex ---------------------------------------------------------------------------

STAFF_LINE_FIELDS = [
    "family_name",
    "given_name",
    "position",
    "school",
    "major",
    "training_field",
    "degree",
    "graduation_year",
    "international_certificates",
    "domestic_certificates",
    "expert_groups",
]


def _record_annex(actor, organization: Organization, what: str) -> None:
    record_event(
        actor=actor,
        action=AuditEvent.Action.ORGANIZATION_UPDATED,
        target=organization,
        organization=organization,
        detail=what,
    )


@transaction.atomic
def add_staff_line(*, actor, organization: Organization, **fields) -> StaffLine:
    """One person added to the organization's form 01 staff annex (its headcounts are counted from it)."""
    access.require(access.can_edit_staff_lines(actor, organization))
    line = StaffLine(organization=organization, **{k: fields[k] for k in STAFF_LINE_FIELDS if k in fields})
    line.full_clean()
    line.save()
    _record_annex(actor, organization, f"staff annex: + {line.full_name}")
    return line


@transaction.atomic
def update_staff_line(*, actor, line: StaffLine, **fields) -> StaffLine:
    access.require(access.can_edit_staff_lines(actor, line.organization))
    stored = StaffLine.objects.select_for_update().get(pk=line.pk)
    for name in STAFF_LINE_FIELDS:
        if name in fields:
            setattr(stored, name, fields[name])
    stored.full_clean()
    stored.save()
    _record_annex(actor, stored.organization, f"staff annex: ~ {stored.full_name}")
    return stored


@transaction.atomic
def remove_staff_line(*, actor, line: StaffLine) -> None:
    """The annex lists who works there now: a person who left is taken off (the audit trail keeps it)."""
    access.require(access.can_edit_staff_lines(actor, line.organization))
    _record_annex(actor, line.organization, f"staff annex: - {line.full_name}")
    line.delete()
