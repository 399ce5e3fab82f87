"""Dismissing an alert group without an incident (page and API), and a new alert reopening it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from ungcuu.alerts.models import AlertGroup
from ungcuu.alerts.tests.helpers import NOW, alert, post
from ungcuu.incidents.models import Incident

pytestmark = pytest.mark.django_db

REASON = "Quét định kỳ của đơn vị, không phải tấn công"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def group(api_for, coordinator, org_a):
    post(api_for(coordinator), [alert(organization=org_a.pk), alert(organization=org_a.pk)])
    return AlertGroup.objects.get()


def _dismiss(client, group, reason=REASON, **headers):
    return client.post(
        f"/api/v1/alert-groups/{group.pk}/dismiss/", {"reason": reason}, format="json", **headers
    )


def test_the_unit_manager_dismisses_with_a_reason_and_the_group_stays_listed(api_for, manager, group):
    client = api_for(manager)

    answer = _dismiss(client, group)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["dismissal_reason"], body["reopened_count"]) == ("dismissed", REASON, 0)
    assert body["dismissed_by"] == manager.get_full_name() and body["dismissed_at"]
    listed = client.get("/api/v1/alert-groups/?status=dismissed").json()
    assert [g["id"] for g in listed["results"]] == [group.pk]
    assert not Incident.objects.exists()


def test_a_new_alert_with_the_key_reopens_the_dismissed_group_and_counts_it(
    api_for, manager, responder, group
):
    _dismiss(api_for(manager), group)

    post(api_for(responder), [alert(), alert(), alert()])

    group.refresh_from_db()
    assert AlertGroup.objects.count() == 1
    assert (group.status, group.count, group.reopened_count) == ("open", 5, 1)
    assert (group.dismissal_reason, group.alerts_since_dismissal) == (REASON, 3)
    # Dismissed again and reopened again: the counter goes on, the latest reason is kept.
    _dismiss(api_for(manager), group, reason="Vẫn là máy quét")
    post(api_for(responder), alert())
    group.refresh_from_db()
    assert (group.status, group.reopened_count, group.alerts_since_dismissal) == ("open", 2, 1)


def test_a_dismissed_group_can_still_be_promoted(api_for, coordinator, group):
    client = api_for(coordinator)
    _dismiss(client, group)

    assert client.post(f"/api/v1/alert-groups/{group.pk}/promote/").status_code == 200
    group.refresh_from_db()
    assert group.status == "promoted" and group.dismissal_reason == REASON


def test_only_an_open_group_is_dismissed(api_for, coordinator, group):
    client = api_for(coordinator)
    client.post(f"/api/v1/alert-groups/{group.pk}/promote/")

    answer = _dismiss(client, group)

    assert answer.status_code == 409
    group.refresh_from_db()
    assert group.status == "promoted" and group.dismissed_at is None


def test_outsider_404_viewer_403_and_bad_input_400_write_nothing(api_for, outsider, viewer, manager, group):
    assert _dismiss(api_for(outsider), group).status_code == 404
    assert _dismiss(api_for(viewer), group).status_code == 403
    assert _dismiss(api_for(manager), group, reason="   ").status_code == 400
    assert _dismiss(api_for(manager), group, reason="x" * 501).status_code == 400
    group.refresh_from_db()
    assert (group.status, group.dismissed_at, group.dismissal_reason) == ("open", None, "")


def test_a_token_without_the_coordinate_scope_cannot_dismiss(api_for, manager, group):
    for scopes in (["read"], ["read", "report"]):
        answer = _dismiss(api_for(manager, scopes=scopes), group)
        assert answer.status_code == 403 and "coordinate" in answer.json()["detail"]
    group.refresh_from_db()
    assert group.status == "open"


def test_a_replayed_dismissal_gets_the_first_answer(api_for, manager, group):
    client = api_for(manager)
    first = _dismiss(client, group, HTTP_IDEMPOTENCY_KEY="dismiss-1")
    again = _dismiss(client, group, HTTP_IDEMPOTENCY_KEY="dismiss-1")

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert _dismiss(client, group, reason="other", HTTP_IDEMPOTENCY_KEY="dismiss-1").status_code == 422


def test_the_page_dismisses_and_shows_who_when_why(client, manager, viewer, group):
    client.force_login(viewer)
    page = client.get(reverse("alerts:detail", args=[group.pk]))
    assert b'id="dismiss"' not in page.content
    assert client.post(reverse("alerts:dismiss", args=[group.pk]), {"reason": REASON}).status_code == 403

    client.force_login(manager)
    refused = client.post(reverse("alerts:dismiss", args=[group.pk]), {"reason": ""})
    assert refused.status_code == 400
    done = client.post(reverse("alerts:dismiss", args=[group.pk]), {"reason": REASON}, follow=True)

    assert done.status_code == 200
    html = done.content.decode()
    assert REASON in html and 'id="dismissal"' in html and 'id="dismiss"' not in html
    group.refresh_from_db()
    assert group.status == "dismissed" and group.dismissed_by == manager
