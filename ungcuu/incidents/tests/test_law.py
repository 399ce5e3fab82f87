"""The law's flows, exactly (issue 13): each test names the rule it holds the platform to (DOMAIN.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from rest_framework.test import APIClient

from ungcuu.accounts import tokens
from ungcuu.core import taxonomy
from ungcuu.core.errors import Conflict
from ungcuu.incidents import services
from ungcuu.incidents.forms import ClassifyForm
from ungcuu.incidents.models import Deadline, DeadlinePolicy, Incident, TimelineEvent
from ungcuu.incidents.severity import assess_severity
from ungcuu.incidents.tests.conftest import _org
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Kind
from ungcuu.reports.access import Scope
from ungcuu.systems import services as system_services

pytestmark = pytest.mark.django_db


def orgs_notified(incident, event):
    rows = Notification.objects.filter(incident=incident, event=event, recipient_org__isnull=False)
    return set(rows.values_list("recipient_org__code", flat=True))


def _report(province, *, system=None, **overrides):
    data = {
        "channel": "form",
        "title": "Mã hóa dữ liệu cổng",
        "description": "Dữ liệu bị mã hóa",
        "detected_at": timezone.now() - datetime.timedelta(hours=1),
        "reporter_name": "UBND phường Hoa Lư",
        "organization": province["unit"],
        "system": system or province["portal"],
        **overrides,
    }
    return services.submit_report(actor=province["manager"], data=services.ReportInput(**data)).incident


@pytest.fixture
def critical(province):
    return system_services.register_system(
        actor=province["coord"],
        name="Trục liên thông tỉnh",
        owner=province["owner"],
        operator=province["unit"],
        security_level=4,
    )


@pytest.fixture
def national_bodies(province):
    return {
        "standing": _org("BCA-A05", "Bộ Công an (Cục A05)", Kind.STANDING_AGENCY, "a05@example.vn"),
        "steering": _org("BCD-QG", "Ban Chỉ đạo quốc gia", Kind.NATIONAL_STEERING, "bcdqg@example.vn"),
    }


# --- point 1: emergency reporting at intake ------------------------------------------------------------


def test_intake_starts_emergency_reporting_when_the_operator_may_not_cope_qd05_art_11_1a(province):
    incident = _report(province, exceeds_capacity=True)
    assert orgs_notified(incident, "emergency") == {"SO-KHCN", "UBND", "VNCERT"}
    assert incident.emergency_reported_at is not None
    notice = Notification.objects.filter(incident=incident, event="emergency").first()
    assert "BÁO CÁO KHẨN" in notice.subject  # marked as emergency, in the platform's language
    assert TimelineEvent.objects.filter(incident=incident, kind="emergency").count() == 1


def test_serious_incident_at_intake_tells_the_provincial_steering_committee_at_once_qd05_art_11_1a(
    province, critical
):
    incident = _report(province, system=critical, harms=("service_disruption",), exceeds_capacity=True)
    assert incident.severity == Incident.Severity.SERIOUS
    assert orgs_notified(incident, "emergency") == {"SO-KHCN", "UBND", "VNCERT", "BCD"}


def test_ordinary_report_within_capacity_gets_no_emergency_notice_qd05_art_11_1a(province):
    incident = _report(province)
    assert orgs_notified(incident, "emergency") == set() and incident.emergency_reported_at is None


# --- point 2: one flag, three legal meanings ------------------------------------------------------------


def test_operator_capacity_does_not_declare_that_the_province_cannot_cope_s4_art_7_1d(province, reported):
    coord = province["coord"]
    services.acknowledge(actor=coord, incident=reported)
    services.classify(
        actor=coord, incident=reported, category="ATTACK.DEFACEMENT", harms=[], exceeds_capacity=True
    )
    reported.refresh_from_db()
    assert orgs_notified(reported, "province_cannot_cope") == set()
    assert reported.national_support_requested_at is None
    assert "VNCERT" in orgs_notified(reported, "emergency")  # the operator's capacity: Art. 11.1a


def test_province_cannot_cope_is_the_coordinators_request_to_the_national_coordinator_s4_art_7_1d(
    province, reported
):
    with pytest.raises(ValidationError):
        services.request_national_support(actor=province["coord"], incident=reported, reason=" ")
    incident = services.request_national_support(
        actor=province["coord"], incident=reported, reason="Cần chuyên gia phân tích mã độc"
    )
    assert orgs_notified(incident, "province_cannot_cope") == {"VNCERT"}
    assert incident.national_support_requested_at is not None
    assert TimelineEvent.objects.filter(incident=incident, kind="support_request").exists()


def test_support_request_is_refused_when_no_national_coordinator_can_receive_it_s4_art_7_1d(
    province, reported
):
    province["national"].is_active = False
    province["national"].save()
    with pytest.raises(Conflict):
        services.request_national_support(actor=province["coord"], incident=reported, reason="Cần hỗ trợ")
    reported.refresh_from_db()
    assert reported.national_support_requested_at is None  # nothing half-written


@pytest.mark.parametrize("required", [True, False])
def test_severity_criterion_ii_capacity_is_a_policy_setting_shown_in_the_reasons_domain_c(
    settings, province, critical, required
):
    settings.SEVERITY_REQUIRES_CAPACITY = required
    with translation.override("vi"):  # the reasons are written in the language in force, as a page shows
        assessment = assess_severity(system=critical, harms=["service_disruption"], exceeds_capacity=False)
    assert assessment.severity == ("NORMAL" if required else "SERIOUS")
    said = "phải vượt quá" if required else "không cần vượt quá"  # the reasons are in Vietnamese
    assert said in assessment.reasons[-1]


# --- point 3: the serious chain is complete -------------------------------------------------------------


def test_serious_incident_reaches_standing_agency_and_national_steering_committee_qd05_art_14(
    province, critical, national_bodies
):
    incident = _report(province, system=critical)
    coord = province["coord"]
    services.acknowledge(actor=coord, incident=incident)
    services.classify(
        actor=coord,
        incident=incident,
        category="ATTACK.ENCRYPTION",
        harms=["service_disruption"],
        exceeds_capacity=True,
    )
    assert {"BCA-A05", "BCD-QG", "BCD", "VNCERT"} <= orgs_notified(incident, "serious")


# --- point 4: requests for direction or support notify someone, with a deadline -----------------------


def test_request_for_direction_notifies_the_specialised_unit_with_a_deadline_qd05_art_11_2(
    province, reported
):
    services.add_entry(
        actor=province["manager"], incident=reported, kind="direction_request", message="Xin chỉ đạo"
    )
    assert orgs_notified(reported, "direction_requested") == {"SO-KHCN"}
    clock = Deadline.objects.get(incident=reported, code="DIRECTION_ANSWER")
    assert clock.met_at is None and clock.due_at > timezone.now()
    services.add_entry(actor=province["coord"], incident=reported, kind="direction", message="Cô lập máy chủ")
    clock.refresh_from_db()
    assert clock.met_at is not None


def test_request_for_direction_on_a_serious_incident_goes_upward_qd05_art_12_1f(
    province, critical, national_bodies
):
    incident = _report(province, system=critical, harms=("service_disruption",), exceeds_capacity=True)
    services.add_entry(
        actor=province["manager"], incident=incident, kind="direction_request", message="Xin hỗ trợ"
    )
    assert orgs_notified(incident, "direction_requested") == {"SO-KHCN", "BCD", "BCA-A05"}


def test_only_the_specialised_unit_gives_direction_qd05_art_12_1f(province, reported):
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied or ValidationError both refuse)
        services.add_entry(actor=province["manager"], incident=reported, kind="direction", message="x")
    assert not TimelineEvent.objects.filter(incident=reported, kind="direction").exists()


def test_support_request_page_is_the_coordinators_act_s4_art_7_1d(province, reported, client_for):
    url = f"/incidents/{reported.pk}/support/"
    assert client_for(province["outsider"]).post(url, {"reason": "x"}).status_code == 404
    assert client_for(province["manager"]).post(url, {"reason": "x"}).status_code == 403
    assert client_for(province["coord"]).post(url, {"reason": ""}).status_code == 400
    reported.refresh_from_db()
    assert reported.national_support_requested_at is None
    assert client_for(province["coord"]).post(url, {"reason": "Cần chuyên gia"}).status_code == 302
    reported.refresh_from_db()
    assert reported.national_support_requested_at is not None


# --- point 7: harms and reasons in words ----------------------------------------------------------------


def test_severity_reasons_name_harms_in_vietnamese_never_their_codes_domain_c(province, critical):
    incident = _report(province, system=critical, harms=("service_disruption", "loss_of_control"))
    text = " ".join(incident.severity_reasons)
    assert "service_disruption" not in text and "loss_of_control" not in text
    assert str(Incident.Harm.SERVICE_DISRUPTION.label) in text


# --- point 8: "reported late" is visible and filterable ------------------------------------------------


def test_reported_late_under_the_5_day_rule_shows_in_list_dashboard_and_api_qd05_art_11_1a(
    province, client_for
):
    late = _report(province, title="Báo muộn", detected_at=timezone.now() - datetime.timedelta(days=6))
    on_time = _report(province, title="Báo đúng hạn")
    assert list(Incident.objects.reported_late()) == [late]
    client = client_for(province["coord"])
    listed = client.get("/incidents/?reported_late=on").content.decode()
    assert late.reference in listed and on_time.reference not in listed and "reported-late" in listed
    home = client.get("/").content.decode()
    assert 'id="tile-reported-late"' in home
    # The tile counts the open ones (issue 18, fifth session) and opens the list on the same rows.
    assert "?status=open&reported_late=on" in home and "open, reported late" in home
    assert client.get("/incidents/?status=open&reported_late=on").context["page"].paginator.count == 1
    _token, secret = tokens.create_token(actor=province["coord"], name="t")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    rows = api.get("/api/v1/incidents/?reported_late=on").json()["results"]
    assert [r["reference"] for r in rows] == [late.reference] and rows[0]["is_reported_late"] is True


def test_closing_deadline_exists_as_data_off_until_the_province_sets_it_domain_e(db):
    policy = DeadlinePolicy.objects.get(code="CLOSE")
    assert policy.is_active is False and policy.hours > 0


# --- point 14: the taxonomy's 4 groups when classifying ------------------------------------------------


def test_categories_are_offered_under_the_four_cause_groups_in_the_words_of_s0_ii_3a(
    province, reported, client_for
):
    with translation.override("vi"):
        groups = [label for label, _options in ClassifyForm().fields["category"].choices]
        assert groups == [g["vi"] for g in taxonomy.incident_groups().values()]
        page = client_for(province["coord"], language="vi").get(f"/incidents/{reported.pk}/").content.decode()
    assert '<optgroup label="Sự cố do bị tấn công mạng">' in page


# --- point 6: the scope of QĐ05 -------------------------------------------------------------------------


def test_incident_on_a_ministry_of_defence_system_goes_to_its_own_channel_only_qd05_scope(province):
    military = _org("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", Kind.MILITARY, "bchqs@example.vn")
    system = system_services.register_system(
        actor=province["coord"], name="Hệ thống quân sự", owner=military, operator=military, security_level=4
    )
    system.outside_qd05 = "BQP"
    system.save(update_fields=["outside_qd05"])
    incident = _report(province, system=system, harms=("service_disruption",), exceeds_capacity=True)
    told = set(
        Notification.objects.filter(incident=incident, recipient_org__isnull=False).values_list(
            "recipient_org__code", flat=True
        )
    )
    assert told == {"BCHQS"}
    assert not Scope.province().incidents().filter(pk=incident.pk).exists()


def _military_incident(province):
    military = _org("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", Kind.MILITARY, "bchqs@example.vn")
    system = system_services.register_system(
        actor=province["coord"], name="Hệ thống quân sự", owner=military, operator=military, security_level=4
    )
    system.outside_qd05 = "BQP"
    system.save(update_fields=["outside_qd05"])
    return _report(province, system=system)


def test_dashboard_and_statistics_do_not_count_bqp_bca_incidents_qd05_scope(province, client_for):
    from ungcuu.core.periods import Period
    from ungcuu.incidents.queries import incident_figures
    from ungcuu.reports.statistics import build_statistics

    _report(province)
    _military_incident(province)
    coord = province["coord"]
    figures = incident_figures(coord)
    assert (figures["open_count"], figures["outside_scope_count"]) == (1, 1)
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=31), today)
    stats = build_statistics(scope=Scope.province(), period=period, user=coord)
    assert stats.incidents.total == 1
    page = client_for(coord, language="vi").get("/").content.decode()
    assert "ngoài phạm vi QĐ05" in page


def test_one_scope_rule_in_qd05_scope_and_its_complement_partition_the_incidents_qd05_scope(province):
    inside, outside = _report(province), _military_incident(province)
    assert list(Incident.objects.in_qd05_scope()) == [inside]
    assert list(Incident.objects.outside_qd05_scope()) == [outside]
