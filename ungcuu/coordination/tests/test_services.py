"""Coordination requests: sending, the recipient's answer, the timeline, deadlines, transitions, tenancy."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.coordination import services
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.coordination.tests.helpers import TARGETS, move_deadline_to_the_past, reload
from ungcuu.core.errors import InvalidTransition
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Status as IncidentStatus
from ungcuu.incidents.models import TimelineEvent
from ungcuu.notifications.models import Notification

pytestmark = pytest.mark.django_db

Kind = CoordinationRequest.Kind
Status = CoordinationRequest.Status
Outcome = CoordinationRequest.Outcome


def coordination_entries(incident):
    return list(incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).order_by("id"))


def test_coordinator_sends_a_takedown_to_an_isp_with_a_24_hour_deadline(takedown, incident, isp, coordinator):
    assert takedown.reference == f"{incident.reference}-YC01"
    assert takedown.status == Status.SENT
    assert takedown.recipient == isp and takedown.issued_by == coordinator
    assert takedown.issuer.kind == "SPECIALISED_UNIT"
    expected = timezone.now() + datetime.timedelta(hours=24)
    assert abs(takedown.deadline - expected) < datetime.timedelta(minutes=1)
    assert takedown.targets == TARGETS
    [entry] = coordination_entries(incident)
    assert entry.actor == coordinator and entry.data["action"] == "sent"
    assert takedown.reference in entry.message and isp.name in entry.message


def test_sending_notifies_the_recipient_organization(isp_responder, takedown):
    rows = Notification.objects.filter(event="coordination_sent", recipient_user=isp_responder)
    assert rows.count() == 1
    assert rows.get().link == f"/coordination/{takedown.pk}/"
    assert "203.0.113.10" in rows.get().body


def test_default_hours_come_from_settings_per_kind(send, settings):
    settings.COORDINATION_DEFAULT_HOURS = {"isp_takedown": 12, "other": 96}
    takedown = send()
    other = send(kind=Kind.OTHER, required_actions="Phối hợp xử lý.")
    now = timezone.now()
    assert abs(takedown.deadline - (now + datetime.timedelta(hours=12))) < datetime.timedelta(minutes=1)
    assert abs(other.deadline - (now + datetime.timedelta(hours=96))) < datetime.timedelta(minutes=1)
    assert other.reference.endswith("-YC02")


def test_built_in_defaults_per_kind(send):
    logs = send(kind=Kind.ISP_PRESERVE_LOGS)
    police = send(kind=Kind.POLICE_REFERRAL)
    assert round((logs.deadline - logs.created_at).total_seconds() / 3600) == 48
    assert round((police.deadline - police.created_at).total_seconds() / 3600) == 72


def test_isp_responder_acknowledges_then_answers_and_the_timeline_has_every_step(
    takedown, incident, isp_responder, coordinator
):
    services.acknowledge_request(actor=isp_responder, request=takedown)
    services.answer_request(
        actor=isp_responder, request=takedown, answer="Đã gỡ bỏ nội dung lúc 10:00.", outcome=Outcome.DONE
    )
    req = reload(takedown)
    assert req.status == Status.ANSWERED and req.outcome == Outcome.DONE
    assert req.acknowledged_by == isp_responder and req.answered_by == isp_responder
    assert req.acknowledged_at <= req.answered_at
    entries = coordination_entries(incident)
    assert [e.data["action"] for e in entries] == ["sent", "acknowledged", "answered"]
    assert entries[-1].actor == isp_responder and entries[-1].data["outcome"] == "done"
    # The answer's text stays in the request: the operator's users read the timeline too.
    assert "10:00" not in entries[-1].message
    assert Notification.objects.filter(event="coordination_answered", recipient_user=coordinator).exists()

    services.complete_request(actor=coordinator, request=req, note="Đã kiểm tra.")
    assert reload(req).status == Status.COMPLETED
    assert coordination_entries(incident)[-1].data["action"] == "completed"


def test_answering_without_acknowledging_first_also_records_receipt(takedown, isp_responder):
    services.answer_request(
        actor=isp_responder, request=takedown, answer="Không tìm thấy.", outcome="not_possible"
    )
    req = reload(takedown)
    assert req.acknowledged_by == isp_responder and req.acknowledged_at is not None


def test_viewer_of_the_recipient_cannot_acknowledge_or_answer_and_nothing_changes(
    takedown, isp_viewer, incident
):
    before = len(coordination_entries(incident))
    with pytest.raises(PermissionDenied):
        services.acknowledge_request(actor=isp_viewer, request=takedown)
    with pytest.raises(PermissionDenied):
        services.answer_request(actor=isp_viewer, request=takedown, answer="x", outcome=Outcome.DONE)
    req = reload(takedown)
    assert req.status == Status.SENT and req.answer == "" and req.acknowledged_at is None
    assert len(coordination_entries(incident)) == before


def test_another_isp_and_the_operator_cannot_answer(takedown, other_isp_user, responder):
    for user in (other_isp_user, responder):
        with pytest.raises(PermissionDenied):
            services.answer_request(actor=user, request=takedown, answer="x", outcome=Outcome.DONE)
    assert reload(takedown).status == Status.SENT


def test_only_the_coordinator_sends_completes_or_cancels(send, takedown, responder, isp_responder):
    with pytest.raises(PermissionDenied):
        send(actor=responder)
    with pytest.raises(PermissionDenied):
        services.cancel_request(actor=isp_responder, request=takedown)
    assert CoordinationRequest.objects.count() == 1
    assert reload(takedown).status == Status.SENT


def test_no_request_about_a_closed_incident(send, incident, coordinator):
    incident_services.acknowledge(actor=coordinator, incident=incident)
    incident_services.change_status(actor=coordinator, incident=incident, to=IncidentStatus.REJECTED)
    with pytest.raises(InvalidTransition):
        send()
    assert CoordinationRequest.objects.count() == 0


def test_bad_input_is_refused_and_nothing_is_saved(send, incident, vncert, isp):
    cases = [
        ({"targets": ["not a target!", "999.1.1.1"]}, "targets"),
        ({"required_actions": "  "}, "required_actions"),
        ({"kind": "make_coffee"}, "kind"),
        ({"deadline": timezone.now() - datetime.timedelta(hours=1)}, "deadline"),
        ({"kind": Kind.NATIONAL_ESCALATION}, "recipient"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as err:
            send(**overrides)
        assert field in err.value.message_dict
    isp.is_active = False
    isp.save()
    with pytest.raises(ValidationError):
        send()
    assert CoordinationRequest.objects.count() == 0
    assert not incident.timeline.filter(kind=TimelineEvent.Kind.COORDINATION).exists()


def test_explicit_deadline_is_kept(send):
    deadline = timezone.now() + datetime.timedelta(hours=6)
    assert send(deadline=deadline).deadline == deadline


def test_overdue_when_the_deadline_passes_without_an_answer(takedown, isp_responder):
    assert not takedown.is_overdue
    req = move_deadline_to_the_past(takedown)
    assert req.is_overdue
    assert list(CoordinationRequest.objects.overdue()) == [req]
    services.acknowledge_request(actor=isp_responder, request=req)
    assert reload(req).is_overdue  # acknowledging does not stop the clock
    services.answer_request(actor=isp_responder, request=req, answer="Đã gỡ.", outcome=Outcome.PARTIALLY)
    assert not reload(req).is_overdue
    assert not CoordinationRequest.objects.overdue().exists()


def test_illegal_transitions_are_refused(takedown, isp_responder, coordinator):
    with pytest.raises(InvalidTransition):
        services.complete_request(actor=coordinator, request=takedown)  # nothing answered yet
    services.answer_request(actor=isp_responder, request=takedown, answer="Đã gỡ.", outcome=Outcome.DONE)
    for move in (
        lambda: services.acknowledge_request(actor=isp_responder, request=takedown),
        lambda: services.answer_request(actor=isp_responder, request=takedown, answer="x", outcome="done"),
        lambda: services.decline_request(actor=isp_responder, request=takedown, reason="x"),
        lambda: services.cancel_request(actor=coordinator, request=takedown),
    ):
        with pytest.raises(InvalidTransition):
            move()
    assert reload(takedown).status == Status.ANSWERED


def test_transition_table_has_no_way_out_of_a_final_state():
    for final in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED):
        assert CoordinationRequest.TRANSITIONS[final] == set()
    assert set(CoordinationRequest.TRANSITIONS) == set(Status)


def test_decline_needs_a_reason(takedown, isp_responder, coordinator, incident):
    with pytest.raises(ValidationError):
        services.decline_request(actor=isp_responder, request=takedown, reason=" ")
    services.decline_request(actor=isp_responder, request=takedown, reason="Không thuộc mạng của chúng tôi.")
    req = reload(takedown)
    assert req.status == Status.DECLINED and req.answer.startswith("Không thuộc")
    assert coordination_entries(incident)[-1].data["action"] == "declined"


def test_cancelled_request_tells_the_recipient(isp_responder, takedown, coordinator):
    services.cancel_request(actor=coordinator, request=takedown, reason="Sự cố đã được khắc phục.")
    assert reload(takedown).status == Status.CANCELLED
    assert Notification.objects.filter(event="coordination_cancelled", recipient_user=isp_responder).exists()


def test_confidential_request_keeps_recipient_and_content_out_of_timeline_and_mail(
    isp_responder, send, incident, isp
):
    isp.intake_email = "noc@isp.example.vn"
    isp.save(update_fields=["intake_email"])
    req = send(confidential=True)
    [entry] = coordination_entries(incident)
    assert isp.name not in entry.message and "recipient_id" not in entry.data
    assert not incident.timeline.filter(
        kind=TimelineEvent.Kind.NOTIFICATION, message__contains=isp.name
    ).exists()
    # The recipient may open the request, so its inbox row says what the request says; mail leaves the
    # platform, so every e-mail says only that there is something to look at (one rule: notify's).
    row = Notification.objects.get(event="coordination_sent", recipient_user=isp_responder)
    assert "203.0.113.10" in row.body and row.link == req.get_absolute_url()
    mails = Notification.objects.filter(event="coordination_sent", channel="email")
    assert mails.exists()
    for mail in mails:
        assert "203.0.113.10" not in mail.body and req.reference not in mail.subject + mail.body
        assert mail.link == req.get_absolute_url()


def test_a_confidential_incident_makes_its_requests_confidential(send, incident):
    incident.confidential = True
    incident.save()
    assert send().confidential is True


# --- visibility -------------------------------------------------------------------------------------


def test_recipients_see_only_requests_addressed_to_them(
    send, takedown, coordinator, isp_responder, other_isp_user, manager, responder, outsider, other_isp
):
    to_delta = send(recipient=other_isp)
    visible = CoordinationRequest.objects.visible_to
    assert set(visible(coordinator)) == {takedown, to_delta}
    assert list(visible(isp_responder)) == [takedown]
    assert list(visible(other_isp_user)) == [to_delta]
    # The operator's own unit does not see what the ISP was asked.
    assert not visible(manager).exists() and not visible(responder).exists()
    assert not visible(outsider).exists()


def test_national_coordinator_sees_escalations_only(send, takedown, national, vncert):
    escalation = send(kind=CoordinationRequest.Kind.NATIONAL_ESCALATION, recipient=vncert)
    assert list(CoordinationRequest.objects.visible_to(national)) == [escalation]


def test_anonymous_and_inactive_users_see_nothing(takedown, isp_responder):
    assert not CoordinationRequest.objects.visible_to(AnonymousUser()).exists()
    isp_responder.is_active = False
    isp_responder.save()
    assert not CoordinationRequest.objects.visible_to(isp_responder).exists()


def test_available_actions_follow_role_and_state(takedown, isp_responder, isp_viewer, coordinator):
    assert services.available_actions(isp_responder, takedown) == {"acknowledged", "answered", "declined"}
    assert services.available_actions(isp_viewer, takedown) == set()
    assert services.available_actions(coordinator, takedown) == {"cancelled"}
