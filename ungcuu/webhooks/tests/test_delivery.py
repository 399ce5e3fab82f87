"""End to end against a real HTTP receiver: signed, verified, replay refused, retried, disabled, gated."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from ungcuu.notifications.models import Notification
from ungcuu.webhooks import delivery, signing
from ungcuu.webhooks.models import Delivery, Event
from ungcuu.webhooks.tests.receiver import replay

pytestmark = pytest.mark.django_db
State = Delivery.State


def test_reported_incident_reaches_the_receiver_signed_and_a_replay_is_refused(
    subscribe, report, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe([Event.INCIDENT_REPORTED])
    with django_capture_on_commit_callbacks(execute=True):
        incident = report()

    assert len(receiver.accepted) == 1
    payload = receiver.accepted[0]
    row = Delivery.objects.get(subscription=subscription)
    assert row.state == State.DELIVERED and row.attempts == 1
    assert payload["id"] == str(row.uuid) and payload["event"] == "incident.reported"
    assert payload["organization"] == "SO-ALPHA"
    assert payload["data"]["reference"] == incident.reference
    assert payload["data"]["title"] == "Tấn công thay đổi giao diện"  # UTF-8 kept, not escaped
    attempt = row.attempt_log.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok" and attempt.duration_ms >= 0

    body, headers = receiver.raw[-1]
    assert headers[signing.DELIVERY_HEADER] == str(row.uuid)
    assert headers[signing.EVENT_HEADER] == "incident.reported"
    assert replay(receiver.url, body, headers) == 409  # same id again: the receiver's guard refuses it
    tampered = body.replace(b"SO-ALPHA", b"SO-BETA!")
    assert replay(receiver.url, tampered, headers) == 401
    assert receiver.refused == ["delivery already received (replay)", "no matching signature"]


def test_a_rolled_back_change_never_fires(subscribe, report, receiver, django_capture_on_commit_callbacks):
    subscribe([Event.INCIDENT_REPORTED])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        report()
        raise RuntimeError("the caller failed after the service")
    assert Delivery.objects.count() == 0 and receiver.raw == []


def test_other_units_and_confidential_incidents_are_never_sent(
    subscribe, report, receiver, outsider, org_b, django_capture_on_commit_callbacks
):
    subscribe([Event.INCIDENT_REPORTED])
    with django_capture_on_commit_callbacks(execute=True):
        report(actor=outsider, organization=org_b, title="Beta only")
        report(confidential=True, title="Confidential Alpha")
    assert Delivery.objects.count() == 0 and receiver.raw == []


def test_readability_is_asked_again_when_sending(
    subscribe, report, receiver, django_capture_on_commit_callbacks
):
    """An incident that turned confidential between the event and the attempt is withheld."""
    subscribe([Event.INCIDENT_REPORTED])
    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        incident = report()
    row = Delivery.objects.get()
    assert row.state == State.RETRYING
    incident.confidential = True
    incident.save(update_fields=["confidential"])
    later = row.next_attempt_at + datetime.timedelta(seconds=1)
    assert delivery.retry_due(now=later) == 1
    row.refresh_from_db()
    assert row.state == State.WITHHELD and len(receiver.raw) == 1 and receiver.accepted == []


def test_failures_are_retried_with_backoff_then_the_delivery_lands(
    subscribe, report, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe([Event.INCIDENT_REPORTED])
    receiver.fail_next = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        report()
    row = Delivery.objects.get()
    assert row.state == State.RETRYING and row.next_attempt_at == start + datetime.timedelta(seconds=30)
    assert delivery.retry_due(now=start + datetime.timedelta(seconds=29)) == 0  # not due yet
    second = start + datetime.timedelta(seconds=31)
    delivery.retry_due(now=second)
    row.refresh_from_db()
    assert row.next_attempt_at == second + datetime.timedelta(seconds=120)  # 30 s × 4
    delivery.retry_due(now=second + datetime.timedelta(seconds=121))
    row.refresh_from_db()
    subscription.refresh_from_db()
    assert row.state == State.DELIVERED and row.attempts == 3
    assert [a.status_code for a in row.attempt_log.order_by("number")] == [503, 503, 200]
    assert row.attempt_log.order_by("number").first().response_excerpt == "busy, try later"
    assert subscription.consecutive_failures == 0 and subscription.is_active
    assert len(receiver.accepted) == 1
    # Every attempt carried the same delivery id, each with a fresh signature.
    assert {h[signing.DELIVERY_HEADER] for _b, h in receiver.raw} == {str(row.uuid)}


def test_repeated_failures_disable_the_subscription_and_tell_its_managers(
    subscribe, report, receiver, manager, django_capture_on_commit_callbacks
):
    subscription = subscribe([Event.INCIDENT_REPORTED])
    receiver.fail_next = 100
    with django_capture_on_commit_callbacks(execute=True):
        report(title="Một")
        report(title="Hai")
    moment = timezone.now() + datetime.timedelta(minutes=1)
    delivery.retry_due(now=moment)  # the third failure in a row (DISABLE_AFTER = 3)
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.consecutive_failures == 3
    assert "3" in subscription.disabled_reason
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.CANCELLED}
    notices = Notification.objects.filter(event="webhook_disabled", recipient_user=manager)
    assert notices.exists() and all("SIEM" in n.subject for n in notices)
    assert delivery.retry_due(now=moment + datetime.timedelta(days=1)) == 0  # nothing more is sent
    assert len(receiver.raw) == 3


def test_a_delivery_gives_up_after_the_last_attempt(
    subscribe, report, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 100
    subscribe([Event.INCIDENT_REPORTED])
    receiver.fail_next = 100
    with django_capture_on_commit_callbacks(execute=True):
        report()
    moment = timezone.now()
    for _ in range(5):
        moment += datetime.timedelta(hours=3)
        delivery.retry_due(now=moment)
    row = Delivery.objects.get()
    assert row.state == State.FAILED and row.attempts == 4 and row.attempt_log.count() == 4


def test_an_unreachable_endpoint_is_logged_as_an_error(
    subscribe, report, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe([Event.INCIDENT_REPORTED])
    subscription.url = "http://127.0.0.1:9/nothing-listens-here"
    subscription.save(update_fields=["url"])
    with django_capture_on_commit_callbacks(execute=True):
        report()
    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and "Connection" in attempt.error


def test_private_targets_are_refused_unless_allowed(
    subscribe, report, receiver, settings, django_capture_on_commit_callbacks
):
    subscribe([Event.INCIDENT_REPORTED])
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with django_capture_on_commit_callbacks(execute=True):
        report()
    attempt = Delivery.objects.get().attempt_log.get()
    assert "non-public address" in attempt.error and receiver.raw == []


def test_a_rotated_secret_signs_beside_the_old_one_during_the_grace(
    subscribe, report, receiver, manager, django_capture_on_commit_callbacks
):
    from ungcuu.webhooks import services  # noqa: PLC0415

    subscription = subscribe([Event.INCIDENT_REPORTED])
    old = receiver.secret
    _sub, new = services.rotate_secret(actor=manager, subscription=subscription)
    with django_capture_on_commit_callbacks(execute=True):
        report()
    body, headers = receiver.raw[-1]
    signing.verify(old, body, headers[signing.SIGNATURE_HEADER])
    signing.verify(new, body, headers[signing.SIGNATURE_HEADER])
    assert len(receiver.accepted) == 1
