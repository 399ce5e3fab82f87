"""Queueing notifications (the outbox), retrying them by hand, and the inbox's read marks.

`notify` only writes rows, inside the caller's transaction; e-mail leaves after commit through the
`deliver_notification` job, so a rolled-back report never mails anyone and a failing mail server never
rolls back a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
from django_tasks_db.backend import DatabaseBackend

from ungcuu.core import config_cache
from ungcuu.incidents.models import Incident, TimelineEvent
from ungcuu.incidents.timeline import record_many
from ungcuu.notifications.jobs import deliver_notification, deliver_notifications
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
    fresh: bool = False,
) -> list[Notification]:
    """Queue one message to people, organizations and bare addresses; returns the rows it created.

    Joins the caller's transaction. Rows already queued under the same `dedupe_key` are not queued again.
    `confidential` names the confidential object the message is about (an incident, a request): then
    each recipient is checked against that object's own gate, and whoever may not open it, and every
    e-mail, gets only "something to look at" with the link. Every producer goes through this one rule.
    `planned` is `plan_targets(...)` of the same recipients when the caller worked it out earlier (intake
    does, before it takes the reference counter). `fresh` says the dedupe key names an object created in
    this transaction (intake's acknowledgement of its new report): nothing can be queued under it yet, so
    it is not looked up (the unique key still refuses a duplicate).

    Inside `one_delivery_job()` a notice that needs no look-up is written when the block ends, together
    with the block's other notices: its rows get their primary keys then.
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
        return _queue(targets, content, actor=actor, confidential=confidential, fresh=fresh)
    except IntegrityError:
        if not dedupe_key or fresh:
            raise
        # A concurrent call with the same key committed first; queue only what it did not.
        return _queue(targets, content, actor=actor, confidential=confidential)


def plan_targets(
    *, users: Iterable = (), organizations: Iterable = (), addresses: Iterable[str] = ()
) -> list[Target]:
    """Expand recipients into rows, one per (channel, person or address); the first mention wins."""
    planned: dict[tuple[str, str], Target] = {}
    organizations = list(organizations)
    members, emails = _members(organizations), _focal_point_emails(organizations)
    candidates = [
        *(target for user in users for target in _user_targets(user)),
        *(target for org in organizations for target in _organization_targets(org, emails, members)),
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


def _organization_targets(org: Organization, emails: dict, members: dict) -> list[Target]:
    """Mail to the organization's active focal points and intake address; in-app to its members."""
    addresses = [*emails.get(org.pk, ()), org.intake_email]
    return [
        *(Target(Channel.EMAIL, organization=org, address=a) for a in addresses if a),
        *(Target(Channel.INAPP, organization=org, user=user) for user in members.get(org.pk, ())),
    ]


def _members(organizations: list[Organization]) -> dict[int, list]:
    """The active members of these organizations, per organization, in one query (never kept: people
    come and go, and each row's user decides what a confidential notice may say)."""
    if not organizations:
        return {}
    found: dict[int, list] = {}
    rows = Membership.objects.filter(organization__in=organizations, user__is_active=True)
    for membership in rows.select_related("user").order_by("pk"):
        found.setdefault(membership.organization_id, []).append(membership.user)
    return found


def _focal_point_emails(organizations: list[Organization]) -> dict[int, tuple[str, ...]]:
    """The organizations' active focal points' addresses, oldest first: inside `config_cache.pinned()`
    (intake) every organization's, kept per process like the routing rules that name them."""
    if config_cache.is_pinned():
        return config_cache.cached("focal-point-emails", _load_focal_point_emails)
    return _load_focal_point_emails([org.pk for org in organizations]) if organizations else {}


def _load_focal_point_emails(org_ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    emails: dict[int, list[str]] = {}
    rows = FocalPoint.objects.filter(is_active=True).exclude(email="").order_by("pk")
    if org_ids is not None:
        rows = rows.filter(organization_id__in=org_ids)
    for org_id, email in rows.values_list("organization_id", "email"):
        emails.setdefault(org_id, []).append(email)
    return {org_id: tuple(found) for org_id, found in emails.items()}


def _queue(
    targets: list[Target], content: dict, *, actor, confidential=None, fresh: bool = False
) -> list[Notification]:
    looked_up = bool(content["dedupe_key"]) and not fresh
    together = _together.get()
    if together is not None and not looked_up:
        rows = _rows(targets, content, confidential, already=set())
        together.append(_Write(rows, _timeline_entry(rows, content, actor=actor)))
        return rows
    # A savepoint only where `notify` may retry after an IntegrityError (a dedupe key looked up); without
    # one the error ends the caller's transaction anyway.
    with transaction.atomic(savepoint=looked_up):
        rows = _write(targets, content, actor=actor, confidential=confidential, looked_up=looked_up)
    _deliver_after_commit([row.pk for row in rows if row.state == State.PENDING])
    return rows


def _write(
    targets: list[Target], content: dict, *, actor, confidential, looked_up: bool
) -> list[Notification]:
    already: set[tuple[str, str]] = set()
    if looked_up:
        # `dedupe_key <> ''` repeats the unique index's condition: without it SQLite cannot use that
        # partial index and scans every notification (0.3-0.5 s at 100k incidents, issue 18).
        queued = (
            Notification.objects.filter(dedupe_key=content["dedupe_key"]).exclude(dedupe_key="").order_by()
        )
        already = set(queued.values_list("channel", "recipient_key"))
    rows = _rows(targets, content, confidential, already=already)
    Notification.objects.bulk_create(rows)
    entry = _timeline_entry(rows, content, actor=actor)
    if entry is not None:
        entry.data["notification_ids"] = [row.pk for row in rows]
        record_many([entry])
    return rows


def _rows(targets: list[Target], content: dict, confidential, *, already: set) -> list[Notification]:
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        discreet = {**content, "subject": str(DISCREET_SUBJECT), "body": str(DISCREET_BODY)}
    return [
        _row(t, content if _discloses(t, confidential) else discreet, now)
        for t in targets
        if (t.channel, t.key) not in already
    ]


def _deliver_after_commit(pending: list[int]) -> None:
    batch = _batch.get()
    if batch is not None:
        batch.extend(pending)
    elif pending:
        # robust: if the queue is unreachable the rows stay pending and the sweep sends them.
        transaction.on_commit(partial(_enqueue_deliveries, pending), robust=True)


@dataclass(frozen=True)
class _Write:
    """A notice queued inside `written_together()`: its rows and its timeline entry, saved at the end."""

    rows: list[Notification]
    entry: TimelineEvent | None


_batch: ContextVar[list[int] | None] = ContextVar("ungcuu_notification_batch", default=None)
_together: ContextVar[list[_Write] | None] = ContextVar("ungcuu_notifications_together", default=None)


@contextmanager
def one_delivery_job() -> Iterator[None]:
    """Every notice queued in the block is sent by one job (intake: one job for its ten-odd e-mails),
    enqueued in the caller's transaction when the queue is this database, else after it commits. Use it
    inside that transaction: the rows are written in it as always (the outbox), only the job is shared.
    If a job is lost anyway, its rows stay pending and the sweep sends them."""
    if _batch.get() is not None:
        yield
        return
    ids: list[int] = []
    reset = _batch.set(ids)
    try:
        yield
    finally:
        _batch.reset(reset)
    if not ids:
        return
    if _queue_in_this_database():
        # The database queue (the default) writes the job as a row of this database: enqueued now, it
        # commits with the notices or not at all, and the report's commit is the only one (issue 18: the
        # job's own transaction after commit was a second commit, a second disk flush, per report). The
        # worker cannot see the job before the commit. Any other queue (RQ) is told after commit.
        _enqueue_deliveries(ids)
    else:
        transaction.on_commit(partial(_enqueue_deliveries, ids), robust=True)


def _queue_in_this_database() -> bool:
    backend = deliver_notifications.get_backend()
    return isinstance(backend, DatabaseBackend) and transaction.get_connection().in_atomic_block


@contextmanager
def written_together() -> Iterator[None]:
    """The notices queued in the block are written when it ends, in the caller's transaction: every row
    in one INSERT and their timeline entries in another (issue 18: intake's two notices cost four
    INSERTs). Nothing in the block may need the rows' primary keys (they are set at the end); a notice
    whose dedupe key must be looked up is written at once, as outside the block."""
    if _together.get() is not None:
        yield
        return
    writes: list[_Write] = []
    reset = _together.set(writes)
    try:
        yield
    finally:
        _together.reset(reset)
    rows = [row for write in writes for row in write.rows]  # not reached on an error: rolled back anyway
    Notification.objects.bulk_create(rows)
    for write in writes:
        if write.entry is not None:
            write.entry.data["notification_ids"] = [row.pk for row in write.rows]
    record_many([write.entry for write in writes if write.entry is not None])
    _deliver_after_commit([row.pk for row in rows if row.state == State.PENDING])


def _enqueue_deliveries(ids: list[int]) -> None:
    """One job for the rows of one transaction (the database queue writes a row per job: one INSERT
    after the report's commit instead of one per e-mail, issue 18). If it cannot be enqueued, the rows
    stay pending and the sweep sends them."""
    deliver_notifications.enqueue(ids)


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


def _timeline_entry(rows: list[Notification], content: dict, *, actor) -> TimelineEvent | None:
    """The notice's timeline entry, naming who was told and how; composed now (in the caller's language
    block, at this time), saved by the caller once the rows have their keys (`notification_ids`)."""
    if content["incident"] is None or not rows:
        return None
    channels: dict[str, list[str]] = {}
    for row in rows:
        # An outside address (a citizen reporter) is masked: everyone who sees the incident reads this.
        who = str(row.recipient_org or row.recipient_user or mask_address(row.to_address))
        channels.setdefault(who, []).append(str(Channel(row.channel).label))
    summary = "; ".join(f"{who} ({', '.join(sorted(set(kinds)))})" for who, kinds in channels.items())
    recipients = [
        {"channel": r.channel, "recipient": r.recipient_label, "address": r.to_address, "state": r.state}
        for r in rows
    ]
    return TimelineEvent(
        incident=content["incident"],
        kind=TimelineEvent.Kind.NOTIFICATION,
        actor=actor,
        message=_("Notified %(recipients)s: %(subject)s")
        % {"recipients": summary, "subject": content["subject"]},
        data={"event": content["event"], "recipients": recipients, "notification_ids": []},
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
