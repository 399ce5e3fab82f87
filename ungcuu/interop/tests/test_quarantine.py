"""Quarantined mail released into intake, or discarded, by a coordinator: once, recorded, nothing lost."""

import pytest
import time_machine
from django.urls import reverse

from ungcuu.evidence.models import Evidence
from ungcuu.incidents.models import Incident
from ungcuu.interop import imap, services
from ungcuu.interop.models import InboundMessage
from ungcuu.interop.tests.mails import mail

Outcome, Reason, Decision = InboundMessage.Outcome, InboundMessage.Reason, InboundMessage.Decision


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-03-02 09:00 +07:00", tick=False):
        yield


@pytest.fixture
def bombed(mailbox, settings):
    """Three messages from one sender within the hour, the limit two: the third is quarantined."""
    settings.MAIL_INTAKE_PER_SENDER_PER_HOUR = 2
    for n in range(3):
        mailbox.deliver(
            mail(sender="vanthu@example.gov.vn", subject=f"[TBSC] Sự cố số {n}", text=f"Nội dung {n}")
        )
    imap.poll()
    return InboundMessage.objects.get(outcome=Outcome.QUARANTINED)


def _release(client, row):
    return client.post(reverse("interop:inbound_release", args=[row.pk]))


def test_the_coordinator_releases_a_held_message_once(client_for, coordinator, bombed):
    assert bombed.reason == Reason.RATE_LIMITED and bombed.releasable and bytes(bombed.original)
    client = client_for(coordinator)

    assert _release(client, bombed).status_code == 302
    assert _release(client, bombed).status_code == 302  # a double click

    bombed.refresh_from_db()
    assert bombed.outcome == Outcome.CREATED and bombed.decision == Decision.RELEASED
    assert bombed.decided_by == coordinator and bombed.decided_at and bombed.original is None
    assert bombed.incident.title == "Sự cố số 2"
    assert Incident.objects.count() == 3
    assert Evidence.objects.filter(incident=bombed.incident, original_name="message.eml").count() == 1
    page = client.get(reverse("interop:inbound_list")).content.decode()
    assert "Released into intake" in page and "coordinator" in page


def test_discarding_drops_the_bytes_and_keeps_the_record(client_for, coordinator, bombed):
    client = client_for(coordinator)
    assert client.post(reverse("interop:inbound_discard", args=[bombed.pk])).status_code == 302
    assert _release(client, bombed).status_code == 302  # too late: decided

    bombed.refresh_from_db()
    assert bombed.outcome == Outcome.QUARANTINED and bombed.decision == Decision.DISCARDED
    assert bombed.original is None and Incident.objects.count() == 2


def test_only_coordinators_decide(client_for, manager, viewer, outsider, national, bombed):
    for user in (manager, viewer, outsider, national):
        client = client_for(user)
        assert _release(client, bombed).status_code == 404
        assert client.post(reverse("interop:inbound_discard", args=[bombed.pk])).status_code == 404
    bombed.refresh_from_db()
    assert not bombed.decision and bombed.outcome == Outcome.QUARANTINED and Incident.objects.count() == 2


def test_an_empty_message_released_becomes_a_report(mailbox, coordinator):
    mailbox.deliver(mail(subject="", text=""))
    imap.poll()
    row = InboundMessage.objects.get()
    assert row.reason == Reason.EMPTY

    row = services.release_message(actor=coordinator, message=row)

    assert row.outcome == Outcome.CREATED and row.incident.title


def test_a_message_never_downloaded_cannot_be_released(db, coordinator, client_for):
    row = services.record_oversized(
        message_id="<big@x>", sender="a@example.gov.vn", subject="Big", size=10**9, mailbox="INBOX", uid="9"
    )
    assert not row.releasable
    with pytest.raises(services.NotReleasable):
        services.release_message(actor=coordinator, message=row)
    assert client_for(coordinator).post(reverse("interop:inbound_discard", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.decision == Decision.DISCARDED


# --- the same decisions through the API (issue 16 part 5) ------------------------------------------------

API = "/api/v1/inbound-messages/{}/{}/"


def test_the_api_releases_held_mail_once_through_the_pages_service(api_for, coordinator, bombed):
    client = api_for(coordinator)

    first = client.post(API.format(bombed.pk, "release"), HTTP_IDEMPOTENCY_KEY="release-1")
    replay = client.post(API.format(bombed.pk, "release"), HTTP_IDEMPOTENCY_KEY="release-1")
    again = client.post(API.format(bombed.pk, "release"))  # another coordinator, a retry without a key

    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["outcome"], body["decision"], body["decided_by"]) == ("created", "released", "coordinator")
    assert body["incident_reference"] == Incident.objects.get(title="Sự cố số 2").reference
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert again.status_code == 200 and again.json()["decision"] == "released"
    assert Incident.objects.count() == 3  # one report, whatever the retries


def test_the_api_discards_and_a_later_release_finds_it_decided(api_for, coordinator, bombed):
    client = api_for(coordinator)

    discarded = client.post(API.format(bombed.pk, "discard"))
    late = client.post(API.format(bombed.pk, "release"))

    assert discarded.status_code == 200 and discarded.json()["decision"] == "discarded"
    assert late.status_code == 200 and late.json()["decision"] == "discarded"
    bombed.refresh_from_db()
    assert bombed.original is None and Incident.objects.count() == 2


def test_the_api_says_why_a_message_cannot_be_released_or_is_not_held(api_for, coordinator, mailbox):
    never = services.record_oversized(
        message_id="<big@x>", sender="a@example.gov.vn", subject="Big", size=10**9, mailbox="INBOX", uid="9"
    )
    mailbox.deliver(mail(subject="[TBSC] Sự cố thường", text="Nội dung"))
    imap.poll()
    accepted = InboundMessage.objects.get(outcome=Outcome.CREATED)
    client = api_for(coordinator)

    refused = client.post(API.format(never.pk, "release"))
    not_held = client.post(API.format(accepted.pk, "discard"))

    assert refused.status_code == 409 and "cannot be released" in refused.json()["detail"]
    assert not_held.status_code == 409 and "not held" in not_held.json()["detail"]
    assert client.post(API.format(never.pk, "discard")).status_code == 200  # it can still be discarded
    accepted.refresh_from_db()
    assert not accepted.decision and Incident.objects.count() == 1


@pytest.mark.parametrize("persona", ["manager", "viewer", "outsider", "national"])
def test_the_api_decisions_are_not_there_for_anyone_but_coordinators(api_for, persona, request, bombed):
    client = api_for(request.getfixturevalue(persona))

    for verb in ("release", "discard"):
        assert client.post(API.format(bombed.pk, verb)).status_code == 404
    bombed.refresh_from_db()
    assert not bombed.decision and Incident.objects.count() == 2


def test_a_token_without_the_coordinate_scope_cannot_decide(api_for, coordinator, bombed):
    client = api_for(coordinator, scopes=["read", "report"])

    answer = client.post(API.format(bombed.pk, "release"))

    assert answer.status_code == 403 and "coordinate" in answer.json()["detail"]
    bombed.refresh_from_db()
    assert not bombed.decision
