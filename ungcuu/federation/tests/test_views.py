"""The federation pages' gates: hidden is 404, visible but not allowed is 403; bad input is a clear 400."""

from __future__ import annotations

import pytest

from ungcuu.federation import delivery
from ungcuu.federation.models import NationalIncident, OutboxMessage
from ungcuu.federation.tests.conftest import as_national, loopback


@pytest.mark.parametrize("persona", ["viewer", "responder", "outsider", "national"])
def test_province_outbox_is_hidden_from_everyone_but_coordinators(serious, client_for, request, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get("/federation/outbox/").status_code == 404
    assert client_for(user).get("/federation/inbox/").status_code == 404
    message = OutboxMessage.objects.first()
    assert client_for(user).post(f"/federation/outbox/{message.pk}/retry/").status_code == 404
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.PENDING


def test_coordinator_sees_the_outbox_and_sends_a_message_again(
    serious, client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert client.get("/federation/").url == "/federation/outbox/"
    page = client.get("/federation/outbox/")
    assert page.status_code == 200 and serious.reference.encode() in page.content
    message = OutboxMessage.objects.order_by("seq").first()  # the head of the incident's stream
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.REFUSED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/federation/outbox/{message.pk}/retry/")
    assert response.status_code == 302
    # The immediate backend ran the delivery at once: the national instance is not reachable here.
    assert OutboxMessage.objects.get(pk=message.pk).state == OutboxMessage.State.RETRYING


def test_statistics_form_refuses_an_unknown_period(federation, client_for, coordinator):
    response = client_for(coordinator).post("/federation/statistics/", {"period": "2026-H9"})
    assert response.status_code == 400
    assert b"Unknown period." in response.content
    assert not OutboxMessage.objects.exists()


def test_national_pages_are_for_national_staff_only(serious, client_for, national, coordinator):
    delivery.deliver_due(transport=loopback(as_national))
    found = NationalIncident.objects.get()
    with as_national():
        assert client_for(coordinator).get("/federation/").status_code == 404
        assert client_for(coordinator).get(f"/federation/incidents/{found.pk}/").status_code == 404
        response = client_for(coordinator).post(f"/federation/incidents/{found.pk}/status/", {"status": "x"})
        assert response.status_code == 404
        client = client_for(national)
        assert client.get("/federation/").status_code == 200
        assert serious.reference.encode() in client.get(f"/federation/incidents/{found.pk}/").content
        assert client.get("/federation/inbox/NB/").status_code == 200
        assert client.get("/federation/advisory/").status_code == 200
    # On a province the national pages do not exist.
    assert client_for(national).get(f"/federation/incidents/{found.pk}/").status_code == 404


def test_national_status_form_validates_and_sends(serious, client_for, national):
    delivery.deliver_due(transport=loopback(as_national))
    found = NationalIncident.objects.get()
    with as_national():
        client = client_for(national)
        refused = client.post(f"/federation/incidents/{found.pk}/status/", {"status": ""})
        assert refused.status_code == 400
        assert not OutboxMessage.objects.filter(destination="NB").exists()
        sent = client.post(f"/federation/incidents/{found.pk}/status/", {"status": "Đã tiếp nhận"})
        assert sent.status_code == 302
    found.refresh_from_db()
    assert found.national_status == "Đã tiếp nhận"
    assert OutboxMessage.objects.get(destination="NB").kind == "status"


def test_share_page_is_the_incidents_own_gate(serious, client_for, coordinator, outsider):
    assert client_for(outsider).get(f"/federation/share/{serious.pk}/").status_code == 404
    assert client_for(coordinator).get(f"/federation/share/{serious.pk}/").status_code == 200
