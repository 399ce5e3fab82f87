"""The subscription API: the pages' actions, the same gate, the secret returned once."""

import pytest

from ungcuu.webhooks.models import Event, Subscription

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhook-subscriptions/"


def test_manager_creates_lists_rotates_and_reads_deliveries(api_for, manager, org_a, receiver):
    api = api_for(manager)
    body = {"organization": org_a.pk, "name": "SOC", "url": receiver.url, "events": [Event.INCIDENT_REPORTED]}
    created = api.post(URL, body, format="json")
    assert created.status_code == 201
    subscription = Subscription.objects.get()
    assert created.json()["secret"] == subscription.secret and created.json()["events"] == [
        "incident.reported"
    ]
    listed = api.get(URL).json()
    assert subscription.secret not in str(listed)
    rotated = api.post(f"{URL}{subscription.pk}/rotate-secret/")
    subscription.refresh_from_db()
    assert rotated.status_code == 200 and rotated.json()["secret"] == subscription.secret
    assert api.get(f"{URL}{subscription.pk}/deliveries/").json()["results"] == []
    assert api.get(f"{URL}{subscription.pk}/deliveries/", {"page": 1}).status_code == 200  # the log pages
    unknown = api.get(f"{URL}{subscription.pk}/deliveries/", {"event": "x"})
    assert unknown.status_code == 400 and "event" in unknown.json()
    changed = api.patch(f"{URL}{subscription.pk}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False


def test_outsider_sees_nothing_and_the_viewer_cannot_change(
    api_for, subscribe, outsider, viewer, org_a, receiver
):
    subscription = subscribe()
    body = {"organization": org_a.pk, "name": "X", "url": receiver.url, "events": [Event.INCIDENT_REPORTED]}
    api = api_for(outsider)
    assert api.get(f"{URL}{subscription.pk}/").status_code == 404
    assert api.post(f"{URL}{subscription.pk}/rotate-secret/").status_code == 404
    assert api.post(URL, body, format="json").status_code == 400  # org A is not among its choices
    assert api.get(URL).json()["results"] == []
    api = api_for(viewer)
    assert api.get(f"{URL}{subscription.pk}/").json()["secret_hint"] == subscription.secret_hint
    assert api.post(f"{URL}{subscription.pk}/rotate-secret/").status_code == 403
    assert api.patch(f"{URL}{subscription.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert api.post(URL, body, format="json").status_code == 403
    assert Subscription.objects.count() == 1 and Subscription.objects.get().name == "SIEM"


def test_bad_input_is_a_400_with_reasons(api_for, manager, org_a, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    body = {"organization": org_a.pk, "name": "X", "url": "http://example.org/x", "events": ["nope"]}
    response = api_for(manager).post(URL, body, format="json")
    assert response.status_code == 400 and "events" in response.json()
    body["events"] = [Event.INCIDENT_REPORTED]
    response = api_for(manager).post(URL, body, format="json")
    assert response.status_code == 400 and "url" in response.json()
    assert not Subscription.objects.exists()
