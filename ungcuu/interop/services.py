"""Turning one e-mail from the intake mailbox into a report, a follow-up, or a reasoned refusal.

`receive_message` writes the `InboundMessage` row in the same transaction as what the message produced
(the report through `incidents.services.submit_report`, the same door as the others, or a timeline
entry, and the evidence), so a worker that dies mid-way leaves either everything or nothing; the mailbox
flag is set only after commit (`imap.py`), and a message seen again is recognised by its Message-ID.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents import form03
from ungcuu.incidents.models import Incident, IncidentReport, TimelineEvent
from ungcuu.incidents.services import ReportInput, submit_report
from ungcuu.incidents.timeline import record
from ungcuu.interop import mailthreads
from ungcuu.interop.access import matching_focal_point, may_follow_up
from ungcuu.interop.mailparse import ParsedMail, machine_kind, parse
from ungcuu.interop.models import InboundMessage
from ungcuu.notifications.services import mask_address
from ungcuu.organizations.access import is_coordinator, require
from ungcuu.organizations.models import FocalPoint

Outcome = InboundMessage.Outcome
Reason = InboundMessage.Reason
TBSC = re.compile(r"\[\s*TBSC\s*\]", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|tl|tr|aw|sv)\s*:\s*)+", re.IGNORECASE)  # TL/TR: trả lời
FAILED_AUTH = re.compile(r"\b(dmarc|spf|dkim)=(fail|softfail)\b", re.IGNORECASE)
MAX_TEXT = 100_000


@dataclass(frozen=True)
class Decision:
    outcome: str
    reason: str = ""
    detail: str = ""
    incident: Incident | None = None
    focal_point: FocalPoint | None = None


def receive_message(*, raw: bytes, mailbox: str = "", uid: str = "") -> InboundMessage:
    """Process one message once: an earlier row with its Message-ID is returned untouched."""
    mail = parse(raw)
    done = InboundMessage.objects.filter(message_id=mail.message_id).first()
    if done is not None:
        return done
    try:
        return _receive(mail, raw, mailbox=mailbox, uid=uid)
    except IntegrityError:
        # Another worker committed the same message first (two schedulers): theirs is the one.
        done = InboundMessage.objects.filter(message_id=mail.message_id).first()
        if done is None:
            raise
        return done


def record_oversized(*, message_id: str, sender: str, subject: str, size: int, mailbox: str, uid: str):
    """A message over MAIL_INTAKE_MAX_BYTES is logged from its headers alone, never downloaded."""
    row, _created = InboundMessage.objects.get_or_create(
        message_id=message_id[:255],
        defaults={
            "mailbox": mailbox,
            "uid": uid,
            "sender": sender[:254],
            "subject": subject[:300],
            "size": size,
            "received_at": timezone.now(),
            "outcome": Outcome.QUARANTINED,
            "reason": Reason.TOO_LARGE,
            "detail": _too_large_detail(size),
        },
    )
    return row


class NotReleasable(Exception):
    """This quarantined message cannot be released (its reason is not one a person overrules)."""


def release_message(*, actor, message: InboundMessage) -> InboundMessage:
    """The coordinator lets a quarantined message into intake, once: a second call (a double click, two
    coordinators) finds the decision made and changes nothing."""
    require(is_coordinator(actor))
    written: list[str] = []
    try:
        with transaction.atomic():
            row = InboundMessage.objects.select_for_update().get(pk=message.pk)
            if row.decision:
                return row
            if not row.releasable:
                raise NotReleasable(row.get_reason_display())
            raw = bytes(row.original or b"")
            mail = parse(raw)
            decision = decide(mail, released=True)
            row.outcome, row.reason, row.detail = decision.outcome, row.reason, decision.detail
            row.incident, row.focal_point = decision.incident, decision.focal_point
            row.organization = decision.focal_point.organization if decision.focal_point else None
            if decision.outcome in {Outcome.CREATED, Outcome.THREADED}:
                _act(mail, raw, row, decision, written)
            if row.outcome == Outcome.QUARANTINED:  # the report itself was refused: still to discard
                row.save()
                return row
            _decided(row, actor, InboundMessage.Decision.RELEASED)
            return row
    except BaseException:
        for name in written:
            evidence_services._storage().delete(name)
        raise


@transaction.atomic
def discard_message(*, actor, message: InboundMessage) -> InboundMessage:
    """The coordinator decides a quarantined message is not a report: its kept bytes are dropped (the
    mailbox still holds it); the row stays as the record of who decided and when."""
    require(is_coordinator(actor))
    row = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if row.decision:
        return row
    if not row.awaits_decision:
        raise NotReleasable(row.get_outcome_display())
    row.original = None
    _decided(row, actor, InboundMessage.Decision.DISCARDED)
    return row


def _decided(row: InboundMessage, actor, decision: str) -> None:
    row.decision, row.decided_at, row.decided_by = decision, timezone.now(), actor
    if row.outcome != Outcome.QUARANTINED:
        row.original = None  # it is evidence of the incident now (message.eml)
    row.save()


def _too_large_detail(size: int) -> str:
    return _("%(size)s bytes; the limit is %(limit)s bytes. Ask the sender for a link or a smaller file.") % {
        "size": size,
        "limit": settings.MAIL_INTAKE_MAX_BYTES,
    }


def _receive(mail: ParsedMail, raw: bytes, *, mailbox: str, uid: str) -> InboundMessage:
    written: list[str] = []
    try:
        with transaction.atomic():
            decision = decide(mail)
            row = _row(mail, mailbox=mailbox, uid=uid, decision=decision)
            if decision.outcome in {Outcome.CREATED, Outcome.THREADED}:
                _act(mail, raw, row, decision, written)
            if row.outcome == Outcome.QUARANTINED:
                row.original = raw  # kept so that a coordinator may release it (release_message)
            row.save()
            return row
    except BaseException:
        for name in written:  # files written for a transaction that did not commit
            evidence_services._storage().delete(name)
        raise


def decide(mail: ParsedMail, *, released: bool = False) -> Decision:
    """What to do with a message, from the cheapest signal to the dearest; nothing is written.
    A message a coordinator `released` passes the sender limit and the empty-message rule."""
    refusal = None if released else _refusal(mail)
    if refusal is not None:
        return refusal
    trusted = not FAILED_AUTH.search(mail.headers.get("Authentication-Results", ""))
    incident = mailthreads.incident_named(mail) if trusted else None
    focal_point = matching_focal_point(mail.sender) if trusted else None
    if incident is not None and may_follow_up(mail.sender, incident):
        return Decision(Outcome.THREADED, incident=incident, focal_point=focal_point)
    # A reference the sender may not follow up is treated exactly like none at all (a new report): the
    # answer must not tell whether that incident exists.
    if not released and not (_title(mail) or mail.text.strip() or mail.attachments):
        return Decision(Outcome.QUARANTINED, Reason.EMPTY)
    return Decision(Outcome.CREATED, focal_point=focal_point)


def _refusal(mail: ParsedMail) -> Decision | None:
    own = [settings.MAIL_INTAKE_ADDRESS, _address(settings.DEFAULT_FROM_EMAIL)]
    kind = machine_kind(mail, own_addresses=own)
    if kind:
        return Decision(Outcome.IGNORED, kind)
    if not mail.sender:
        return Decision(Outcome.QUARANTINED, Reason.NO_SENDER)
    if mail.size > settings.MAIL_INTAKE_MAX_BYTES:
        return Decision(Outcome.QUARANTINED, Reason.TOO_LARGE, _too_large_detail(mail.size))
    if _over_sender_limit(mail.sender):
        limit = settings.MAIL_INTAKE_PER_SENDER_PER_HOUR
        return Decision(
            Outcome.QUARANTINED,
            Reason.RATE_LIMITED,
            _("More than %(n)s messages from this sender within an hour.") % {"n": limit},
        )
    return None


def _over_sender_limit(sender: str) -> bool:
    """A mail bomb: counted in the log itself (exact across workers), over the last hour."""
    since = timezone.now() - datetime.timedelta(hours=1)
    accepted = InboundMessage.objects.filter(
        sender=sender, received_at__gte=since, outcome__in=[Outcome.CREATED, Outcome.THREADED]
    )
    return accepted.count() >= settings.MAIL_INTAKE_PER_SENDER_PER_HOUR


def _address(value: str) -> str:
    found = re.search(r"[^<>\s]+@[^<>\s]+", value or "")
    return found.group(0).lower() if found else ""


def _row(mail: ParsedMail, *, mailbox: str, uid: str, decision: Decision) -> InboundMessage:
    focal_point = decision.focal_point
    return InboundMessage(
        message_id=mail.message_id,
        mailbox=mailbox[:200],
        uid=uid[:40],
        sender=mail.sender,
        subject=mail.subject,
        size=mail.size,
        sent_at=mail.sent_at,
        received_at=timezone.now(),
        outcome=decision.outcome,
        reason=decision.reason,
        detail=decision.detail,
        incident=decision.incident,
        focal_point=focal_point,
        organization=focal_point.organization if focal_point else None,
    )


# --- acting on it ---------------------------------------------------------------------------------


def _act(mail: ParsedMail, raw: bytes, row: InboundMessage, decision: Decision, written: list[str]) -> None:
    if decision.outcome == Outcome.THREADED:
        incident = decision.incident
        assert incident is not None
        _thread(mail, incident)
    else:
        try:
            with transaction.atomic():
                report = submit_report(actor=AnonymousUser(), data=_report_input(mail, decision.focal_point))
        except ValidationError as error:
            row.outcome, row.reason = Outcome.QUARANTINED, Reason.INVALID
            row.detail = "; ".join(error.messages)
            return
        incident = report.incident
    row.incident = incident
    row.attachments = _keep_files(mail, raw, incident, written)


def _title(mail: ParsedMail) -> str:
    return " ".join(REPLY_PREFIX.sub("", TBSC.sub(" ", mail.subject)).split())


def _report_input(mail: ParsedMail, focal_point: FocalPoint | None) -> ReportInput:
    text = mail.text[:MAX_TEXT].strip()
    title = _title(mail) or text.split("\n", 1)[0][:120] or _("Report by e-mail")
    if not text:
        text = _("(The message has no text; see its attachments.)")
    name = mail.sender_name or (focal_point.full_name if focal_point else "") or mail.sender
    return ReportInput(
        channel=IncidentReport.Channel.EMAIL,
        title=title[:300],
        description=text,
        detected_at=timezone.now(),
        reporter_name=name[:200],
        reporter_email=mail.sender,
        organization=focal_point.organization if focal_point else None,
        form_data={
            # Form 03's items the sender wrote on labelled lines; the rest stays "not provided".
            **form03.from_labelled_text(text),
            "email": {
                "message_id": mail.message_id,
                "subject": mail.subject,
                "tbsc": bool(TBSC.search(mail.subject)),
                "converted_from": mail.converted_from,  # TCVN3/VNI read as such (the .eml keeps the bytes)
                "focal_point": focal_point.pk if focal_point else None,
            },
        },
    )


def _thread(mail: ParsedMail, incident: Incident) -> None:
    text = mail.text[:MAX_TEXT].strip() or _("(The message has no text; see its attachments.)")
    # Everyone who sees the incident reads this: a name, or a masked address (a citizen reporter's).
    who = mail.sender_name or mask_address(mail.sender)
    record(
        incident,
        TimelineEvent.Kind.EMAIL,
        actor=None,
        message=_("%(sender)s wrote:") % {"sender": who} + "\n" + text,
        sender=mail.sender,
        subject=mail.subject,
        message_id=mail.message_id,
    )


def intake_account() -> User:
    """The account that files received e-mail as evidence: inactive, so it can never sign in."""
    user, created = User.objects.get_or_create(
        username=settings.MAIL_INTAKE_ACCOUNT,
        defaults={"first_name": "E-mail intake", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _keep_files(mail: ParsedMail, raw: bytes, incident: Incident, written: list[str]) -> list[dict]:
    """Each attachment as evidence (or the reason it was refused); then the whole original message, so
    nothing the sender sent is lost to a charset we misread, unless it carries a refused file."""
    account = intake_account()
    source = _("Received by e-mail from %(sender)s (%(id)s)") % {"sender": mail.sender, "id": mail.message_id}
    kept: list[dict] = []
    for attachment in mail.attachments:
        upload = SimpleUploadedFile(attachment.name, attachment.data, attachment.content_type)
        kept.append(_keep(upload, incident, account, source, written))
    if all("evidence" in item for item in kept):
        original = SimpleUploadedFile("message.eml", raw, "message/rfc822")
        kept.append(_keep(original, incident, account, source, written))
    return kept


def _keep(upload, incident: Incident, account: User, source: str, written: list[str]) -> dict:
    item: dict = {"name": upload.name, "size": upload.size}
    try:
        with transaction.atomic():
            evidence = evidence_services.receive_file(
                intake_account=account,
                incident=incident,
                uploaded_file=upload,
                description=source,
                source=source,
            )
    except ValidationError as error:
        item["refused"] = "; ".join(error.messages)
        return item
    written.append(str(evidence.file.name))
    item.update(evidence=evidence.pk, sha256=evidence.sha256)
    return item
