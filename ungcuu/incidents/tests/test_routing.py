"""The reporting chain as data, the deadlines, and the outbox they feed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.incidents import clocks, routing, services
from ungcuu.incidents.models import Deadline, DeadlinePolicy, Incident, RoutingRule
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import FocalPoint, Membership
from ungcuu.organizations.tests.factories import member

pytestmark = pytest.mark.django_db


def orgs_notified(incident, event):
    return set(
        Notification.objects.filter(incident=incident, event=event, recipient_org__isnull=False).values_list(
            "recipient_org__code", flat=True
        )
    )


def test_report_goes_to_owner_and_specialised_unit_with_national_in_copy(reported):
    assert orgs_notified(reported, "report_received") >= {"UBND", "SO-KHCN", "VNCERT"}
    assert "CA-TINH" not in orgs_notified(reported, "report_received")
    plan = routing.plan(reported, RoutingRule.Event.REPORT_RECEIVED)
    assert [o.code for o in plan["copy"]] == ["VNCERT"]


def test_reporter_gets_an_acknowledgement_email(province, reported):
    ack = Notification.objects.filter(incident=reported, event="report_ack", channel="email")
    assert ack.filter(to_address=province["manager"].email).exists()


def test_signs_of_crime_bring_in_the_police(province, reported):
    coord = province["coord"]
    services.acknowledge(actor=coord, incident=reported)
    services.classify(
        actor=coord,
        incident=reported,
        category="ATTACK.DEFACEMENT",
        harms=[],
        exceeds_capacity=False,
        crime_signs=True,
    )
    assert "CA-TINH" in orgs_notified(reported, "crime_signs")
    # classifying again does not tell the police twice
    services.classify(
        actor=coord,
        incident=reported,
        category="ATTACK.DEFACEMENT",
        harms=[],
        exceeds_capacity=False,
        crime_signs=True,
    )
    assert (
        Notification.objects.filter(
            incident=reported, event="crime_signs", recipient_org__code="CA-TINH", channel="email"
        ).count()
        == 1
    )


def test_a_disabled_rule_is_not_followed(province):
    RoutingRule.objects.filter(event="report_received", recipient="NATIONAL_COORDINATOR").update(
        is_active=False
    )
    data = services.ReportInput(
        channel="form",
        title="t",
        description="d",
        reporter_name="r",
        detected_at=timezone.now(),
        organization=province["unit"],
    )
    incident = services.submit_report(actor=province["manager"], data=data).incident
    assert "VNCERT" not in orgs_notified(incident, "report_received")


def test_category_prefix_limits_a_rule(province, reported):
    RoutingRule.objects.create(
        name="Attacks → military", event="classified", recipient="MILITARY", category_prefix="ATTACK"
    )
    assert routing.rules_for(reported, "classified")[-1].recipient in {
        "MILITARY",
        "OPERATOR",
        "OWNER",
        "PROV_STEERING",
        "NATIONAL_COORDINATOR",
    }
    reported.category = "SYSTEM.POWER"
    assert "MILITARY" not in {r.recipient for r in routing.rules_for(reported, "classified")}
    reported.category = "ATTACK.DOS"
    assert "MILITARY" in {r.recipient for r in routing.rules_for(reported, "classified")}


def test_clocks_start_at_intake_and_stop_when_met(province, reported):
    codes = dict(Deadline.objects.filter(incident=reported).values_list("code", "met_at"))
    assert codes["OPERATOR_REPORT"] is not None  # the report itself meets the 5-day duty
    assert codes["INTAKE_ACK"] is None
    services.acknowledge(actor=province["coord"], incident=reported)
    assert Deadline.objects.get(incident=reported, code="INTAKE_ACK").met_at is not None


def test_five_day_rule_is_configurable_and_a_late_report_shows(province):
    DeadlinePolicy.objects.filter(code="OPERATOR_REPORT").update(hours=72)
    data = services.ReportInput(
        channel="form",
        title="t",
        description="d",
        reporter_name="r",
        detected_at=timezone.now() - datetime.timedelta(days=4),
        organization=province["unit"],
    )
    incident = services.submit_report(actor=province["manager"], data=data).incident
    clock = Deadline.objects.get(incident=incident, code="OPERATOR_REPORT")
    assert clock.was_late


def test_unacknowledged_report_becomes_overdue(reported):
    later = timezone.now() + datetime.timedelta(hours=3)
    assert (
        clocks.overdue(Deadline.objects.filter(incident=reported), now=later)
        .filter(code="INTAKE_ACK")
        .exists()
    )
    assert reported in Incident.objects.overdue(now=later)
    assert reported not in Incident.objects.overdue(now=timezone.now())


def test_email_down_still_accepts_the_report(province, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "ungcuu.incidents.tests.test_routing.BrokenBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    data = services.ReportInput(
        channel="form",
        title="t",
        description="d",
        reporter_name="r",
        reporter_email="x@example.vn",
        detected_at=timezone.now(),
        organization=province["unit"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.submit_report(actor=province["manager"], data=data).incident
    assert Incident.objects.filter(pk=incident.pk).exists()
    emails = Notification.objects.filter(incident=incident, channel="email")
    assert emails.exists() and not emails.filter(state="sent").exists()
    assert emails.filter(state="failed", attempts=1).count() == emails.count()


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_citizen_report_starts_no_operator_clock(province):
    """Issue 15: operator deadlines do not apply to a third party's report (nor does it meet them)."""
    data = services.ReportInput(
        channel="public",
        title="t",
        description="d",
        reporter_name="Người dân",
        reporter_phone="0912 000 111",
        detected_at=timezone.now(),
    )
    incident = services.submit_report(actor=None, data=data).incident
    assert not Deadline.objects.filter(incident=incident, code="OPERATOR_REPORT").exists()
    assert Deadline.objects.filter(incident=incident, code="INTAKE_ACK").exists()


