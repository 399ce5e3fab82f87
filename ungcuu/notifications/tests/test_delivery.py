"""Delivery: retries with back-off, dead after the last attempt, abandoned claims, the sweep, plug-ins."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from ungcuu.notifications import delivery, services
from ungcuu.notifications.channels import CHANNELS
from ungcuu.notifications.delivery import deliver, retry_due
from ungcuu.notifications.jobs import deliver_notification, deliver_notifications
from ungcuu.notifications.models import SENDING_LEASE, Notification
from ungcuu.notifications.tests.conftest import FAILING, LOCMEM

State = Notification.State
SECOND = datetime.timedelta(seconds=1)


def queue_mail(address="reporter@example.com", **kwargs):
    (row,) = services.notify(
        event="report_ack", subject="Đã nhận", body="Cảm ơn", addresses=[address], **kwargs
    )
    return row


def test_every_channel_kind_has_a_plugin():
    assert set(CHANNELS) == set(Notification.Channel.values)


def test_failed_mail_is_sent_exactly_once_by_a_later_sweep(db, settings):
    settings.MAILERS = FAILING
    row = queue_mail()
    now = timezone.now()
    deliver(row.pk, now=now)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == (
        State.FAILED,
        1,
        now + datetime.timedelta(seconds=60),
    )

    settings.MAILERS = LOCMEM
    assert retry_due(now=row.next_attempt_at - SECOND) == 0 and mail.outbox == []
    assert retry_due(now=row.next_attempt_at) == 1
    assert retry_due(now=row.next_attempt_at + datetime.timedelta(days=1)) == 0
    assert deliver(row.pk) is None
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == (State.SENT, 2, None)
    assert row.sent_at is not None


def test_back_off_grows_and_the_row_dies_after_the_last_attempt(db, settings):
    settings.MAILERS = FAILING
    settings.NOTIFICATION_RETRY_BACKOFF = [10, 20]
    row = queue_mail()
    now = timezone.now()
    expected = [(State.FAILED, 1, 10), (State.FAILED, 2, 20), (State.DEAD, 3, None)]
    for state, attempts, delay in expected:
        deliver(row.pk, now=now)
        row.refresh_from_db()
        assert (row.state, row.attempts) == (state, attempts)
        assert row.next_attempt_at == (now + datetime.timedelta(seconds=delay) if delay else None)
        now = row.next_attempt_at or now
    settings.MAILERS = LOCMEM
    assert retry_due(now=now + datetime.timedelta(days=30)) == 0 and mail.outbox == []


def test_a_row_is_not_retried_before_its_time(db, settings):
    settings.MAILERS = FAILING
    row = queue_mail()
    deliver(row.pk)
    settings.MAILERS = LOCMEM
    assert deliver(row.pk) is None and mail.outbox == []


def test_a_claim_abandoned_mid_send_is_due_again_after_the_lease(db):
    row = queue_mail()
    now = timezone.now()
    # What a worker that died after claiming the row leaves behind.
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING, attempts=1, next_attempt_at=now + SENDING_LEASE
    )
    assert retry_due(now=now + datetime.timedelta(minutes=5)) == 0
    assert retry_due(now=now + SENDING_LEASE) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, len(mail.outbox)) == (State.SENT, 2, 1)


def test_an_abandoned_last_attempt_gives_up_without_sending(db, settings):
    settings.NOTIFICATION_RETRY_BACKOFF = [10]
    row = queue_mail()
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(state=State.SENDING, attempts=2, next_attempt_at=now)
    assert retry_due(now=now) == 0
    row.refresh_from_db()
    assert row.state == State.DEAD and row.last_error and mail.outbox == []


def test_e_mail_has_the_official_prefix_the_link_and_a_stable_message_id(db, settings):
    (row,) = services.notify(
        event="report_ack",
        subject="Đã nhận NB-2026-000001",
        body="Cảm ơn",
        addresses=["a@example.com"],
        link="/incidents/1/",
    )
    deliver(row.pk)
    (message,) = mail.outbox
    assert message.subject == "[TBSC] Đã nhận NB-2026-000001"
    assert message.body.startswith("Cảm ơn\n")
    assert any(
        line.endswith(" https://ungcuu.example.gov.vn/incidents/1/") for line in message.body.splitlines()
    )
    assert message.to == ["a@example.com"]
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{row.pk}.")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_subject_prefix_is_configurable(db, settings):
    settings.NOTIFICATION_SUBJECT_PREFIX = "[NB-CSIRT] "
    deliver(queue_mail().pk)
    assert mail.outbox[0].subject == "[NB-CSIRT] Đã nhận"


def test_a_channel_plugin_can_be_swapped_in_the_registry(db, monkeypatch):
    def broken(notification):
        raise ConnectionError("relay unreachable")

    monkeypatch.setitem(CHANNELS, "email", broken)
    row = queue_mail()
    deliver(row.pk)
    row.refresh_from_db()
    assert row.state == State.FAILED and row.last_error == "ConnectionError: relay unreachable"


def test_failed_job_defers_its_own_retry_on_a_backend_that_can(db, settings):
    settings.MAILERS = FAILING
    row = queue_mail()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    assert deliver_notification.call(row.pk) == State.FAILED
    row.refresh_from_db()
    (retry,) = deliver_notification.get_backend().results
    assert retry.args == [row.pk] and retry.task.run_after == row.next_attempt_at


def test_deliver_job_is_idempotent(db):
    row = queue_mail()
    assert deliver_notification.call(row.pk) == State.SENT
    assert deliver_notification.call(row.pk) is None
    assert len(mail.outbox) == 1


def test_sweep_command_sends_what_is_due(db, settings):
    settings.MAILERS = FAILING
    row = queue_mail()
    deliver(row.pk)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - SECOND)
    settings.MAILERS = LOCMEM
    out = StringIO()
    call_command("deliver_notifications", stdout=out)
    assert "1 notification(s) attempted" in out.getvalue() and len(mail.outbox) == 1


def test_retry_now_gives_a_dead_row_one_more_attempt(world, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = FAILING
    settings.NOTIFICATION_RETRY_BACKOFF = []
    row = queue_mail()
    deliver(row.pk)
    row.refresh_from_db()
    assert row.state == State.DEAD
    settings.MAILERS = LOCMEM
    with pytest.raises(PermissionDenied):
        services.retry_now(actor=world["responder"], notifications=Notification.objects.filter(pk=row.pk))
    with django_capture_on_commit_callbacks(execute=True):
        count = services.retry_now(actor=world["coordinator"], notifications=Notification.objects.all())
    row.refresh_from_db()
    assert count == 1 and row.state == State.SENT and len(mail.outbox) == 1


def test_one_job_sends_every_row_even_when_one_attempt_raises(db, monkeypatch):
    rows = [queue_mail(f"r{n}@example.com") for n in range(3)]
    real = delivery.deliver

    def deliver_or_crash(pk, **kwargs):
        if pk == rows[0].pk:
            raise DatabaseError("connection lost")
        return real(pk, **kwargs)

    monkeypatch.setattr(delivery, "deliver", deliver_or_crash)
    assert deliver_notifications.call([row.pk for row in rows]) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["r1@example.com", "r2@example.com"]
    rows[0].refresh_from_db()
    assert rows[0].state == State.PENDING  # still due: the sweep sends it
