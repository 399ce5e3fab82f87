"""Federation acts a person takes: share evidence, send statistics, retry a message (province); send a
status change, a coordination request or an advisory to a province (national). Each writes the outbox in
its own transaction; the worker delivers after commit."""

from __future__ import annotations

import base64
import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ungcuu.core.errors import Conflict
from ungcuu.core.periods import REPORTING_OBLIGATION, Period
from ungcuu.evidence.models import Evidence
from ungcuu.federation import access, outbox, peers
from ungcuu.federation.jobs import deliver_outbox
from ungcuu.federation.models import ForwardedIncident, MessageKind, NationalIncident, OutboxMessage, Peer
from ungcuu.incidents.models import TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.obligations.models import EvidenceKind
from ungcuu.obligations.services import record_fulfilment
from ungcuu.organizations.access import can_see, require
from ungcuu.reports.access import Scope
from ungcuu.reports.builders import build_form05
from ungcuu.reports.letterhead import bodies_for, specialised_unit


def _national_code() -> str:
    peer = peers.national()
    if peer is None:
        raise Conflict(_("Federation with the national instance is not configured."))
    return peer.code


@transaction.atomic
def share_evidence(*, actor, evidence: Evidence, note: str = "") -> OutboxMessage:
    """The province chooses to send one file of an escalated incident to the national coordinator."""
    require(access.can_send_up(actor) and can_see(actor, evidence.incident))
    forwarded = ForwardedIncident.objects.filter(incident=evidence.incident).first()
    if forwarded is None:
        raise Conflict(_("Only evidence of an incident sent to the national instance can be shared."))
    if evidence.size > settings.FEDERATION_EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than the federation allows; send it another way."))
    with evidence.file.open("rb") as handle:
        content = handle.read()
    message = outbox.put(
        destination=forwarded.destination,
        stream=outbox.incident_stream(evidence.incident.reference),
        kind=MessageKind.EVIDENCE,
        payload={
            "reference": evidence.incident.reference,
            "name": evidence.original_name,
            "sha256": evidence.sha256,
            "description": (note or evidence.description).strip(),
            "at": timezone.now(),
            "content": base64.b64encode(content).decode(),
        },
        summary=evidence.incident.reference
        if evidence.incident.confidential
        else f"{evidence.incident.reference}: {evidence.original_name}",
        incident=evidence.incident,
    )
    text = _("Evidence %(name)s (SHA-256 %(sha)s) shared with the national instance.")
    record(
        evidence.incident,
        TimelineEvent.Kind.EVIDENCE,
        actor=actor,
        message=text % {"name": evidence.original_name, "sha": evidence.sha256[:16]},
        evidence_id=evidence.pk,
        shared_with=forwarded.destination,
    )
    return message


@transaction.atomic
def send_statistics(*, actor, period: Period) -> OutboxMessage:
    """The province's form 05 figures for a period, to the national coordinator (TT20 Art. 6)."""
    require(access.can_send_up(actor))
    message = put_statistics(destination=_national_code(), period=period)
    fulfil_form05(actor=actor, period=period, message=message)
    return message


def put_statistics(*, destination: str, period: Period, message_id: uuid.UUID | None = None) -> OutboxMessage:
    """Form 05 of the province as it stands now, into the outbox (the caller's transaction). Built in the
    platform's language whoever sends it: the national instance keeps it as the province's document."""
    with translation.override(settings.LANGUAGE_CODE):
        form = build_form05(scope=Scope.province(), period=period, fresh=True)  # sent: counted now
        rows = [vars(row) for row in [*form.rows, form.total]]
        parent_body, _issuer = bodies_for(None, timezone.localdate())
    figures = {"organization": form.organization, "member_code": form.member_code, "rows": rows}
    figures |= {"address": form.address, "parent_body": parent_body}
    figures |= {"helpers_domestic": form.helpers_domestic, "helpers_foreign": form.helpers_foreign}
    return outbox.put(
        destination=destination,
        stream="statistics",
        kind=MessageKind.STATISTICS,
        payload={"period": period.key, "label": period.label_vi, "figures": figures},
        summary=_("Form 05, %(period)s") % {"period": period.label_vi},
        message_id=message_id,
    )


