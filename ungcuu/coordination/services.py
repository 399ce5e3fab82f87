"""Every rule-bearing change to a coordination request: send, acknowledge, answer, decline, complete, cancel.

The specialised unit issues requests (S4 Art. 7: it asks the police, the military, ISPs and others for
help, and escalates to VNCERT); the recipient's responders acknowledge and answer; the coordinator
completes or cancels. Each step writes a COORDINATION entry on the incident's timeline and queues a
notification to the other side, both in the step's transaction (notifications are an outbox: they leave
after commit).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.coordination.access import can_close, can_respond, can_send
from ungcuu.coordination.models import (
    AnswerAttachment,
    CoordinationRequest,
    Outcome,
    RequestKind,
    Status,
    default_deadline,
)
from ungcuu.coordination.validators import normalize_targets
from ungcuu.core.db import retry_on_busy
from ungcuu.core.errors import Conflict, InvalidTransition
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.notifications.services import notify
from ungcuu.organizations import access
from ungcuu.organizations.models import Kind as OrgKind
from ungcuu.organizations.models import Organization
from ungcuu.webhooks.events import emit
from ungcuu.webhooks.models import Event as WebhookEvent

# An answer carries a few files (logs, a receipt), not an archive of the case: that is the evidence page.
MAX_ATTACHMENTS = 10

# --- what this user may do now (the predicates are in coordination/access.py) -------------------------


def available_actions(user, request: CoordinationRequest) -> set[str]:
    """What this user may do to this request now: the transition table crossed with the predicates."""
    actions: set[str] = set()
    if can_respond(user, request):
        actions |= {s.value for s in (Status.ACKNOWLEDGED, Status.ANSWERED, Status.DECLINED)}
    if can_close(user, request):
        actions |= {s.value for s in (Status.COMPLETED, Status.CANCELLED)}
    return {a for a in actions if request.can_transition_to(a)}


# --- services ---------------------------------------------------------------------------------------


@retry_on_busy
@transaction.atomic
def send_request(
    *,
    actor,
    incident: Incident,
    recipient: Organization,
    kind: str,
    required_actions: str,
    targets: Iterable[str] | str = (),
    deadline: datetime.datetime | None = None,
    confidential: bool = False,
    issuer: Organization | None = None,
) -> CoordinationRequest:
    """The specialised unit asks another body to act on an open incident (form 06); `issuer` names
    another issuing body (the national coordinator's request arriving through federation)."""
    access.require(can_send(actor))
    # The incident row lock serialises the per-incident YCnn numbering.
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise InvalidTransition(_("Coordination requests can only be sent about an open incident."))
    now = timezone.now()
    _validate_request(recipient, kind, required_actions, deadline, now)
    req = CoordinationRequest(
        incident=incident,
        reference=_next_reference(incident),
        issuer=issuer or _issuer_for(actor),
        issued_by=actor,
        recipient=recipient,
        kind=kind,
        required_actions=required_actions.strip(),
        targets=_clean_targets(targets),
        deadline=deadline or default_deadline(kind, now),
        # A report the reporter asked to keep confidential keeps that protection in every request about it.
        confidential=confidential or incident.confidential,
    )
    req.full_clean()
    req.save()
    _announce(req, actor, Status.SENT, organizations=[req.recipient])
    return req


@transaction.atomic
def send_requests(*, actor, incident: Incident, recipients: Iterable[Organization], **request) -> list:
    """One form 06 to several bodies at once (the ISP and the police together, issue 15).

    Each recipient gets its own request (its own reference, answer and deadline clock); all or none are
    sent. A recipient named twice is sent one request.
    """
    unique = list(dict.fromkeys(recipients))
    if not unique:
        raise ValidationError({"recipient": [_("Choose at least one recipient.")]})
    return [send_request(actor=actor, incident=incident, recipient=r, **request) for r in unique]


@transaction.atomic
def acknowledge_request(*, actor, request: CoordinationRequest) -> CoordinationRequest:
    """The recipient confirms receipt; the deadline keeps running until it answers."""
    req = _lock(request)
    access.require(can_respond(actor, req))
    _require_open_incident(req)
    req.check_transition(Status.ACKNOWLEDGED)
    req.status = Status.ACKNOWLEDGED
    _mark_received(req, actor, timezone.now())
    req.save()
    _announce(req, actor, Status.ACKNOWLEDGED, users=[req.issued_by])
    return req


def answer_request(
    *, actor, request: CoordinationRequest, answer: str, outcome: str, files: Sequence[UploadedFile] = ()
) -> CoordinationRequest:
    """The recipient reports what it did, with the files that show it (the ISP's logs); answering implies
    receipt.

    Files pass the evidence checks (size, type by content, no programs) before any is stored, and are
    stored (hashed on the way) before the answer's transaction: if that fails, the stored files are
    deleted, so a refused answer leaves neither a row nor a file. Call it outside an outer transaction.
    """
    access.require(can_respond(actor, request))
    kinds = _check_files(files)
    stored: list[tuple[UploadedFile, str, tuple[str, int, str]]] = []
    try:
        for upload, kind in zip(files, kinds, strict=True):
            stored.append((upload, kind, evidence_services.store_attachment(upload)))
        return _answer(actor=actor, request=request, answer=answer, outcome=outcome, stored=stored)
    except BaseException:
        for _upload, _kind, (name, _size, _digest) in stored:
            evidence_services.discard_stored(name)
        raise


def _check_files(files: Sequence[UploadedFile]) -> list[str]:
    """The evidence checks for each file, all before any is stored; returns their kinds."""
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"files": [_("Attach at most %(n)s files to one answer.") % {"n": MAX_ATTACHMENTS}]}
        )
    kinds = []
    for upload in files:
        try:
            kinds.append(evidence_services.check_attachment(upload))
        except ValidationError as exc:  # name the file: several may be attached
            raise ValidationError({"files": [f"{upload.name}: {m}" for m in exc.messages]}) from exc
    return kinds


