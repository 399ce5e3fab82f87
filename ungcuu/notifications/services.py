"""Queueing notifications (the outbox), retrying them by hand, and the inbox's read marks.

`notify` only writes rows, inside the caller's transaction; e-mail leaves after commit through the
`deliver_notification` job, so a rolled-back report never mails anyone and a failing mail server never
rolls back a report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record
from ungcuu.notifications.jobs import deliver_notification
from ungcuu.notifications.models import Notification, NotificationQuerySet
from ungcuu.organizations import access
from ungcuu.organizations.models import FocalPoint, Membership, Organization

Channel = Notification.Channel
State = Notification.State


@dataclass(frozen=True)
class Target:
    """One planned row: who, over which channel, and on whose behalf (organization) it goes."""

    channel: str
    user: Any = None
    organization: Organization | None = None
    address: str = ""

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.channel == Channel.INAPP else self.address.lower()


# What a recipient reads about a confidential object they may not open (and what every e-mail about one
# says): only that there is something to look at; the link is added by the channel.
DISCREET_SUBJECT = gettext_lazy("Something for you to look at on the platform")
DISCREET_BODY = gettext_lazy("There is something for you to look at on the platform. Log in to read it.")


def as_seen_by(user, rows: Iterable[Notification]) -> list[Notification]:
    """The inbox's rows as `user` may read them now (decided again when shown, not only when queued).

    A row queued while its recipient could open a confidential incident (a coordinator before a
    handler took it, a unit before its request ended) says only "something to look at" once they no
    longer can. The rows are changed in memory, never saved.
    """
    rows = list(rows)
    confidential = {r.incident_id for r in rows if r.incident is not None and r.incident.confidential}
    if confidential:
        still = set(
            Incident.objects.visible_to(user).filter(pk__in=confidential).values_list("pk", flat=True)
        )
        with translation.override(settings.LANGUAGE_CODE):
            for row in rows:
                if row.incident_id in confidential - still:
                    row.subject, row.body = str(DISCREET_SUBJECT), str(DISCREET_BODY)
    return rows


def _discloses(target: Target, confidential: models.Model | None) -> bool:
    """Whether this row may carry the content: always for ordinary items; for a confidential one only
    in-app, to a person its gate lets open it (mail leaves the platform, so it never carries it)."""
    if confidential is None:
        return True
    return target.channel == Channel.INAPP and access.can_see(target.user, confidential)


def notify(
    *,
    event: str,
    subject: str,
    body: str,
    users: Iterable = (),
    organizations: Iterable[Organization] = (),
    addresses: Iterable[str] = (),
    incident: Incident | None = None,
    link: str = "",
    dedupe_key: str = "",
    actor=None,
    confidential: models.Model | None = None,
    planned: list[Target] | None = None,
) -> list[Notification]:
    """Queue one message to people, organizations and bare addresses; returns the rows it created.

    Joins the caller's transaction. Rows already queued under the same `dedupe_key` are not queued again.
    `confidential` names the confidential object the message is about (an incident, a request): then
    each recipient is checked against that object's own gate, and whoever may not open it, and every
    e-mail, gets only "something to look at" with the link. Every producer goes through this one rule.
    `planned` is `plan_targets(...)` of the same recipients when the caller worked it out earlier (intake
    does, before it takes the reference counter).
    """
    targets = (
        plan_targets(users=users, organizations=organizations, addresses=addresses)
        if planned is None
        else planned
    )
    content = {
        "event": event,
        "subject": " ".join(subject.split())[:300],  # a header: no line breaks
        "body": body,
        "link": link,
        "incident": incident,
        "dedupe_key": dedupe_key,
    }
    try:
        return _queue(targets, content, actor=actor, confidential=confidential)
    except IntegrityError:
        if not dedupe_key:
            raise
        # A concurrent call with the same key committed first; queue only what it did not.
        return _queue(targets, content, actor=actor, confidential=confidential)


def plan_targets(
    *, users: Iterable = (), organizations: Iterable = (), addresses: Iterable[str] = ()
) -> list[Target]:
    """Expand recipients into rows, one per (channel, person or address); the first mention wins."""
    planned: dict[tuple[str, str], Target] = {}
    candidates = [
        *(target for user in users for target in _user_targets(user)),
        *(target for org in organizations for target in _organization_targets(org)),
        *(Target(Channel.EMAIL, address=a.strip()) for a in addresses if a and a.strip()),
    ]
    for target in candidates:
        planned.setdefault((target.channel, target.key), target)
    return list(planned.values())


def _user_targets(user) -> list[Target]:
    # A deactivated account is someone who left: they get neither mail nor an inbox entry.
    if user is None or not user.is_active:
        return []
    targets = [Target(Channel.INAPP, user=user)]
    if user.email:
        targets.append(Target(Channel.EMAIL, user=user, address=user.email))
    return targets


def _organization_targets(org: Organization) -> list[Target]:
    """Mail to the organization's active focal points and intake address; in-app to its members."""
    emails = FocalPoint.objects.filter(organization=org, is_active=True).exclude(email="")
    addresses = [*emails.order_by("pk").values_list("email", flat=True), org.intake_email]
    members = Membership.objects.filter(organization=org, user__is_active=True).select_related("user")
    return [
        *(Target(Channel.EMAIL, organization=org, address=a) for a in addresses if a),
        *(Target(Channel.INAPP, organization=org, user=m.user) for m in members.order_by("pk")),
    ]


