"""Alert intake (a batch becomes group upserts, all or nothing) and promotion of a group to an incident."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.alerts import access, matching
from ungcuu.alerts.intake import Alert, BodyError, read_batch
from ungcuu.alerts.models import SEVERITY_NAMES, AlertBatch, AlertGroup
from ungcuu.alerts.upsert import upsert_groups
from ungcuu.core.db import retry_on_busy
from ungcuu.core.errors import Conflict
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Incident, IncidentReport, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.organizations.access import require

__all__ = ["BodyError", "IngestResult", "dismiss_group", "ingest_alerts", "promote_group", "promote_by_rule"]


@dataclass
class IngestResult:
    """The answer to a batch: 200 all taken, 207 some refused, 400 none taken; `replayed` for a retry."""

    status: int
    answer: dict = field(default_factory=dict)
    replayed: bool = False
    # Open groups this batch brought over the automatic rule: the caller enqueues their promotion.
    due: list[int] = field(default_factory=list)


def ingest_alerts(*, actor, body: bytes, content_type: str, idempotency_key: str = "") -> IngestResult:
    """Check a batch, then add its good alerts to their groups in one transaction (never half-written).

    With an Idempotency-Key the answer is stored in the same transaction: a retry of the same body is
    answered again and counts nothing; the same key with another body is a conflict (409)."""
    digest = hashlib.sha256(body).hexdigest()
    if idempotency_key:
        earlier = _earlier_answer(actor, idempotency_key, digest)
        if earlier:
            return earlier
    good, bad, batch = read_batch(body, content_type)
    good, refused = _assign_organizations(actor, good)
    bad = sorted(bad + refused, key=lambda item: item["index"])
    result = _answer(len(good), bad, batch)
    if not good:
        return result  # nothing to write, nothing to remember: a retry is refused the same way
    try:
        result.due = _write(actor, good, result, idempotency_key, digest)
    except IntegrityError:
        # Another request with the same key committed first (its row waited on the unique index).
        earlier = _earlier_answer(actor, idempotency_key, digest) if idempotency_key else None
        if earlier is None:
            raise
        return earlier
    return result


def _earlier_answer(actor, key: str, digest: str) -> IngestResult | None:
    batch = AlertBatch.objects.filter(user=actor, key=key).first()
    if batch is None:
        return None
    if batch.body_sha256 != digest:
        raise Conflict(_("This Idempotency-Key was already used for a different batch."))
    return IngestResult(status=batch.status_code, answer=batch.answer, replayed=True)


def _answer(accepted: int, bad: list[dict], batch: bool) -> IngestResult:
    listed = bad[: settings.ALERTS_MAX_ERRORS_LISTED]
    answer = {
        "accepted": accepted,
        "rejected": len(bad),
        "errors": listed,
        "errors_truncated": len(listed) < len(bad),
    }
    if not accepted:
        return IngestResult(status=400, answer=answer)
    return IngestResult(status=207 if bad else 200, answer=answer)


def _assign_organizations(actor, good: list[tuple[int, Alert]]) -> tuple[list[tuple[int, Alert]], list[dict]]:
    """Each alert's unit: the one it names, if the sender may report for it, else the sender's own unit."""
    default = access.default_organization_id(actor)
    named = {alert.organization_id for _i, alert in good if alert.organization_id is not None}
    allowed = access.allowed_organization_ids(actor, named | ({default} if default else set()))
    kept, refused = [], []
    for index, alert in good:
        org = alert.organization_id or default
        if org is None:
            message = _("Name the organization: you may send alerts for more than one unit.")
            refused.append({"index": index, "errors": {"organization": [message]}})
        elif org not in allowed:
            message = _("Unknown organization, or you may not send alerts for it.")
            refused.append({"index": index, "errors": {"organization": [message]}})
        else:
            alert.organization_id = org
            kept.append((index, alert))
    return kept, refused


@retry_on_busy
@transaction.atomic
def _write(actor, good: list[tuple[int, Alert]], result: IngestResult, key: str, digest: str) -> list[int]:
    now = timezone.now()
    if key:
        AlertBatch.objects.create(
            user=actor,
            key=key,
            body_sha256=digest,
            status_code=result.status,
            answer=result.answer,
            received_at=now,
        )
    groups = _aggregate(alert for _i, alert in good)
    systems = matching.SystemIndex({key[0] for key in groups})
    upsert_groups(_row(key, g, systems, now) for key, g in groups.items())
    return due_by_rule(organizations={key[0] for key in groups}, touched_at=now)


def _aggregate(alerts) -> dict[tuple, list]:
    """Alerts of one key within the batch become one row: [count, first, last, severity, latest alert]."""
    groups: dict[tuple, list] = {}
    for alert in alerts:
        key = (alert.organization_id, alert.source, alert.dedup_key)
        group = groups.get(key)
        if group is None:
            groups[key] = [1, alert.detected_at, alert.detected_at, alert.severity, alert]
            continue
        group[0] += 1
        if alert.detected_at < group[1]:
            group[1] = alert.detected_at
        if alert.detected_at >= group[2]:
            group[2], group[4] = alert.detected_at, alert
        if alert.severity > group[3]:
            group[3] = alert.severity
    return groups


def _row(key: tuple, group: list, systems: matching.SystemIndex, now: datetime.datetime) -> tuple:
    count, first, last, severity, latest = group
    system_id = systems.match(key[0], latest.host, latest.observables)
    return (
        *key,
        AlertGroup.Status.OPEN,
        severity,
        count,
        first,
        last,
        latest.title,
        latest.message,
        latest.host,
        latest.observables,
        system_id,
        now,
        now,
    )


# --- promotion ---------------------------------------------------------------------------------------


def promote_group(*, actor, group: AlertGroup) -> Incident:
    """Open an incident from a group through the one intake service; a second call returns the same one."""
    require(access.can_promote(actor, group))
    return _promote(actor=actor, group_id=group.pk, by_rule="")


@retry_on_busy
@transaction.atomic
def _promote(*, actor, group_id: int, by_rule: str) -> Incident:
    # Only the group row is locked ("of self"): PostgreSQL refuses to lock the nullable side of a join.
    group = (
        AlertGroup.objects.select_for_update(of=("self",))
        .select_related("organization", "system")
        .get(pk=group_id)
    )
    if group.incident_id is not None:
        return group.incident  # type: ignore[return-value]
    report = incident_services.submit_report(actor=actor, data=_report_input(actor, group))
    incident = report.incident
    group.status, group.incident = AlertGroup.Status.PROMOTED, incident
    group.promoted_at, group.promoted_by = timezone.now(), actor
    group.save(update_fields=["status", "incident", "promoted_at", "promoted_by"])
    message = _("Opened from monitoring alert group #%(id)s: %(count)s alerts from %(source)s.") % {
        "id": group.pk,
        "count": group.count,
        "source": group.source,
    }
    if by_rule:
        message += " " + _("Promoted automatically by the rule: %(rule)s.") % {"rule": by_rule}
    record(incident, TimelineEvent.Kind.NOTE, actor=actor, message=message, alert_group=group.pk)
    return incident


# --- dismissal -----------------------------------------------------------------------------------------

DISMISSAL_REASON_MAX = 500


@retry_on_busy
@transaction.atomic
def dismiss_group(*, actor, group: AlertGroup, reason: str) -> AlertGroup:
    """Close an open group without an incident ("not an incident": a test, a known scanner), saying why.

    The people who may promote it may dismiss it. The group stays listed with who, when and why; a new
    alert with its key reopens it (the upsert), counted in `reopened_count`, so nothing is silenced."""
    require(access.can_promote(actor, group))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the group is dismissed.")]})
    if len(reason) > DISMISSAL_REASON_MAX:
        message = _("At most %(n)s characters.") % {"n": DISMISSAL_REASON_MAX}
        raise ValidationError({"reason": [message]})
    # Locked like promotion: a concurrent promote or batch waits, then sees the dismissal (or we see theirs).
    group = AlertGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
    if group.status != AlertGroup.Status.OPEN:
        raise Conflict(_("Only an open alert group can be dismissed (this one is: %(status)s).")
                       % {"status": group.get_status_display()})  # fmt: skip
    group.status, group.dismissed_at, group.dismissed_by = AlertGroup.Status.DISMISSED, timezone.now(), actor
    group.dismissal_reason, group.count_at_dismissal = reason, group.count
    group.save(
        update_fields=["status", "dismissed_at", "dismissed_by", "dismissal_reason", "count_at_dismissal"]
    )
    return group


def _report_input(actor, group: AlertGroup) -> incident_services.ReportInput:
    lines = [
        group.message or group.title,
        "",
        _("Source: %(s)s; key: %(k)s") % {"s": group.source, "k": group.dedup_key},
    ]
    if group.host:
        lines.append(_("Affected host: %(h)s") % {"h": group.host})
    lines.append(
        _("%(n)s alerts, first %(first)s, last %(last)s.")
        % {"n": group.count, "first": _local(group.first_seen), "last": _local(group.last_seen)}
    )
    lines += [f"{o['type']}: {o['value']}" for o in group.observables]
    return incident_services.ReportInput(
        channel=IncidentReport.Channel.API,
        title=f"[{group.source}] {group.title}"[:300],
        description="\n".join(lines),
        detected_at=group.first_seen,
        reporter_name=str(actor),
        reporter_email=getattr(actor, "email", "") or "",
        organization=group.organization,
        system=group.system,
        form_data={"alert_group": group.pk, "source": group.source, "dedup_key": group.dedup_key},
        idempotency_key=f"alert-group-{group.pk}",
    )


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def rule_text() -> str:
    parts = []
    if settings.ALERTS_AUTO_PROMOTE_SEVERITY:
        parts.append(_("severity at least %(s)s") % {"s": settings.ALERTS_AUTO_PROMOTE_SEVERITY})
    if settings.ALERTS_AUTO_PROMOTE_COUNT:
        parts.append(_("at least %(n)s alerts") % {"n": settings.ALERTS_AUTO_PROMOTE_COUNT})
    return _(" or ").join(parts)


def due_by_rule(*, organizations: set[int], touched_at: datetime.datetime) -> list[int]:
    """Open groups this write touched (their `updated_at` is its clock) that the configured rule
    promotes: severity at least ALERTS_AUTO_PROMOTE_SEVERITY, or at least ALERTS_AUTO_PROMOTE_COUNT alerts."""
    rule = Q(pk__in=[])
    if settings.ALERTS_AUTO_PROMOTE_SEVERITY:
        rule |= Q(severity__gte=SEVERITY_NAMES[settings.ALERTS_AUTO_PROMOTE_SEVERITY])
    if settings.ALERTS_AUTO_PROMOTE_COUNT:
        rule |= Q(count__gte=settings.ALERTS_AUTO_PROMOTE_COUNT)
    if not (settings.ALERTS_AUTO_PROMOTE_SEVERITY or settings.ALERTS_AUTO_PROMOTE_COUNT):
        return []
    touched = AlertGroup.objects.filter(
        status=AlertGroup.Status.OPEN, organization_id__in=organizations, updated_at=touched_at
    )
    return list(touched.filter(rule).values_list("pk", flat=True))


def rule_account() -> User:
    """The account the automatic rule promotes as: inactive, so it can never sign in."""
    user, created = User.objects.get_or_create(
        username=settings.ALERTS_RULE_ACCOUNT, defaults={"first_name": "Alert rule", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def promote_by_rule(*, group_ids: list[int]) -> list[Incident]:
    """The automatic rule's promotions (idempotent: a group already promoted returns its incident)."""
    actor = rule_account()
    return [_promote(actor=actor, group_id=pk, by_rule=rule_text()) for pk in group_ids]
