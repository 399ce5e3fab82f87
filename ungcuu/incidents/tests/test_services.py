"""Incident core: intake, numbering, severity, transitions, closing, merge, timeline, confidentiality."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.core.errors import InvalidTransition
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident, IncidentReport, Status, TimelineEvent
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.organizations.tests.factories import member
from ungcuu.systems import services as system_services

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, org_a, org_b, specialised_unit, responder, viewer, outsider, coordinator, national):
    """The shared personas (root conftest.py), a second coordinator and two systems of org A."""
    settings.INCIDENT_REFERENCE_PREFIX = "NB"
    owner = Organization.objects.create(code="UBND", name="UBND tỉnh", kind=Kind.PROVINCE_PC)
    unit, other, coord = org_a, org_b, coordinator
    coord2 = member(
        specialised_unit,
        Membership.Role.RESPONDER,
        username="coord2",
        platform_role=User.PlatformRole.COORDINATOR,
    )
    portal = system_services.register_system(
        actor=coord, name="Cổng thông tin", owner=owner, operator=unit, security_level=4
    )
    small = system_services.register_system(
        actor=coord, name="Trang tin", owner=owner, operator=unit, security_level=2
    )
    return locals()


def report(world, **overrides):
    data = {
        "channel": "form",
        "title": "Thay đổi giao diện cổng",
        "description": "Trang chủ bị thay nội dung",
        "detected_at": timezone.now() - datetime.timedelta(hours=2),
        "reporter_name": "Nguyễn Văn A",
        "organization": world["unit"],
        "system": world["small"],
    }
    data.update(overrides)
    return services.submit_report(actor=world["responder"], data=services.ReportInput(**data))


def test_reference_numbers_are_sequential_per_local_year(world):
    # The year is Vietnam's: 00:30 on 1 January is still 31 December in UTC (this test once read UTC's).
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=VIETNAM), tick=False):
        first, second = report(world), report(world)
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=VIETNAM), tick=False):
        third = report(world)

    assert [r.incident.reference for r in (first, second, third)] == [
        "NB-2026-000001",
        "NB-2026-000002",
        "NB-2027-000001",
    ]


def test_report_with_future_detection_time_is_refused_and_nothing_saved(world):
    with pytest.raises(ValidationError) as err:
        report(world, detected_at=timezone.now() + datetime.timedelta(days=1))
    assert "detected_at" in err.value.message_dict
    assert Incident.objects.count() == 0 and TimelineEvent.objects.count() == 0


def test_unknown_category_and_missing_fields_are_refused(world):
    with pytest.raises(ValidationError) as err:
        report(world, category="ATTACK.NOPE", title=" ", description="")
    assert {"category", "title", "description"} <= set(err.value.message_dict)


def test_same_idempotency_key_returns_the_first_report(world):
    first = report(world, idempotency_key="click-1")
    again = report(world, idempotency_key="click-1")
    assert first.pk == again.pk and Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("system_key", "harms", "exceeds", "expected"),
    [
        ("portal", ["service_disruption"], True, "SERIOUS"),
        ("portal", [], True, "NORMAL"),
        ("portal", ["service_disruption"], False, "NORMAL"),
        ("small", ["loss_of_control"], True, "NORMAL"),
    ],
)
def test_severity_is_computed_from_level_harms_and_capacity(world, system_key, harms, exceeds, expected):
    incident = report(world, system=world[system_key], harms=tuple(harms), exceeds_capacity=exceeds).incident
    assert incident.severity == expected
    assert len(incident.severity_reasons) == 3


def test_critical_list_counts_like_level_4(world):
    world["small"].is_critical_national = True
    world["small"].save()
    incident = report(world, harms=("spreading",), exceeds_capacity=True).incident
    assert incident.severity == "SERIOUS"


def test_coordinator_override_needs_a_reason(world):
    incident = report(world).incident
    services.acknowledge(actor=world["coord"], incident=incident)
    with pytest.raises(ValidationError):
        services.classify(
            actor=world["coord"],
            incident=incident,
            category="ATTACK.DEFACEMENT",
            harms=[],
            exceeds_capacity=False,
            override_severity="SERIOUS",
        )
    incident = services.classify(
        actor=world["coord"],
        incident=incident,
        category="ATTACK.DEFACEMENT",
        harms=[],
        exceeds_capacity=False,
        override_severity="SERIOUS",
        override_reason="Lan sang hệ thống cấp 4",
    )
    assert incident.severity == "SERIOUS" and incident.status == Status.CLASSIFIED
    assert incident.severity_override_reason


def test_normal_journey_to_closed_requires_closing_report(world):
    incident = report(world).incident
    coord = world["coord"]
    services.acknowledge(actor=coord, incident=incident)
    incident = services.classify(
        actor=coord, incident=incident, category="ATTACK.DEFACEMENT", harms=[], exceeds_capacity=False
    )
    for step in (Status.FIRST_ACTIONS, Status.CONTAINED, Status.RESTORED, Status.EVALUATED):
        incident = services.change_status(actor=world["responder"], incident=incident, to=step)
    with pytest.raises(InvalidTransition):
        services.change_status(actor=coord, incident=incident, to=Status.CLOSED)
    services.submit_closing_report(
        actor=coord, incident=incident, reporter_name="Sở", what_happened="x", how_solved="y"
    )
    incident = services.change_status(actor=coord, incident=incident, to=Status.CLOSED)
    assert incident.status == Status.CLOSED and incident.closed_at is not None
    assert incident.acknowledged_at is not None


def test_illegal_moves_are_refused(world):
    incident = report(world).incident
    with pytest.raises(InvalidTransition):
        services.change_status(actor=world["coord"], incident=incident, to=Status.CONTAINED)
    services.acknowledge(actor=world["coord"], incident=incident)
    incident = services.classify(
        actor=world["coord"], incident=incident, category="SYSTEM.POWER", harms=[], exceeds_capacity=False
    )
    with pytest.raises(InvalidTransition):  # a normal incident does not enter the serious procedure
        services.change_status(actor=world["coord"], incident=incident, to=Status.TEAM_CONVENED)
    incident.refresh_from_db()
    assert incident.status == Status.CLASSIFIED


def test_serious_incident_follows_the_serious_procedure(world):
    incident = report(
        world, system=world["portal"], harms=("service_disruption",), exceeds_capacity=True
    ).incident
    coord = world["coord"]
    services.acknowledge(actor=coord, incident=incident)
    services.classify(
        actor=coord,
        incident=incident,
        category="ATTACK.DOS",
        harms=["service_disruption"],
        exceeds_capacity=True,
    )
    incident.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.change_status(actor=coord, incident=incident, to=Status.FIRST_ACTIONS)
    incident = services.change_status(actor=coord, incident=incident, to=Status.TEAM_CONVENED)
    assert incident.status == Status.TEAM_CONVENED


def test_intake_steps_belong_to_the_coordinator(world):
    incident = report(world).incident
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=world["responder"], incident=incident)
    with pytest.raises(PermissionDenied):
        services.change_status(actor=world["viewer"], incident=incident, to=Status.ACKNOWLEDGED)
    incident.refresh_from_db()
    assert incident.status == Status.LOGGED


def test_merge_keeps_every_report_and_history(world):
    first, second = report(world).incident, report(world, reporter_name="Người dân").incident
    services.merge_incidents(actor=world["coord"], target=first, duplicate=second, note="Cùng sự kiện")
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into == first
    assert IncidentReport.objects.filter(incident=first).count() == 2
    assert second.timeline.filter(kind="reported").exists()  # the duplicate's history is not rewritten
    assert first.timeline.filter(kind="merged").exists()


def test_timeline_is_append_only(world):
    event = report(world).incident.timeline.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        TimelineEvent.objects.all().update(message="x")
    with pytest.raises(PermissionError):
        TimelineEvent.objects.all().delete()


def test_confidential_incident_visibility(world):
    incident = report(world, confidential=True).incident
    visible = lambda user: Incident.objects.visible_to(user).filter(pk=incident.pk).exists()  # noqa: E731
    assert visible(world["responder"])  # the reporter
    assert not visible(world["viewer"])  # same unit, not named
    assert not visible(world["outsider"])
    assert visible(world["national"])  # a legal addressee (QĐ05 Art. 11.1a): see test_law.py
    assert visible(world["coord"]) and visible(world["coord2"])  # unassigned: coordinators take it in
    incident.handlers.add(world["coord"])
    assert visible(world["coord"]) and not visible(world["coord2"])


def test_unit_incidents_hidden_from_outsider(world):
    incident = report(world).incident
    assert Incident.objects.visible_to(world["viewer"]).filter(pk=incident.pk).exists()
    assert not Incident.objects.visible_to(world["outsider"]).filter(pk=incident.pk).exists()
    assert Incident.objects.visible_to(world["national"]).filter(pk=incident.pk).exists()


def test_search_is_diacritic_insensitive(world):
    report(world, title="Tấn công thay đổi giao diện Cổng thông tin")
    assert Incident.objects.search("cong thong tin").count() == 1
    assert Incident.objects.search("CỔNG").count() == 1


def test_classification_sets_the_tlp_marking(world):
    incident = report(world).incident
    services.acknowledge(actor=world["coord"], incident=incident)
    incident = services.classify(
        actor=world["coord"],
        incident=incident,
        category="ATTACK.MALWARE",
        harms=[],
        exceeds_capacity=False,
        tlp="RED",
    )
    assert incident.tlp == "RED"
    with pytest.raises(ValidationError):
        services.classify(
            actor=world["coord"],
            incident=incident,
            category="ATTACK.MALWARE",
            harms=[],
            exceeds_capacity=False,
            tlp="PURPLE",
        )


def test_idempotency_key_is_scoped_to_the_submitting_user(world):
    mine = report(world, idempotency_key="click-1", confidential=True)
    theirs = services.submit_report(
        actor=world["outsider"],
        data=services.ReportInput(
            channel="form",
            title="Sự cố khác",
            description="Khác",
            detected_at=timezone.now() - datetime.timedelta(hours=1),
            reporter_name="Người ngoài",
            organization=world["other"],
            idempotency_key="click-1",
        ),
    )
    assert theirs.pk != mine.pk and theirs.incident.title == "Sự cố khác"
    assert Incident.objects.count() == 2


def test_anonymous_key_never_replays_an_earlier_report(world):
    data = {
        "channel": "public",
        "title": "Báo cáo công khai",
        "description": "Nội dung",
        "detected_at": timezone.now() - datetime.timedelta(hours=1),
        "reporter_name": "Công dân",
        "reporter_phone": "0912 000 222",
        "idempotency_key": "anon-1",
    }
    first = services.submit_report(actor=AnonymousUser(), data=services.ReportInput(**data))
    second = services.submit_report(actor=AnonymousUser(), data=services.ReportInput(**data))
    assert first.pk != second.pk and first.idempotency_key == ""


def test_a_task_owner_from_outside_the_incident_is_refused(province, reported):
    """The rule lived in the page's form only: the service accepted any user as the owner."""
    services.assign_handler(actor=province["coord"], incident=reported)
    with pytest.raises(ValidationError) as error:
        services.add_task(actor=province["coord"], incident=reported, title="Gỡ", owner=province["outsider"])
    assert "owner" in error.value.message_dict and not reported.tasks.exists()
    task = services.add_task(
        actor=province["coord"], incident=reported, title="Gỡ", owner=province["responder"]
    )
    assert task.owner == province["responder"]