def test_a_citizen_must_leave_a_way_to_be_reached(province):
    data = services.ReportInput(
        channel="public", title="t", description="d", reporter_name="Người dân", detected_at=timezone.now()
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_report(actor=None, data=data)
    assert "reporter_email" in caught.value.message_dict


def test_a_confidential_incident_is_told_only_to_those_who_may_open_it(province):
    """Issue 10 leak 2: reference, title, system, operator and detection time reached the unit's viewer
    and responder, the national coordinator and every mailbox, none of whom may open the incident."""
    officer = User.objects.create_user("officer", email="officer@example.vn")
    Membership.objects.create(user=officer, organization=province["police"], role="responder")
    detected = timezone.now() - datetime.timedelta(hours=1)
    data = services.ReportInput(
        channel="form",
        title="Rò rỉ hồ sơ mật",
        description="Nội dung mật",
        detected_at=detected,
        reporter_name="Người báo",
        organization=province["unit"],
        system=province["portal"],
        confidential=True,
        crime_signs=True,
    )
    incident = services.submit_report(actor=province["manager"], data=data).incident
    secrets = [
        incident.reference,
        incident.title,
        province["portal"].name,
        province["unit"].name,
        routing.timezone_text(detected),
    ]
    rows = Notification.objects.filter(incident=incident)
    assert rows.filter(recipient_user=officer, channel="inapp").exists()  # told, but not what
    for row in rows:
        opens = (
            row.channel == "inapp"
            and Incident.objects.visible_to(row.recipient_user).filter(pk=incident.pk).exists()
        )
        text = f"{row.subject}\n{row.body}"
        if not opens:
            assert not [s for s in secrets if s in text], (row.recipient_label, row.channel, text)
            assert row.link == f"/incidents/{incident.pk}/" or row.link == ""
    told = rows.get(recipient_user=province["manager"], channel="inapp", event="report_ack")
    assert incident.reference in told.subject  # the reporter may open it and reads it


def intake(province, title="t"):
    data = services.ReportInput(
        channel="form",
        title=title,
        description="d",
        reporter_name="r",
        detected_at=timezone.now(),
        organization=province["unit"],
        system=province["portal"],
    )
    return services.submit_report(actor=province["manager"], data=data).incident


def test_a_rule_or_focal_point_changed_between_two_reports_applies_to_the_second(province):
    """Intake keeps the rules and addresses per process (issue 18): a change through the admin (a save)
    reaches the next report without a restart."""
    first = intake(province)
    rule = RoutingRule.objects.get(event="report_received", recipient="NATIONAL_COORDINATOR")
    rule.is_active = False
    rule.save()
    FocalPoint.objects.create(organization=province["owner"], full_name="Mới", email="moi@example.vn")
    second = intake(province)
    assert "VNCERT" in orgs_notified(first, "report_received")
    assert "VNCERT" not in orgs_notified(second, "report_received")
    mailed = set(Notification.objects.filter(incident=second).values_list("to_address", flat=True))
    assert "moi@example.vn" in mailed
    assert "moi@example.vn" not in set(
        Notification.objects.filter(incident=first).values_list("to_address", flat=True)
    )


def test_a_deactivated_member_is_not_told_by_the_next_report(province):
    """People are never kept between reports: who may read an in-app notice is decided afresh."""
    colleague = member(province["specialised"], Membership.Role.RESPONDER, username="colleague")
    first = intake(province)
    colleague.is_active = False
    colleague.save()
    second = intake(province)
    assert Notification.objects.filter(incident=first, recipient_user=colleague, channel="inapp").exists()
    assert not Notification.objects.filter(incident=second, recipient_user=colleague).exists()