def fulfil_form05(
    *, actor, period: Period, message: OutboxMessage, today: datetime.date | None = None
) -> None:
    """Sending a closed TT20 period's form 05 up fulfils the province's form 05 duty for that period (when
    the specialised unit is a network member: `record_fulfilment` decides), even after its due date."""
    today = today or timezone.localdate()
    if not period.is_reporting or today <= period.end:
        return  # another span, or figures not closed yet: a preview, not the report
    unit = specialised_unit()
    if unit is None:
        return
    note = _("Form 05 of %(period)s sent to the national instance (federation message %(id)s).")
    record_fulfilment(
        actor=actor,
        code=REPORTING_OBLIGATION,
        organization=unit,
        on=today,
        period_on=period.due,
        evidence_kind=EvidenceKind.REPORT,
        note=note % {"period": period.label_vi, "id": message.message_id},
        link=reverse("federation:outbox"),
    )


@transaction.atomic
def retry_message(*, actor, message: OutboxMessage) -> OutboxMessage:
    """Send a refused or waiting message again now (after the cause was fixed on either side)."""
    require(access.can_see_federation(actor) and (access.can_send_up(actor) or access.can_send_down(actor)))
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state == OutboxMessage.State.DELIVERED:
        raise Conflict(_("This message was delivered already."))
    message.state, message.next_attempt_at = OutboxMessage.State.PENDING, timezone.now()
    message.save(update_fields=["state", "next_attempt_at"])
    transaction.on_commit(deliver_outbox.enqueue)
    return message


# --- national → province ----------------------------------------------------------------------------------


def _down(incident: NationalIncident, kind: str, payload: dict, summary: str) -> OutboxMessage:
    return outbox.put(
        destination=incident.province.code,
        stream=outbox.incident_stream(incident.reference),
        kind=kind,
        payload={"reference": incident.reference, **payload},
        summary=f"{incident.reference}: {summary}",
    )


@transaction.atomic
def send_status(*, actor, incident: NationalIncident, status: str, note: str = "") -> OutboxMessage:
    """The national coordinator's status of a province's incident, sent back to that province."""
    require(access.can_send_down(actor))
    if not status.strip():
        raise ValidationError({"status": [_("Say the national status.")]})
    incident = NationalIncident.objects.select_for_update().get(pk=incident.pk)
    incident.national_status = status.strip()[:200]
    incident.save(update_fields=["national_status"])
    return _down(
        incident, MessageKind.STATUS, {"status": incident.national_status, "note": note.strip()}, status
    )


@transaction.atomic
def send_request(
    *, actor, incident: NationalIncident, required_actions: str, deadline: datetime.datetime | None = None
) -> OutboxMessage:
    """A coordination request (form 06) from the national coordinator to the province about its incident."""
    require(access.can_send_down(actor))
    if not required_actions.strip():
        raise ValidationError({"required_actions": [_("Say what the province is asked to do.")]})
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError({"deadline": [_("The deadline must be in the future.")]})
    payload = {"required_actions": required_actions.strip(), "deadline": deadline}
    return _down(incident, MessageKind.REQUEST, payload, required_actions.strip()[:200])


@transaction.atomic
def send_advisory(
    *,
    actor,
    provinces: list[Peer],
    title: str,
    summary: str,
    recommended_actions: str,
    deadline: datetime.datetime,
    tlp: str = "AMBER",
    cve_ids: list[str] | None = None,
) -> list[OutboxMessage]:
    """A national warning to the chosen provinces; each receives it as a draft advisory to relay."""
    require(access.can_send_down(actor))
    errors = {}
    if not provinces:
        errors["provinces"] = [_("Choose at least one province.")]
    if not title.strip() or not summary.strip():
        errors["title"] = [_("Write the title and the summary.")]
    if deadline <= timezone.now():
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)
    payload = {
        "title": title.strip(),
        "summary": summary.strip(),
        "recommended_actions": recommended_actions.strip(),
        "deadline": deadline,
        "tlp": tlp,
        "cve_ids": cve_ids or [],
    }
    return [
        outbox.put(
            destination=p.code, stream="advisories", kind=MessageKind.ADVISORY, payload=payload, summary=title
        )
        for p in provinces
    ]
