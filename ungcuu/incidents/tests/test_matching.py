"""Citizen reports matched to the registry and to likely duplicates, and the one-click merge (issue 15)."""

import datetime
import ipaddress

import pytest
from django.utils import timezone, translation

from ungcuu.incidents import matching, services
from ungcuu.incidents.models import Incident, IncidentReport, TimelineEvent
from ungcuu.incidents.presenters import report_input_from_public
from ungcuu.systems import services as system_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the reasons are read as words; Vietnamese is the default
        yield


def citizen_report(system_text: str, description: str = "Trang web hiển thị nội dung cờ bạc") -> Incident:
    data = {
        "reporter_name": "Trần Thị B",
        "reporter_email": "b@example.vn",
        "system_text": system_text,
        "description": description,
        "detected_at": timezone.now() - datetime.timedelta(minutes=30),
    }
    return services.submit_report(actor=None, data=report_input_from_public(data)).incident


def test_names_in_reads_urls_hosts_and_addresses():
    names = matching.names_in("Xem http://www.HoaLu.example.vn/login, máy 203.0.113.7:8080 và [2001:db8::1]")
    assert names.hosts == {"hoalu.example.vn"}
    assert names.ips == {ipaddress.ip_address("203.0.113.7"), ipaddress.ip_address("2001:db8::1")}
    assert matching.names_in("Trang chủ bị thay đổi.Không rõ v.v") == matching.Names()


def test_reported_domain_finds_its_system_and_operator(province):
    incident = citizen_report("https://tin.alpha.example.vn/bai-viet/1")
    found = matching.registry_matches(province["coord"], incident)
    assert [m.system for m in found] == [province["portal"]]
    assert found[0].system.operator == province["unit"]
    assert found[0].reasons == ["domain tin.alpha.example.vn"]


def test_reported_ip_inside_a_registered_range_finds_the_system(province):
    system = system_services.register_system(
        actor=province["coord"],
        name="Hệ thống thư điện tử tỉnh",
        owner=province["owner"],
        operator=province["other"],
        security_level=3,
        public_ips=["198.51.100.0/24"],
    )
    incident = citizen_report("198.51.100.25")
    assert [m.system for m in matching.registry_matches(province["coord"], incident)] == [system]


def test_system_name_in_the_report_matches_without_diacritics(province):
    incident = citizen_report("cong thong tin alpha")
    assert [m.reasons for m in matching.registry_matches(province["coord"], incident)] == [["system name"]]


def test_outsider_learns_nothing_of_systems_they_cannot_see(province):
    incident = citizen_report("alpha.example.vn")
    assert matching.registry_matches(province["outsider"], incident) == []


def test_two_citizens_naming_one_domain_are_likely_duplicates(province):
    first = citizen_report("alpha.example.vn", "Giao diện bị thay đổi")
    second = citizen_report("http://alpha.example.vn/", "Trang chủ có nội dung lạ")
    systems = [m.system for m in matching.registry_matches(province["coord"], second)]
    found = matching.duplicate_candidates(province["coord"], second, systems)
    assert [d.incident for d in found] == [first]
    assert "names the same alpha.example.vn" in found[0].reasons


def test_operator_report_on_the_same_system_is_a_duplicate_candidate(province, reported):
    incident = citizen_report("alpha.example.vn")
    systems = [m.system for m in matching.registry_matches(province["coord"], incident)]
    found = matching.duplicate_candidates(province["coord"], incident, systems)
    assert [d.incident for d in found] == [reported]
    assert found[0].reasons[0] == "same system: Cổng thông tin Alpha"


def test_reports_outside_the_window_or_closed_are_not_duplicates(province):
    old = citizen_report("alpha.example.vn")
    Incident.objects.filter(pk=old.pk).update(reported_at=timezone.now() - datetime.timedelta(days=4))
    rejected = citizen_report("alpha.example.vn")
    Incident.objects.filter(pk=rejected.pk).update(status="rejected")
    incident = citizen_report("alpha.example.vn")
    assert matching.duplicate_candidates(province["coord"], incident, []) == []


def test_similar_titles_are_duplicates_without_a_shared_name(province):
    first = citizen_report("Cổng dịch vụ công phường bị tấn công")
    second = citizen_report("Cong dich vu cong phuong bi tan cong!")
    found = matching.duplicate_candidates(province["coord"], second, [])
    assert [d.incident for d in found] == [first] and found[0].reasons == ["similar title"]


def test_coordinator_sees_matches_and_duplicates_on_the_workspace(province, reported, client_for):
    incident = citizen_report("alpha.example.vn")
    page = client_for(province["coord"]).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'id="registry-matches"' in page and province["unit"].name in page
    assert 'id="duplicate-candidates"' in page and reported.reference in page
    # the classification proposes the matched system
    assert f'<option value="{province["portal"].pk}" selected>' in page


def test_viewer_and_outsider_see_no_matching_panel(province, client_for):
    incident = citizen_report("alpha.example.vn")
    Incident.objects.filter(pk=incident.pk).update(operator=province["unit"])
    assert (
        "intake-matches"
        not in client_for(province["viewer"]).get(f"/incidents/{incident.pk}/").content.decode()
    )
    assert client_for(province["outsider"]).get(f"/incidents/{incident.pk}/").status_code == 404


def test_one_click_merge_moves_the_citizen_report_into_the_incident(province, reported, client_for):
    incident = citizen_report("alpha.example.vn")
    response = client_for(province["coord"]).post(
        f"/incidents/{reported.pk}/merge/", {"duplicate": incident.reference, "note": "cùng sự cố"}
    )
    assert response.status_code == 302 and response["Location"] == f"/incidents/{reported.pk}/"
    incident.refresh_from_db()
    assert incident.status == "merged" and incident.merged_into == reported
    assert IncidentReport.objects.filter(incident=reported, channel="public").count() == 1
    assert TimelineEvent.objects.filter(incident=incident, kind="merged").exists()
    assert TimelineEvent.objects.get(incident=reported, kind="merged").data["merged"] == incident.reference


def test_viewer_cannot_merge_and_nothing_changes(province, reported, client_for):
    incident = citizen_report("alpha.example.vn")
    response = client_for(province["viewer"]).post(
        f"/incidents/{reported.pk}/merge/", {"duplicate": incident.reference}
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == "logged" and incident.reports.count() == 1
    outsider = client_for(province["outsider"]).post(
        f"/incidents/{reported.pk}/merge/", {"duplicate": incident.reference}
    )
    assert outsider.status_code == 404
