"""The three intake doors and the handling pages, with the outsider and the read-only user."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone, translation

from ungcuu.coordination import services as coordination
from ungcuu.core import challenge
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident, IncidentReport, Status, TimelineEvent
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.systems import services as system_services

pytestmark = pytest.mark.django_db


def form03(province, **overrides):
    data = {
        "reporter_name": "UBND phường Hoa Lư",
        "reporter_address": "Hoa Lư, Ninh Bình",
        "reporter_phone": "0229 3871 234",
        "reporter_email": "manager@example.vn",
        "contact_name": "Nguyễn Văn A",
        "contact_phone": "0912 345 678",
        "contact_email": "a@example.vn",
        "organization": province["unit"].pk,
        "system": province["portal"].pk,
        "title": "Cổng thông tin bị thay đổi giao diện",
        "description": "Trang chủ bị thay nội dung",
        "detected_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "handled": "not_handled",
        "detection_methods": ["log_review"],
        "already_notified": ["none"],
        "attack_succeeded": "yes",
        "disruption_risk": "medium",
        "data_sensitivity": "public",
        "affected": "Người dân truy cập cổng thông tin",
        "category": "ATTACK.DEFACEMENT",
        "idempotency_key": "k-1",
    }
    data.update(overrides)
    return data


def test_unit_reports_with_form03_and_gets_a_reference(province, client_for):
    response = client_for(province["manager"]).post("/incidents/report/", form03(province))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert re.fullmatch(r"NB-\d{4}-000001", incident.reference)
    assert incident.operator == province["unit"] and incident.status == Status.LOGGED
    assert IncidentReport.objects.get().data["contact_name"] == "Nguyễn Văn A"
    page = client_for(province["manager"]).get(response["Location"])
    assert incident.reference in page.content.decode()


def test_second_click_on_submit_creates_one_incident(province, client_for):
    client = client_for(province["manager"])
    client.post("/incidents/report/", form03(province))
    client.post("/incidents/report/", form03(province))
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("detection_methods", []),
        ("reporter_email", "not-an-email"),
        ("public_ips", "999.1.1.1"),
        ("category", "ATTACK.NOPE"),
    ],
)
def test_bad_form03_is_reshown_and_nothing_saved(province, client_for, field, value):
    response = client_for(province["manager"]).post("/incidents/report/", form03(province, **{field: value}))
    assert response.status_code == 400
    assert Incident.objects.count() == 0 and TimelineEvent.objects.count() == 0


def test_future_detection_time_is_refused(province, client_for):
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(province["manager"]).post(
        "/incidents/report/", form03(province, detected_at=future)
    )
    assert response.status_code == 400 and Incident.objects.count() == 0


def test_outsider_cannot_report_for_another_unit(province, client_for):
    response = client_for(province["outsider"]).post("/incidents/report/", form03(province))
    assert response.status_code == 400 and Incident.objects.count() == 0


def test_outsider_gets_404_and_viewer_403(province, reported, client_for):
    outsider, viewer = client_for(province["outsider"]), client_for(province["viewer"])
    assert outsider.get(f"/incidents/{reported.pk}/").status_code == 404
    assert outsider.post(f"/incidents/{reported.pk}/acknowledge/").status_code == 404
    assert viewer.get(f"/incidents/{reported.pk}/").status_code == 200
    for url in ("acknowledge", "take"):
        assert viewer.post(f"/incidents/{reported.pk}/{url}/").status_code == 403
    assert viewer.post(f"/incidents/{reported.pk}/transition/", {"to": "acknowledged"}).status_code == 403
    reported.refresh_from_db()
    assert reported.status == Status.LOGGED


def test_list_search_ignores_diacritics_and_hides_other_units(province, reported, client_for):
    page = client_for(province["viewer"]).get("/incidents/", {"q": "cong thong tin"}).content.decode()
    assert reported.reference in page
    assert reported.reference not in client_for(province["outsider"]).get("/incidents/").content.decode()


def test_coordinator_runs_the_normal_procedure_to_closed(province, reported, client_for):
    coord = client_for(province["coord"])
    url = f"/incidents/{reported.pk}"
    coord.post(f"{url}/acknowledge/")
    coord.post(f"{url}/classify/", {"category": "ATTACK.DEFACEMENT", "system": province["portal"].pk})
    for step in ("first_actions", "contained", "restored", "evaluated"):
        coord.post(f"{url}/transition/", {"to": step})
    refused = coord.post(f"{url}/transition/", {"to": "closed"}, follow=True)
    assert "04" in refused.content.decode()
    coord.post(f"{url}/closing-report/", {"reporter_name": "Sở", "what_happened": "x", "how_solved": "y"})
    coord.post(f"{url}/transition/", {"to": "closed"})
    reported.refresh_from_db()
    assert reported.status == Status.CLOSED
    kinds = list(reported.timeline.values_list("kind", flat=True))
    assert kinds.count("status") >= 6 and "closing_report" in kinds


def test_reporter_sees_each_step(province, reported, client_for):
    client_for(province["coord"]).post(f"/incidents/{reported.pk}/acknowledge/")
    page = client_for(province["manager"]).get(f"/incidents/{reported.pk}/").content.decode()
    assert 'id="incident-status"' in page
    assert reported.timeline.filter(kind="status", data__to="acknowledged").exists()
    reported.refresh_from_db()
    assert list(reported.handlers.all()) == [province["coord"]]  # who took it in handles it


def public_post(client, **overrides):
    page = client.get("/report/")
    token = page.context["form"].initial["challenge"]
    numbers = [int(n) for n in re.findall(r"\d+", page.context["question"])]
    data = {
        "reporter_name": "Trần Thị B",
        "reporter_email": "b@example.vn",
        "system_text": "hoalu.example.vn",
        "description": "Trang web hiển thị nội dung cờ bạc",
        "detected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "answer": sum(numbers),
        "challenge": token,
        "website": "",
    }
    data.update(overrides)
    return client.post("/report/", data)


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setattr(challenge, "MIN_AGE_SECONDS", 0)
    cache.clear()


def test_public_report_becomes_an_incident(province, no_wait):
    response = public_post(Client())
    assert response.status_code == 302
    report = IncidentReport.objects.get()
    assert report.channel == "public" and report.submitted_by is None
    thanks = Client().get("/report/thanks/")
    assert thanks.status_code == 302  # another browser has no reference in its session


def test_public_report_with_wrong_answer_is_refused(province, no_wait):
    assert public_post(Client(), answer=1000).status_code == 400
    assert Incident.objects.count() == 0


def test_public_report_honeypot_and_replay_are_refused(province, no_wait):
    assert public_post(Client(), website="http://spam").status_code == 400
    client = Client()
    page = client.get("/report/")
    token = page.context["form"].initial["challenge"]
    answer = sum(int(n) for n in re.findall(r"\d+", page.context["question"]))
    data = {
        "reporter_name": "B",
        "reporter_email": "b@example.vn",
        "system_text": "x.example.vn",
        "description": "d",
        "detected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "answer": answer,
        "challenge": token,
    }
    assert client.post("/report/", data).status_code == 302
    assert client.post("/report/", data).status_code == 400  # the same token cannot be used twice
    assert Incident.objects.count() == 1


def test_public_report_is_rate_limited(province, no_wait, settings):
    settings.PUBLIC_REPORT_LIMIT = 2
    client = Client()
    assert [public_post(client).status_code for _ in range(3)] == [302, 302, 429]
    assert Incident.objects.count() == 2


def test_dashboards_show_requests_waiting_for_an_answer(province, reported, client_for):
    isp = Organization.objects.create(code="ISP-X", name="ISP X", kind=Kind.ISP)
    isp_user = type(province["coord"]).objects.create_user("isp", password="pw-1234567890")
    Membership.objects.create(user=isp_user, organization=isp, role="responder")
    services.acknowledge(actor=province["coord"], incident=reported)
    request = coordination.send_request(
        actor=province["coord"],
        incident=reported,
        recipient=isp,
        kind="isp_takedown",
        required_actions="Gỡ bỏ",
    )
    for user in (province["coord"], isp_user):
        page = client_for(user).get("/").content.decode()
        assert request.reference in page
    assert request.reference not in client_for(province["outsider"]).get("/").content.decode()


def test_public_report_rate_limit_cannot_be_dodged_with_a_spoofed_forwarded_for(province, no_wait, settings):
    """Issue 10, leak 7: the left-most X-Forwarded-For entry was trusted: each new value, a new bucket."""
    settings.PUBLIC_REPORT_LIMIT = 2
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = []
    for n in range(3):
        client = Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
        statuses.append(public_post(client).status_code)
    assert statuses == [302, 302, 429] and Incident.objects.count() == 2
    other = Client(HTTP_X_FORWARDED_FOR="203.0.113.10", REMOTE_ADDR="10.0.0.2")
    assert public_post(other).status_code == 302  # another client behind the same proxy has its own limit


def test_public_acknowledgement_is_no_relay_for_attacker_text(province, no_wait, settings):
    """Issue 10, leak 8: the acknowledgement of a public report echoed the sender's text in its subject to
    any address given. Now: a fixed text, and at most PUBLIC_ACK_LIMIT a day to one address."""
    settings.PUBLIC_ACK_LIMIT = 2
    spam = "MUA THUỐC GIÁ RẺ http://spam.example"
    for n, address in enumerate(["victim@example.org", "Victim@Example.org ", "victim@example.org"]):
        client = Client(REMOTE_ADDR=f"203.0.113.{n}")
        assert (
            public_post(client, reporter_email=address, system_text=spam, description=spam).status_code == 302
        )
    acks = Notification.objects.filter(event="report_ack", channel="email")
    assert acks.count() == 2  # the third report was accepted, its acknowledgement not sent
    for ack in acks:
        assert "spam" not in ack.subject and "spam" not in ack.body and "THUỐC" not in ack.subject + ack.body
        assert ack.subject.endswith(Incident.objects.get(pk=ack.incident_id).reference)
    assert Incident.objects.count() == 3


@pytest.mark.parametrize("action", ["classify", "merge", "transition", "tasks", "entries", "closing-report"])
def test_refused_user_gets_403_before_validation_whatever_the_body(province, reported, client_for, action):
    """Issue 10: the form used to be validated first, so a refused user learnt which ids exist."""
    hidden_system = _hidden_system(province)
    viewer = client_for(province["viewer"])
    url = f"/incidents/{reported.pk}/{action}/"
    before = list(TimelineEvent.objects.values_list("pk", flat=True))
    bodies = [
        {},
        {"category": "ATTACK.DEFACEMENT", "system": hidden_system.pk, "duplicate": "NB-0000-000000"},
        {"category": "ATTACK.DEFACEMENT", "system": 987654, "to": "nope", "kind": "bogus"},
    ]
    assert [viewer.post(url, body).status_code for body in bodies] == [403, 403, 403]
    reported.refresh_from_db()
    assert reported.category == "" and reported.status == Status.LOGGED
    assert list(TimelineEvent.objects.values_list("pk", flat=True)) == before


def _hidden_system(province):
    return system_services.register_system(
        actor=province["outsider"],
        name="Hệ thống Sở Tài chính",
        owner=province["other"],
        operator=province["other"],
        security_level=2,
    )


def test_add_entry_refuses_before_it_validates(province, reported):
    with pytest.raises(PermissionDenied):
        services.add_entry(actor=province["viewer"], incident=reported, kind="bogus", message="")


def test_illegal_move_from_the_page_is_a_conflict_and_changes_nothing(province, reported, client_for):
    """Issue 12: an illegal move redirected (302) here while coordination answered 409; now 409 too."""
    coord = client_for(province["coord"])
    coord.post(f"/incidents/{reported.pk}/acknowledge/")
    before = TimelineEvent.objects.count()
    response = coord.post(f"/incidents/{reported.pk}/transition/", {"to": "closed"})
    assert response.status_code == 409
    refusals = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(refusals) == 1 and "04" not in refusals[0]  # the transition table's refusal, not form 04
    reported.refresh_from_db()
    assert reported.status == Status.ACKNOWLEDGED and TimelineEvent.objects.count() == before


def test_bad_input_on_the_page_is_a_400_and_changes_nothing(province, reported, client_for):
    before = TimelineEvent.objects.count()
    response = client_for(province["coord"]).post(f"/incidents/{reported.pk}/classify/", {"category": "NOPE"})
    assert response.status_code == 400
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    reported.refresh_from_db()
    assert reported.category == "" and TimelineEvent.objects.count() == before


def test_a_person_correcting_a_mistake_is_not_refused_as_too_fast(province):
    """The minimum fill time counts once, from the first showing; the re-shown form keeps what was typed,
    the same question and a right answer, so sending again at once goes through."""
    cache.clear()
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        page = client.get("/report/")
        token = page.context["form"].initial["challenge"]
        answer = sum(int(n) for n in re.findall(r"\d+", page.context["question"]))
        data = {
            "reporter_name": "Trần Thị B",
            "reporter_phone": "abc",
            "system_text": "hoalu.example.vn",
            "description": "Trang web hiển thị nội dung cờ bạc",
            "detected_at": "2026-03-02T15:30",
            "answer": answer,
            "challenge": token,
        }
        clock.shift(20)  # a person fills the form in
        wrong = client.post("/report/", data)
        assert wrong.status_code == 400 and wrong.context["form"].errors["reporter_phone"]
        again = wrong.context["form"].data
        assert again["reporter_name"] == "Trần Thị B" and str(again["answer"]) == str(answer)
        assert again["challenge"] != token and wrong.context["question"] == page.context["question"]
        clock.shift(1)  # corrects the phone and sends at once
        sent = client.post("/report/", {**again.dict(), "reporter_phone": "0912 345 678"})
    assert sent.status_code == 302 and Incident.objects.count() == 1


def test_sent_too_fast_keeps_the_form_and_the_next_send_goes_through(province):
    cache.clear()
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        page = client.get("/report/")
        answer = sum(int(n) for n in re.findall(r"\d+", page.context["question"]))
        data = {
            "reporter_name": "Trần Thị B",
            "reporter_email": "b@example.vn",
            "system_text": "hoalu.example.vn",
            "description": "Trang web hiển thị nội dung cờ bạc",
            "detected_at": "2026-03-02T15:30",
            "answer": answer,
            "challenge": page.context["form"].initial["challenge"],
        }
        fast = client.post("/report/", data)
        assert fast.status_code == 400 and fast.context["form"].errors["answer"]
        assert str(fast.context["form"].data["answer"]) == str(answer)
        clock.shift(challenge.MIN_AGE_SECONDS)
        sent = client.post("/report/", fast.context["form"].data.dict())
    assert sent.status_code == 302


def test_a_carried_token_still_expires_an_hour_after_the_first_showing(province):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        first = challenge.new_challenge()
        clock.shift(challenge.MAX_AGE_SECONDS - 10)
        renewed = challenge.renew(first.token)
        assert renewed.carried and renewed.question == first.question
        clock.shift(20)
        answer = sum(int(n) for n in re.findall(r"\d+", renewed.question))
        with translation.override("en"):
            refused = challenge.check_answer(renewed.token, answer)
        assert refused == "The form expired; please answer the new question."
        assert not challenge.renew(renewed.token).carried