@transaction.atomic
def _answer(*, actor, request, answer: str, outcome: str, stored) -> CoordinationRequest:
    req = _lock(request)
    access.require(can_respond(actor, req))
    _require_open_incident(req)
    errors = {}
    if not (answer or "").strip():
        errors["answer"] = [_("Say what was done.")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    if errors:
        raise ValidationError(errors)
    req.check_transition(Status.ANSWERED)
    _set_answer(req, actor, Status.ANSWERED, answer, outcome)
    for upload, kind, (name, size, digest) in stored:
        AnswerAttachment.objects.create(
            request=req,
            file=name,
            original_name=os.path.basename(upload.name or "")[:255],
            size=size,
            sha256=digest,
            content_type=(upload.content_type or "")[:255],
            kind=kind,
            uploaded_by=actor,
        )
    _announce(req, actor, Status.ANSWERED, organizations=[req.issuer], users=[req.issued_by])
    emit(WebhookEvent.REQUEST_ANSWERED, req)
    return req


@transaction.atomic
def decline_request(*, actor, request: CoordinationRequest, reason: str) -> CoordinationRequest:
    """The recipient refuses, e.g. the request is outside its competence; the reason is required."""
    req = _lock(request)
    access.require(can_respond(actor, req))
    _require_open_incident(req)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the request is declined.")]})
    req.check_transition(Status.DECLINED)
    _set_answer(req, actor, Status.DECLINED, reason, "")
    _announce(req, actor, Status.DECLINED, organizations=[req.issuer], users=[req.issued_by])
    return req


@transaction.atomic
def complete_request(*, actor, request: CoordinationRequest, note: str = "") -> CoordinationRequest:
    """The coordinator accepts the answer and closes the request."""
    return _close(actor, request, Status.COMPLETED, note)


@transaction.atomic
def cancel_request(*, actor, request: CoordinationRequest, reason: str = "") -> CoordinationRequest:
    """The coordinator withdraws a request the recipient has not answered yet."""
    return _close(actor, request, Status.CANCELLED, reason)


@transaction.atomic
def close_with_incident(*, actor, request: CoordinationRequest, reason: str) -> CoordinationRequest:
    """An incident that closes closes its live requests: an answered one is completed, the rest cancelled.

    The incident's closing is the authority here (its handler decided), so the issuer's `can_close` is
    not asked again; the recipient is told, like any closing of a request.
    """
    req = _lock(request)
    to = Status.COMPLETED if req.status == Status.ANSWERED else Status.CANCELLED
    req.check_transition(to)
    req.status = to
    req.save()
    _announce(req, actor, to, note=reason.strip(), organizations=[req.recipient])
    return req


# --- helpers ----------------------------------------------------------------------------------------


def _require_open_incident(req: CoordinationRequest) -> None:
    """A request's incident that has ended takes no more answers (issue 15): 409 with the reason."""
    if not req.incident.is_open:
        raise Conflict(
            _("The incident %(ref)s is closed: this request was closed with it and takes no answer.")
            % {"ref": req.incident.reference}
        )


def _close(actor, request: CoordinationRequest, to: Status, note: str) -> CoordinationRequest:
    req = _lock(request)
    access.require(can_close(actor, req))
    req.check_transition(to)
    req.status = to
    req.save()
    _announce(req, actor, to, note=note.strip(), organizations=[req.recipient])
    return req


def _lock(request: CoordinationRequest) -> CoordinationRequest:
    return (
        CoordinationRequest.objects.select_for_update(of=("self",))
        .select_related("incident", "recipient", "issuer", "issued_by")
        .get(pk=request.pk)
    )


def _mark_received(req: CoordinationRequest, actor, now: datetime.datetime) -> None:
    if req.acknowledged_at is None:
        req.acknowledged_at, req.acknowledged_by = now, actor


def _set_answer(req: CoordinationRequest, actor, status: Status, text: str, outcome: str) -> None:
    now = timezone.now()
    _mark_received(req, actor, now)
    req.status, req.answer, req.outcome = status, text.strip(), outcome
    req.answered_at, req.answered_by = now, actor
    req.save()


def _validate_request(recipient, kind, required_actions, deadline, now) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = [_("Unknown kind of request.")]
    if not (required_actions or "").strip():
        errors["required_actions"] = [_("Say what the recipient is asked to do.")]
    if not recipient.is_active:
        errors["recipient"] = [_("This organization is no longer active.")]
    elif kind == RequestKind.NATIONAL_ESCALATION and recipient.kind != OrgKind.NATIONAL_COORDINATOR:
        errors["recipient"] = [_("An escalation goes to the national coordinator.")]
    if deadline is not None and deadline <= now:
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors:
        raise ValidationError(errors)


def _clean_targets(targets) -> list[str]:
    try:
        return normalize_targets(targets if isinstance(targets, str) else list(targets))
    except ValidationError as exc:
        raise ValidationError({"targets": exc.messages}) from exc


def _next_reference(incident: Incident) -> str:
    """`<incident reference>-YCnn`; the caller holds the incident's row lock."""
    number = CoordinationRequest.objects.filter(incident=incident).count() + 1
    return f"{incident.reference}-YC{number:02d}"


def _issuer_for(actor) -> Organization:
    """The specialised unit the coordinator belongs to, else the province's (a superuser has none)."""
    units = Organization.objects.filter(kind=OrgKind.SPECIALISED_UNIT, is_active=True)
    issuer = units.filter(memberships__user=actor).first() or units.first()
    if issuer is None:
        raise ValidationError(_("Register the specialised incident-response unit before sending requests."))
    return issuer


# What each step writes on the incident's timeline, in the platform's language (the row is read by all).
TIMELINE_TEXT = {
    Status.SENT: gettext_lazy("%(ref)s: %(kind)s, sent to %(recipient)s, answer due %(deadline)s."),
    Status.ACKNOWLEDGED: gettext_lazy("%(ref)s acknowledged by %(recipient)s."),
    Status.ANSWERED: gettext_lazy("%(ref)s answered by %(recipient)s: %(outcome)s."),
    Status.DECLINED: gettext_lazy("%(ref)s declined by %(recipient)s."),
    Status.COMPLETED: gettext_lazy("%(ref)s completed."),
    Status.CANCELLED: gettext_lazy("%(ref)s cancelled."),
}
CONFIDENTIAL_TIMELINE_TEXT = gettext_lazy("%(ref)s (confidential): %(status)s.")


def _announce(req: CoordinationRequest, actor, step: Status, *, note: str = "", **recipients) -> None:
    """Write the step on the incident's timeline and queue the notification, in this transaction.

    `notify` writes outbox rows in the caller's transaction and sends after commit (notifications
    services), so a rolled-back step never tells anyone. Texts use the platform language, not the
    language of whoever clicked, because both are read by others.
    """
    with translation.override(settings.LANGUAGE_CODE):
        _record(req, actor, step, note)
        subject, body = _message(req, step, note)
        notify(
            event=f"coordination_{step.value}",
            subject=subject,
            body=body,
            # Confidential: no link to the incident, so notify's own timeline row names nobody.
            incident=None if req.confidential else req.incident,
            link=req.get_absolute_url(),
            dedupe_key=f"coordination-{step.value}:{req.pk}",
            actor=actor,
            # The one rule of the outbox: who may open the request reads it in-app; mail and anyone
            # else learn only that there is something to look at.
            confidential=req if req.confidential else None,
            **recipients,
        )


def _record(req: CoordinationRequest, actor, step: Status, note: str) -> TimelineEvent:
    """The incident's audit row.

    Every unit that sees the incident reads its timeline, while a request is seen only by its recipient
    (and the coordinators). So the row names the request, never its targets or the answer's text, and a
    confidential request does not even name its recipient (S4 Art. 4).
    """
    data = {"request_id": req.pk, "reference": req.reference, "action": step.value, "request_kind": req.kind}
    if req.confidential:
        message = CONFIDENTIAL_TIMELINE_TEXT % {"ref": req.reference, "status": step.label}
    else:
        data["recipient_id"] = req.recipient_id
        message = TIMELINE_TEXT[step] % {
            "ref": req.reference,
            "kind": req.get_kind_display(),
            "recipient": req.recipient,
            "deadline": _local(req.deadline),
            "outcome": req.get_outcome_display(),
        }
        message = f"{message} {note}".strip()
    if req.outcome:
        data["outcome"] = req.outcome
    if step == Status.ANSWERED and req.pk and (count := req.attachments.count()):
        data["attachments"] = count  # how many, never their names (the request's readers only)
    return record(req.incident, TimelineEvent.Kind.COORDINATION, actor=actor, message=message, **data)


def _message(req: CoordinationRequest, step: Status, note: str) -> tuple[str, str]:
    """Subject and body of the notification (`notify` replaces them for those who may not read them)."""
    subject = f"[{req.reference}] {req.get_kind_display()}: {step.label}"
    if step == Status.SENT:
        due = _("Answer due %(deadline)s.") % {"deadline": _local(req.deadline)}
        parts = [f"{req.issuer}: {req.get_kind_display()}", req.required_actions, "\n".join(req.targets), due]
    elif step in {Status.ANSWERED, Status.DECLINED}:
        parts = [f"{req.recipient}: {step.label} ({req.get_outcome_display() or '-'})", req.answer]
    else:
        parts = [f"{req.reference}: {step.label}", note]
    return subject, "\n\n".join(p for p in parts if p)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
