"""Province → national forwarding and national → province requests, through the real endpoint."""

from __future__ import annotations

import datetime
import json
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ungcuu.advisories.models import Advisory
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.core.periods import Period
from ungcuu.evidence.services import add_evidence
from ungcuu.federation import delivery, services
from ungcuu.federation.delivery import INBOX_PATH
from ungcuu.federation.models import (
    InboxMessage,
    MessageKind,
    NationalIncident,
    NationalStatistics,
    NationalUpdate,
    OutboxMessage,
    Peer,
)
from ungcuu.federation.tests.conftest import as_national, as_province, down, loopback, signed_post
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Status, TimelineEvent
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory

State = OutboxMessage.State
Event = TimelineEvent.Kind


def upward(serious):
    return list(OutboxMessage.objects.filter(destination="VN").order_by("seq"))


def progress(serious, coordinator):
    serious = incident_services.change_status(actor=coordinator, incident=serious, to=Status.TEAM_CONVENED)
    incident_services.add_entry(
        actor=coordinator, incident=serious, kind=Event.NOTE, message="ghi chú nội bộ"
    )
    incident_services.add_entry(
        actor=coordinator, incident=serious, kind=Event.PROGRESS, message="Đã cô lập máy chủ"
    )
    return serious


def test_serious_incident_goes_up_with_its_reportable_updates_in_order(serious, coordinator):
    progress(serious, coordinator)
    sent = upward(serious)
    assert [m.kind for m in sent] == ["incident", "update", "update", "update"]
    assert [m.seq for m in sent] == [1, 2, 3, 4]
    assert sent[0].payload["incident"]["severity"] == "SERIOUS"
    assert [m.payload["entry"]["kind"] for m in sent[1:]] == ["status", "status", "progress"]
    assert all("ghi chú nội bộ" not in json.dumps(m.payload) for m in sent)  # a note stays in the province
    assert {m.stream for m in sent} == {f"incident:{serious.reference}"}