@transaction.atomic
def _queue(targets: list[Target], content: dict, *, actor, confidential=None) -> list[Notification]:
    already: set[tuple[str, str]] = set()
    if content["dedupe_key"]:
        queued = Notification.objects.filter(dedupe_key=content["dedupe_key"])
        already = set(queued.values_list("channel", "recipient_key"))
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        discreet = {**content, "subject": str(DISCREET_SUBJECT), "body": str(DISCREET_BODY)}
    rows = [
        _row(t, content if _discloses(t, confidential) else discreet, now)
        for t in targets
        if (t.channel, t.key) not in already
    ]
    Notification.objects.bulk_create(rows)
    pending = [row.pk for row in rows if row.state == State.PENDING]
    if pending:
        # robust: if the queue is unreachable the rows stay pending and the sweep sends them.
        transaction.on_commit(partial(_enqueue_deliveries, pending), robust=True)
    if content["incident"] is not None and rows:
        _record_on_timeline(
            content["incident"], rows, actor=actor, event=content["event"], subject=content["subject"]
        )
    return rows


def _enqueue_deliveries(ids: list[int]) -> None:
    """One delivery job per row, enqueued in one transaction: the database queue writes a row per job, and
    one commit for all of them costs a report's submitter one disk flush instead of one per e-mail (an
    intake queues about ten). A failure leaves them all pending, which the sweep sends (issue 18)."""
    with transaction.atomic():
        for pk in ids:
            deliver_notification.enqueue(pk)


def _row(target: Target, content: dict, now) -> Notification:
    row = Notification(
        channel=target.channel,
        recipient_user=target.user,
        recipient_org=target.organization,
        to_address=target.address if target.channel == Channel.EMAIL else "",
        recipient_key=target.key,
        **content,
    )
    if target.channel == Channel.INAPP:
        # Writing the row is the delivery.
        row.state, row.attempts, row.sent_at = State.SENT, 1, now
    elif not _is_valid_address(target.address):
        # Retrying cannot fix a malformed address; show it at once instead of after six failures.
        row.state, row.last_error = State.DEAD, _("Not a valid e-mail address.")
    return row


def _is_valid_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def mask_address(address: str) -> str:
    """b***@example.vn: enough to recognise, not enough to harvest."""
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _record_on_timeline(
    incident: Incident, rows: list[Notification], *, actor, event: str, subject: str
) -> None:
    """One timeline entry per call, naming who was told and how."""
    channels: dict[str, list[str]] = {}
    for row in rows:
        # An outside address (a citizen reporter) is masked: everyone who sees the incident reads this.
        who = str(row.recipient_org or row.recipient_user or mask_address(row.to_address))
        channels.setdefault(who, []).append(str(Channel(row.channel).label))
    summary = "; ".join(f"{who} ({', '.join(sorted(set(kinds)))})" for who, kinds in channels.items())
    record(
        incident,
        TimelineEvent.Kind.NOTIFICATION,
        actor=actor,
        message=_("Notified %(recipients)s: %(subject)s") % {"recipients": summary, "subject": subject},
        event=event,
        recipients=[
            {"channel": r.channel, "recipient": r.recipient_label, "address": r.to_address, "state": r.state}
            for r in rows
        ],
        notification_ids=[r.pk for r in rows],
    )


@transaction.atomic
def retry_now(*, actor, notifications: NotificationQuerySet) -> int:
    """Send failed, dead or stuck e-mail rows again right away (the admin's "retry now")."""
    access.require(access.is_coordinator(actor))
    rows = notifications.filter(channel=Channel.EMAIL, state__in=[State.PENDING, State.FAILED, State.DEAD])
    ids = list(rows.values_list("pk", flat=True))
    # A dead row gets one more attempt; failing it again makes it dead again.
    Notification.objects.filter(pk__in=ids, state=State.DEAD).update(state=State.FAILED)
    Notification.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
    for pk in ids:
        transaction.on_commit(partial(deliver_notification.enqueue, pk), robust=True)
    return len(ids)


@transaction.atomic
def mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own in-app notifications read (the first read time is kept)."""
    access.require(notification.channel == Channel.INAPP and notification.recipient_user_id == actor.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every unread in-app notification of the actor read; returns how many changed."""
    return Notification.objects.inbox_for(actor).unread().update(read_at=timezone.now())
