"""People's decisions on findings: accept a risk until a date, call a false positive, reopen, name an owner.

Scans open and close findings (services/scans.py); these are the judgements a scan cannot make. Each one
checks the actor, moves the status through the transition table and writes a history row.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.organizations import access
from ungcuu.organizations.models import Membership
from ungcuu.vulnerabilities.access import can_accept_risk, can_triage
from ungcuu.vulnerabilities.models import Finding, FindingEvent
from ungcuu.vulnerabilities.services.transitions import move

Status = Finding.Status
Kind = FindingEvent.Kind
DEFAULT_MAX_RISK_DAYS = 365


def max_risk_days() -> int:
    return int(getattr(settings, "FINDING_MAX_RISK_DAYS", DEFAULT_MAX_RISK_DAYS))


def _locked(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().select_related("system").get(pk=finding.pk)


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [message]})
    return reason


def _record(finding: Finding, kind: str, before: str, actor, note: str = "") -> None:
    FindingEvent.objects.create(
        finding=finding, kind=kind, from_status=before, to_status=finding.status, actor=actor, note=note
    )


@transaction.atomic
def accept_risk(*, actor, finding: Finding, reason: str, expires_on: datetime.date) -> Finding:
    """Management accepts a known weakness until a date; after that date it is open again."""
    access.require(can_accept_risk(actor, finding.system))
    reason = _reason(reason, _("Say why the risk is accepted (compensating controls, planned replacement…)."))
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": [_("The acceptance must end after today.")]})
    if expires_on > today + datetime.timedelta(days=max_risk_days()):
        raise ValidationError(
            {
                "expires_on": [
                    _("A risk can be accepted for at most %(days)s days at a time.")
                    % {"days": max_risk_days()}
                ]
            }
        )
    finding = _locked(finding)
    before = finding.status
    move(finding, Status.RISK_ACCEPTED)
    finding.status_reason, finding.risk_expires_on = reason, expires_on
    finding.save()
    until = expires_on.strftime("%d/%m/%Y")
    _record(
        finding,
        Kind.RISK_ACCEPTED,
        before,
        actor,
        _("%(reason)s (until %(date)s)") % {"reason": reason, "date": until},
    )
    return finding


@transaction.atomic
def mark_false_positive(*, actor, finding: Finding, reason: str) -> Finding:
    """The unit shows the scanner was wrong; later scans that report it again do not reopen it."""
    access.require(can_triage(actor, finding.system))
    reason = _reason(reason, _("Say how you checked that this is a false positive."))
    finding = _locked(finding)
    before = finding.status
    move(finding, Status.FALSE_POSITIVE)
    finding.status_reason, finding.risk_expires_on = reason, None
    finding.save()
    _record(finding, Kind.FALSE_POSITIVE, before, actor, reason)
    return finding


@transaction.atomic
def reopen_finding(*, actor, finding: Finding, reason: str = "") -> Finding:
    """Back to open: an acceptance withdrawn, a false positive after all, or a fix not confirmed."""
    access.require(can_triage(actor, finding.system))
    finding = _locked(finding)
    before = finding.status
    move(finding, Status.OPEN)
    finding.status_reason, finding.risk_expires_on = (reason or "").strip(), None
    finding.save()
    _record(finding, Kind.REOPENED_BY_HAND, before, actor, finding.status_reason)
    return finding


@transaction.atomic
def set_finding_owner(*, actor, finding: Finding, user) -> Finding:
    """Name the person who remedies the finding: a member of the system's owner or operator (or nobody)."""
    access.require(can_triage(actor, finding.system))
    finding = _locked(finding)
    if user is not None and not responsible_people(finding).filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": [_("Choose a member of the system's owner or operating organization.")]}
        )
    finding.owner_user = user
    finding.save()
    _record(finding, Kind.OWNER_CHANGED, finding.status, actor, str(user) if user else "")
    return finding


def responsible_people(finding: Finding):
    """Who may be named responsible: active members of the system's owner or operator."""
    from_orgs = {finding.system.owner_id, finding.system.operator_id}
    user_ids = Membership.objects.filter(organization_id__in=from_orgs).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def expire_risk_acceptances(*, today: datetime.date | None = None) -> int:
    """Acceptances past their date return to open (idempotent; the scheduler runs it daily)."""
    today = today or timezone.localdate()
    due = Finding.objects.filter(status=Status.RISK_ACCEPTED, risk_expires_on__lt=today)
    return sum(_expire(pk, today) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def _expire(pk: int, today: datetime.date) -> bool:
    finding = Finding.objects.select_for_update().get(pk=pk)
    until = finding.risk_expires_on
    if finding.status != Status.RISK_ACCEPTED or until is None or until >= today:
        return False  # changed since the list was read
    move(finding, Status.OPEN)
    finding.risk_expires_on = None
    finding.save()
    _record(finding, Kind.RISK_EXPIRED, Status.RISK_ACCEPTED, None, until.strftime("%d/%m/%Y"))
    return True