def test_normal_incident_and_unconfigured_federation_send_nothing(
    federation, coordinator, responder, org_a, settings
):
    OrganizationFactory(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    incident = reported(responder, org_a, "Thư rác")
    incident_services.acknowledge(actor=coordinator, incident=incident)
    incident_services.classify(
        actor=coordinator, incident=incident, category="ATTACK.MALWARE", harms=[], exceeds_capacity=False
    )
    assert not OutboxMessage.objects.exists()
    settings.FEDERATION_NATIONAL_URL = ""
    incident_services.request_national_support(actor=coordinator, incident=incident, reason="Không đủ lực")
    assert not OutboxMessage.objects.exists()


def test_delivery_applies_each_message_once_in_order(serious, coordinator):
    progress(serious, coordinator)
    delivered, waiting = delivery.deliver_due(transport=loopback(as_national))
    assert (delivered, waiting) == (4, None)
    national = NationalIncident.objects.get()
    assert (national.province.code, national.reference, national.severity) == (
        "NB",
        serious.reference,
        "SERIOUS",
    )
    assert list(national.updates.values_list("seq", "kind")) == [
        (2, "status"),
        (3, "status"),
        (4, "progress"),
    ]
    assert national.status == Status.TEAM_CONVENED

    # The answer to the last message was lost: the province sends it again; nothing is applied twice.
    last = OutboxMessage.objects.get(seq=4, destination="VN")
    OutboxMessage.objects.filter(pk=last.pk).update(state=State.PENDING)
    assert delivery.deliver_due(transport=loopback(as_national))[0] == 1
    last.refresh_from_db()
    assert last.state == State.DELIVERED and last.duplicate
    assert NationalUpdate.objects.count() == 3
    assert InboxMessage.objects.get(message_id=last.message_id).duplicates == 1


def test_national_down_keeps_the_outbox_and_later_messages_wait(serious, coordinator):
    progress(serious, coordinator)
    now = timezone.now()
    assert delivery.deliver_due(now=now, transport=down) == (0, now + datetime.timedelta(seconds=5))
    head, *rest = upward(serious)
    assert (head.state, head.attempts) == (State.RETRYING, 1)
    assert "Connection refused" in head.last_error
    assert all(m.state == State.PENDING and m.attempts == 0 for m in rest)  # they wait for the first
    later = now + datetime.timedelta(seconds=6)
    assert delivery.deliver_due(now=later, transport=down)[0] == 0
    head.refresh_from_db()
    assert head.attempts == 2 and head.next_attempt_at == later + datetime.timedelta(seconds=30)
    # An hour later the national instance is back: everything arrives, in order.
    assert (
        delivery.deliver_due(now=now + datetime.timedelta(hours=1), transport=loopback(as_national))[0] == 4
    )
    assert list(NationalUpdate.objects.values_list("seq", flat=True)) == [2, 3, 4]


def message(serious, **changes) -> dict:
    base = {
        "message_id": str(uuid.uuid4()),
        "origin": "NB",
        "stream": f"incident:{serious.reference}",
        "seq": 1,
        "kind": "incident",
        "payload": {
            "incident": {
                "reference": serious.reference,
                "title": "x",
                "status": "logged",
                "severity": "SERIOUS",
            }
        },
    }
    return {**base, **changes}


def test_out_of_order_message_waits_for_the_earlier_one(serious):
    response = signed_post(message(serious, seq=2))
    assert response.status_code == 409
    assert response.json()["expected_seq"] == 1
    assert not NationalIncident.objects.exists()


def test_a_province_cannot_send_what_is_not_its_own(serious):
    Peer.objects.create(
        code="HN", name="Hà Nam", base_url="http://hn.test", secret="another-secret-of-ha-nam-0123456"
    )
    assert signed_post(message(serious)).status_code == 200  # NB's own incident
    # Hà Nam signs a message about Ninh Bình's incident: refused, nothing changes.
    stolen = message(serious, origin="HN", seq=1)
    response = signed_post(stolen, code="HN", secret="another-secret-of-ha-nam-0123456")
    assert response.status_code == 403
    assert "tỉnh khác" in response.json()["detail"]  # answered in the platform's language
    # Hà Nam claiming to be Ninh Bình in the envelope: refused as well.
    response = signed_post(
        message(serious, origin="NB", seq=1), code="HN", secret="another-secret-of-ha-nam-0123456"
    )
    assert response.status_code == 403
    assert NationalIncident.objects.get().province.code == "NB"
    assert InboxMessage.objects.count() == 1


def test_replayed_message_is_answered_without_a_second_copy(serious):
    envelope = message(serious)
    assert signed_post(envelope).json()["status"] == "applied"
    assert signed_post(envelope).json()["status"] == "duplicate"
    assert NationalIncident.objects.count() == 1
    assert InboxMessage.objects.get().duplicates == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"not json", 400, None),
        (b"[1, 2]", 400, "message"),
        ({"message_id": "x", "origin": "", "seq": 0, "kind": "nope", "payload": []}, 400, "kind"),
    ],
)
def test_malformed_messages_get_a_clear_400(serious, body, status, field):
    response = signed_post(body if isinstance(body, bytes) else json.dumps(body).encode())
    assert response.status_code == status
    assert response.json()["detail"]
    if field:
        assert field in response.json()["errors"]
    assert not InboxMessage.objects.exists()


def test_a_message_a_national_instance_does_not_take_is_refused(serious):
    response = signed_post(message(serious, kind="advisory", payload={"title": "x"}))
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_unsigned_stale_or_forged_messages_get_401(serious):
    body = json.dumps(message(serious)).encode()
    assert signed_post(body, secret="wrong-secret-wrong-secret-000").status_code == 401
    assert signed_post(body, timestamp=time.time() - 3600).status_code == 401
    assert signed_post(body, code="XX").status_code == 401
    with as_national():
        assert Client().post(INBOX_PATH, body, content_type="application/json").status_code == 401
    assert not NationalIncident.objects.exists()


def test_oversized_message_gets_413(serious, settings):
    settings.FEDERATION_MAX_BYTES = 100
    assert signed_post(message(serious)).status_code == 413


def deliver_up(serious):
    delivery.deliver_due(transport=loopback(as_national))
    return NationalIncident.objects.get(reference=serious.reference)


def deliver_down():
    with as_national():
        return delivery.deliver_due(transport=loopback(as_province))


