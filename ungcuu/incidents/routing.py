"""The reporting chain as data: routing rules name roles, resolved here into organizations and people.

Messages are composed in the platform's default language (Vietnamese), whatever the actor's UI language.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.core import config_cache, ratelimit
from ungcuu.incidents.models import Incident, IncidentReport, Recipient, RoutingRule
from ungcuu.notifications.services import notify, plan_targets
from ungcuu.organizations.models import Kind, Organization

ROLE_KINDS = {
    Recipient.SPECIALISED_UNIT: Kind.SPECIALISED_UNIT,
    Recipient.NATIONAL_COORDINATOR: Kind.NATIONAL_COORDINATOR,
    Recipient.PROV_STEERING: Kind.PROV_STEERING,
    # The serious chain's national bodies (DOMAIN.md §d, S0 §II.4a; QĐ05 Art. 14 step 3): which body holds
    # each role is the registry's (an organization of that kind), so a reorganisation is data (§k).
    Recipient.STANDING_AGENCY: Kind.STANDING_AGENCY,
    Recipient.NATIONAL_STEERING: Kind.NATIONAL_STEERING,
    Recipient.POLICE: Kind.POLICE,
    Recipient.MILITARY: Kind.MILITARY,
}

Event = RoutingRule.Event


def rules_for(incident: Incident, event: str) -> list[RoutingRule]:
    rules = config_cache.cached(
        ("routing-rules", event), lambda: tuple(RoutingRule.objects.filter(event=event, is_active=True))
    )
    serious = incident.severity == Incident.Severity.SERIOUS
    return [
        r
        for r in rules
        if (not r.category_prefix or (incident.category or "").startswith(r.category_prefix))
        and (serious or not r.only_serious)
    ]


def organizations_for(incident: Incident, recipient: str) -> list[Organization]:
    """Resolve a role to organizations: the incident's own owner/operator, or the registry's holders."""
    if recipient == Recipient.OWNER:
        return [incident.owner] if incident.owner else []
    if recipient == Recipient.OPERATOR:
        return [incident.operator] if incident.operator else []
    kind = ROLE_KINDS.get(Recipient(recipient)) if recipient in Recipient.values else None
    if kind is None:
        return []
    own = _own(incident)
    return [org for org in holders(kind) if org.pk not in own]


def holders(kind: str) -> tuple[Organization, ...]:
    """The active organizations of a kind, by name (kept per process inside `config_cache.pinned()`)."""
    return config_cache.cached(
        ("holders", kind), lambda: tuple(Organization.objects.filter(kind=kind, is_active=True))
    )


def _own(incident: Incident) -> list[int]:
    return [pk for pk in (incident.owner_id, incident.operator_id) if pk]


def plan(incident: Incident, event: str) -> dict[str, Any]:
    """Who the rules name for this event: organizations (to and copy) and whether the reporter is told."""
    if incident.system is not None and incident.system.outside_qd05:
        return _own_channel(incident, event)
    to: list[Organization] = []
    copy: list[Organization] = []
    reporter = False
    for rule in rules_for(incident, event):
        if rule.recipient == Recipient.REPORTER:
            reporter = True
            continue
        for org in organizations_for(incident, rule.recipient):
            target = copy if rule.is_copy else to
            if org not in to and org not in target:
                target.append(org)
    copy = [org for org in copy if org not in to]
    return {"to": to, "copy": copy, "reporter": reporter}


def plan_with_recipients(incident: Incident, event: str) -> dict[str, Any]:
    """`plan`, with the people and addresses behind its organizations looked up too (`recipients`), so that
    `route` only writes: intake asks this before it takes the reference counter, which every other intake
    waits on until commit (issue 18)."""
    targets = plan(incident, event)
    return {**targets, "recipients": plan_targets(organizations=targets["to"] + targets["copy"])}


# The body a ministry's system reports to instead of the QĐ05 chain (DOMAIN.md §h: police, military).
OWN_CHANNEL = {"BQP": Kind.MILITARY, "BCA": Kind.POLICE}


def _own_channel(incident: Incident, event: str) -> dict[str, Any]:
    """QĐ05 does not apply to BQP/BCA systems: their incident is recorded and routed to their body only;
    the reporter still gets the acknowledgement of receipt."""
    assert incident.system is not None  # only called for an incident on a BQP/BCA system
    kind = OWN_CHANNEL[incident.system.outside_qd05]
    to = list(holders(kind))
    return {"to": to, "copy": [], "reporter": event == Event.REPORT_RECEIVED}


def route(
    incident: Incident,
    event: str,
    *,
    report: IncidentReport | None = None,
    note: str = "",
    targets: dict | None = None,
) -> dict:
    """Notify everyone the rules name for `event`; runs inside the caller's transaction (outbox).

    `targets` is `plan(incident, event)` (or `plan_with_recipients`) when the caller worked it out earlier
    (intake does, before it locks the reference counter).
    """
    targets = plan(incident, event) if targets is None else targets
    link = reverse("incidents:detail", args=[incident.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = compose(incident, event, note)
        organizations = targets["to"] + targets["copy"]
        if organizations:
            notify(
                event=event,
                subject=subject,
                body=body,
                organizations=organizations,
                incident=incident,
                link=link,
                confidential=incident if incident.confidential else None,
                planned=targets.get("recipients"),
            )
        if targets["reporter"] and report is not None:
            notify_reporter(incident, report)
    return targets


def notify_reporter(incident: Incident, report: IncidentReport) -> None:
    """The immediate acknowledgement of receipt (QĐ05 Art. 12.1c), by e-mail and in-app, in the
    transaction that created `report` (intake).

    The public door takes any address without an account, so it must not become a relay: a bare address
    gets a fixed text (the reference and the time, nothing the sender wrote) and at most
    PUBLIC_ACK_LIMIT of them a day. Confirming the address first would also mean mailing it, and would
    delay the acknowledgement the decision requires at once.
    """
    users = [report.submitted_by] if report.submitted_by else []
    addresses = [report.reporter_email] if report.reporter_email and not users else []
    if addresses and not _may_acknowledge(report.reporter_email):
        addresses = []
    if not (users or addresses):
        return
    if users:
        subject = _("Received: %(ref)s %(title)s") % {"ref": incident.reference, "title": incident.title}
    else:
        subject = _("Received: %(ref)s") % {"ref": incident.reference}
    body = _(
        "Your incident report was received and logged as %(ref)s at %(at)s.\n"
        "The specialised unit will verify it and contact you. Quote this reference in every exchange."
    ) % {"ref": incident.reference, "at": timezone_text(report.received_at)}
    notify(
        event="report_ack",
        subject=subject,
        body=body,
        users=users,
        addresses=addresses,
        incident=incident,
        link=reverse("incidents:detail", args=[incident.pk]) if users else "",
        dedupe_key=f"report-ack:{report.pk}",
        fresh=True,  # the report was created in this transaction: nothing is queued under its key yet
        confidential=incident if incident.confidential else None,
    )


def _may_acknowledge(address: str) -> bool:
    """Count one acknowledgement to a bare address; False once its daily allowance is spent."""
    key = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return ratelimit.hit("public-ack", key, limit=settings.PUBLIC_ACK_LIMIT, window_seconds=86400)


def compose(incident: Incident, event: str, note: str = "") -> tuple[str, str]:
    headline = {
        Event.REPORT_RECEIVED: _("Incident reported"),
        Event.CLASSIFIED: _("Incident classified"),
        Event.SERIOUS: _("SERIOUS incident"),
        Event.CRIME_SIGNS: _("Incident with signs of a crime"),
        Event.SECRET_TARGET: _("Incident on a secret-holding target"),
        Event.PROVINCE_CANNOT_COPE: _("Incident beyond the province's capacity: support requested"),
        Event.EMERGENCY: _("EMERGENCY REPORT"),
        Event.DIRECTION_REQUESTED: _("Request for direction or support"),
        Event.CLOSED: _("Incident closed"),
    }.get(Event(event), _("Incident update"))
    subject = f"{headline}: {incident.reference} {incident.title}"
    fields = [
        (_("Reference"), incident.reference),
        (_("Title"), incident.title),
        (_("Status"), incident.get_status_display()),
        (_("Severity"), incident.get_severity_display()),
        (_("Category"), incident.get_category_display() or "—"),
        (_("Affected system"), str(incident.system or "—")),
        (_("Operating organization"), str(incident.operator or "—")),
        (_("Detected at"), timezone_text(incident.detected_at)),
    ]
    lines = [f"{label}: {value}" for label, value in fields]
    if not incident.confidential:
        lines += ["", incident.description]
    else:
        lines += [
            "",
            _("Confidential report: details are available only on the platform to authorised people."),
        ]
    if note:
        lines += ["", note]
    return subject, "\n".join(lines)


def timezone_text(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
