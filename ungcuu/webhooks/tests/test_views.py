"""The subscription pages: who may see and change them, the secret shown once, bad input refused."""

import pytest

from ungcuu.webhooks.models import Event, Subscription

pytestmark = pytest.mark.django_db


def _form(receiver, org, **extra):
    data = {"organization": org.pk, "name": "SOC", "url": receiver.url, "events": [Event.INCIDENT_REPORTED]}
    return data | extra


def test_manager_creates_a_subscription_and_sees_the_secret_once(client_for, manager, org_a, receiver):
    client = client_for(manager)
    response = client.post("/webhooks/new/", _form(receiver, org_a))
    subscription = Subscription.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and subscription.secret in page
    assert "no-store" in response["Cache-Control"]
    detail = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret not in detail and subscription.secret_hint in detail
    assert subscription.secret not in client.get("/webhooks/").content.decode()


def test_rotating_gives_a_new_secret_and_keeps_the_old_for_the_grace(client_for, manager, subscribe):
    subscription = subscribe()
    old = subscription.secret
    response = client_for(manager).post(f"/webhooks/{subscription.pk}/rotate/")
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in response.content.decode()
    assert subscription.previous_secret == old and subscription.previous_secret_expires_at


def test_bad_input_is_refused_with_reasons_and_nothing_saved(client_for, manager, org_a, receiver, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    client = client_for(manager)
    response = client.post("/webhooks/new/", _form(receiver, org_a, events=["incident.deleted"]))
    assert response.status_code == 400
    settings.WEBHOOK_ALLOW_HTTP = True
    response = client.post("/webhooks/new/", _form(receiver, org_a, url="ftp://example.org/x"))
    assert response.status_code == 400
    settings.WEBHOOK_ALLOW_HTTP = False
    response = client.post("/webhooks/new/", _form(receiver, org_a))
    assert response.status_code == 400 and "http" in response.content.decode()
    assert not Subscription.objects.exists()


def test_outsider_gets_404_and_the_viewer_reads_but_cannot_change(
    client_for, subscribe, outsider, viewer, org_a, receiver
):
    subscription = subscribe()
    for path in ("", "edit/"):
        assert client_for(outsider).get(f"/webhooks/{subscription.pk}/{path}").status_code == 404
    assert client_for(outsider).post(f"/webhooks/{subscription.pk}/rotate/").status_code == 404
    page = client_for(viewer).get(f"/webhooks/{subscription.pk}/").content.decode()
    assert "SIEM" in page and subscription.secret not in page
    assert client_for(viewer).get(f"/webhooks/{subscription.pk}/edit/").status_code == 403
    assert client_for(viewer).post(f"/webhooks/{subscription.pk}/rotate/").status_code == 403
    assert client_for(viewer).get("/webhooks/new/").status_code == 403
    # The outsider manages org B only: org A is not a choice.
    response = client_for(outsider).post("/webhooks/new/", _form(receiver, org_a))
    assert response.status_code == 400
    assert Subscription.objects.count() == 1
    old_secret = subscription.secret
    subscription.refresh_from_db()
    assert subscription.secret == old_secret
    assert "SIEM" not in client_for(outsider).get("/webhooks/").content.decode()


def test_coordinator_manages_the_specialised_units_subscriptions(
    client_for, coordinator, specialised_unit, receiver
):
    response = client_for(coordinator).post("/webhooks/new/", _form(receiver, specialised_unit))
    assert response.status_code == 200
    assert Subscription.objects.get().organization == specialised_unit


def test_switching_off_and_on_from_the_edit_page(client_for, manager, subscribe, receiver):
    subscription = subscribe()
    client = client_for(manager)
    data = {"name": "SIEM 2", "url": receiver.url, "events": [Event.INCIDENT_CHANGED]}
    assert client.post(f"/webhooks/{subscription.pk}/edit/", data).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.name == "SIEM 2"
    assert subscription.events == [Event.INCIDENT_CHANGED]
    client.post(f"/webhooks/{subscription.pk}/edit/", data | {"is_active": "on"})
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 0