def test_national_request_arrives_as_a_coordination_request(serious, national, specialised_unit):
    found = deliver_up(serious)
    deadline = timezone.now() + datetime.timedelta(days=2)
    with as_national():
        services.send_request(
            actor=national, incident=found, required_actions="Gửi nhật ký máy chủ", deadline=deadline
        )
    assert deliver_down() == (1, None)
    request = CoordinationRequest.objects.get()
    assert request.issuer.kind == Kind.NATIONAL_COORDINATOR
    assert (request.recipient, request.incident_id) == (specialised_unit, serious.pk)
    assert request.required_actions == "Gửi nhật ký máy chủ"
    # The province's own timeline entry about the request goes up like any update.
    assert (
        OutboxMessage.objects.filter(destination="VN", kind="update")
        .order_by("seq")
        .last()
        .payload["entry"]["kind"]
        == "coordination"
    )
    assert deliver_down() == (0, None)  # nothing sent twice


def test_national_status_and_advisory_arrive_and_are_not_echoed(serious, national, federation):
    found = deliver_up(serious)
    with as_national():
        services.send_status(
            actor=national, incident=found, status="Đang chỉ đạo xử lý", note="Theo dõi 24/7"
        )
        services.send_advisory(
            actor=national,
            provinces=[federation],
            title="Cảnh báo mã độc mã hoá",
            summary="Chiến dịch đang lan rộng",
            recommended_actions="Vá ngay",
            deadline=timezone.now() + datetime.timedelta(days=3),
            cve_ids=["CVE-2026-0001"],
        )
    assert deliver_down()[0] == 2
    entry = serious.timeline.filter(kind=Event.DIRECTION).get()
    assert "Đang chỉ đạo xử lý" in entry.message
    assert not OutboxMessage.objects.filter(destination="VN", payload__entry__kind="direction").exists()
    advisory = Advisory.objects.get()
    assert (advisory.title, advisory.status, advisory.issuer.kind) == (
        "Cảnh báo mã độc mã hoá",
        Advisory.Status.DRAFT,
        Kind.NATIONAL_COORDINATOR,
    )


def test_national_cannot_act_on_an_incident_the_province_never_sent(serious, national, federation):
    found = deliver_up(serious)
    NationalIncident.objects.filter(pk=found.pk).update(reference="NB-0000-000000")
    found.refresh_from_db()
    with as_national():
        services.send_status(actor=national, incident=found, status="x")
    deliver_down()
    refused = OutboxMessage.objects.get(destination="NB")
    assert refused.state == State.REFUSED and "HTTP 403" in refused.last_error


def test_shared_evidence_arrives_with_its_hash(serious, coordinator, federation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("access.log", b"GET /admin 200\n" * 10, content_type="text/plain")
    evidence = add_evidence(
        actor=coordinator, incident=serious, uploaded_file=upload, kind="log", classification="internal"
    )
    assert not OutboxMessage.objects.filter(kind=MessageKind.EVIDENCE).exists()  # only when shared
    services.share_evidence(actor=coordinator, evidence=evidence, note="Nhật ký truy cập")
    found = deliver_up(serious)
    update = found.updates.get(kind="evidence")
    assert update.data["sha256"] == evidence.sha256
    assert update.file.read() == b"GET /admin 200\n" * 10


def test_statistics_reach_the_national_instance(federation, coordinator):
    services.send_statistics(actor=coordinator, period=Period.half(2026, 1))
    deliver_up_all = delivery.deliver_due(transport=loopback(as_national))
    assert deliver_up_all[0] == 1
    stats = NationalStatistics.objects.get()
    assert stats.period == "2026-H1" and stats.figures["rows"][-1]["code"] == "TOTAL"


def test_outbox_names_a_confidential_incident_by_its_reference_only(
    federation, coordinator, responder, org_a
):
    OrganizationFactory(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    incident = reported(responder, org_a, "Bí mật tuyệt đối", confidential=True)
    incident_services.acknowledge(actor=coordinator, incident=incident)
    incident_services.request_national_support(actor=coordinator, incident=incident, reason="Cần hỗ trợ")
    sent = OutboxMessage.objects.get(kind="incident")
    assert sent.summary == incident.reference  # every coordinator reads the outbox; the title is not theirs
    assert sent.payload["incident"]["title"] == "Bí mật tuyệt đối"  # the national coordinator's it is
