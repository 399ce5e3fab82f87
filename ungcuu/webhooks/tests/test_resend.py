"""Re-sending a delivery from the log (page and API), and the DNS rebinding guard (an injected resolver)."""

import pytest
from django.urls import reverse

from ungcuu.incidents.models import Incident
from ungcuu.webhooks import delivery, transport
from ungcuu.webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db
State = Delivery.State
URL = "/api/v1/webhook-subscriptions/"


@pytest.fixture
def failed(subscribe, report, receiver, settings, django_capture_on_commit_callbacks):
    """A delivery that failed for good: the receiver was down for every attempt."""
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    subscription = subscribe([Event.INCIDENT_REPORTED])
    receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        report()
    row = Delivery.objects.get()
    assert row.state == State.FAILED and receiver.accepted == []
    return subscription, row


def _resend(client, subscription, row, **headers):
    return client.post(
        f"{URL}{subscription.pk}/resend/", {"delivery": str(row.uuid)}, format="json", **headers
    )


def test_the_manager_resends_a_failed_delivery_and_it_lands_with_the_same_id(
    api_for, manager, failed, receiver, django_capture_on_commit_callbacks
):
    subscription, row = failed
    with django_capture_on_commit_callbacks(execute=True):
        answer = _resend(api_for(manager), subscription, row)

    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == str(row.uuid)
    row.refresh_from_db()
    assert row.state == State.DELIVERED and row.attempts == 2
    assert [p["id"] for p in receiver.accepted] == [str(row.uuid)]


def test_a_now_confidential_incident_is_not_resent(
    api_for, manager, failed, receiver, django_capture_on_commit_callbacks
):
    subscription, row = failed
    incident = Incident.objects.get(pk=row.object_id)
    incident.confidential = True
    incident.save(update_fields=["confidential"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = _resend(api_for(manager), subscription, row)

    assert answer.status_code == 409
    row.refresh_from_db()
    assert row.state == State.FAILED and row.attempts == 1 and len(receiver.raw) == 1
    assert "Confidential" not in answer.content.decode() and incident.title not in answer.content.decode()


def test_resend_access_scope_and_bad_input(api_for, manager, viewer, outsider, responder, failed):
    subscription, row = failed
    assert _resend(api_for(outsider), subscription, row).status_code == 404
    assert _resend(api_for(viewer), subscription, row).status_code == 403
    assert _resend(api_for(responder), subscription, row).status_code == 403
    narrow = _resend(api_for(manager, scopes=["read", "report"]), subscription, row)
    assert narrow.status_code == 403 and "coordinate" in narrow.json()["detail"]
    api = api_for(manager)
    assert api.post(f"{URL}{subscription.pk}/resend/", {"delivery": "nope"}, format="json").status_code == 400
    other = "00000000-0000-4000-8000-000000000000"
    assert api.post(f"{URL}{subscription.pk}/resend/", {"delivery": other}, format="json").status_code == 404
    row.refresh_from_db()
    assert row.state == State.FAILED and row.attempts == 1


def test_a_waiting_delivery_or_a_switched_off_subscription_is_409(api_for, manager, failed):
    subscription, row = failed
    api = api_for(manager)
    first = _resend(api, subscription, row)  # not sent: no on_commit in this test
    assert first.status_code == 200
    assert _resend(api, subscription, row).status_code == 409
    Delivery.objects.filter(pk=row.pk).update(state=State.FAILED)
    subscription.is_active = False
    subscription.save(update_fields=["is_active"])
    assert _resend(api, subscription, row).status_code == 409


def test_a_replayed_resend_gets_the_first_answer(api_for, manager, failed):
    subscription, row = failed
    api = api_for(manager)
    first = _resend(api, subscription, row, HTTP_IDEMPOTENCY_KEY="resend-1")
    again = _resend(api, subscription, row, HTTP_IDEMPOTENCY_KEY="resend-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"


def test_the_page_resends_from_the_log(
    client_for, manager, viewer, failed, receiver, django_capture_on_commit_callbacks
):
    subscription, row = failed
    page = client_for(viewer).get(reverse("webhooks:detail", args=[subscription.pk]))
    assert b"resend" not in page.content.split(b"delivery-table")[1]
    url = reverse("webhooks:resend", args=[subscription.pk])
    assert client_for(viewer).post(url, {"delivery": str(row.uuid)}).status_code == 403
    client = client_for(manager)
    assert client.post(url, {"delivery": "x"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"delivery": str(row.uuid)})
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.state == State.DELIVERED and len(receiver.accepted) == 1


# --- DNS rebinding -----------------------------------------------------------------------------------


class FakeDNS:
    """An injected resolver: each name answers the next address of its list (no real DNS)."""

    def __init__(self, answers: dict[str, list[list[str]]]):
        self.answers, self.asked = answers, []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return self.answers[host].pop(0)


def test_a_name_public_at_subscribe_time_and_private_at_send_time_is_refused(
    subscribe, report, receiver, settings, django_capture_on_commit_callbacks
):
    subscription = subscribe([Event.INCIDENT_REPORTED])
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    dns = FakeDNS({"hook.example.org": [["93.184.216.34"], ["127.0.0.1"]]})
    url = "https://hook.example.org/in"
    transport.check_target(url, resolve=dns)  # subscribe time: public, accepted
    type(subscription).objects.filter(pk=subscription.pk).update(url=url)
    with django_capture_on_commit_callbacks(execute=False):
        incident = report()
    [pk] = delivery.fan_out(Event.INCIDENT_REPORTED, [incident.pk], incident.created_at)

    row = delivery.deliver(pk, resolve=dns)

    assert row.state == State.RETRYING and receiver.raw == []
    assert "non-public address (127.0.0.1)" in row.attempt_log.get().error
    assert dns.asked == ["hook.example.org", "hook.example.org"]  # once at subscribe, once at send


def test_the_connection_goes_to_the_address_that_was_checked(
    subscribe, report, receiver, django_capture_on_commit_callbacks
):
    """The name is resolved once per send and the socket connects to that answer: here a name no real DNS
    knows reaches the loopback receiver only because the injected answer is used for the connection."""
    port = receiver.url.split(":")[2].split("/")[0]
    dns = FakeDNS({"receiver.invalid": [["127.0.0.1"]]})
    subscription = subscribe([Event.INCIDENT_REPORTED])
    type(subscription).objects.filter(pk=subscription.pk).update(url=f"http://receiver.invalid:{port}/")
    with django_capture_on_commit_callbacks(execute=False):
        incident = report()
    [pk] = delivery.fan_out(Event.INCIDENT_REPORTED, [incident.pk], incident.created_at)

    row = delivery.deliver(pk, resolve=dns)

    assert row.state == State.DELIVERED and dns.asked == ["receiver.invalid"]
    body, headers = receiver.raw[0]
    assert headers["Host"] == f"receiver.invalid:{port}"
