"""What the audit trail records: sign-ins, confidential reads, downloads and exports, access changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.audit.models import AuditEvent
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Membership

Action = AuditEvent.Action
BROWSER = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Mozilla/5.0 (kiểm thử)"}


def report(actor, system, *, confidential: bool):
    return reported(
        actor,
        system.operator,
        "Rò rỉ dữ liệu Alpha",
        description="Mô tả",
        system=system,
        confidential=confidential,
    )


@pytest.fixture
def confidential(responder, system_a):
    return report(responder, system_a, confidential=True)


def test_sign_in_is_recorded_with_where_it_came_from(client_for, viewer):
    viewer.set_password("Mat-khau-rat-dai-2026")
    viewer.save()

    client_for().post(
        reverse("accounts:login"), {"username": "viewer", "password": "Mat-khau-rat-dai-2026"}, **BROWSER
    )

    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert (event.actor, event.actor_name, event.ip_address) == (viewer, "viewer", "198.51.100.7")
    assert event.user_agent == "Mozilla/5.0 (kiểm thử)"


def test_failed_sign_in_keeps_the_username_tried_and_never_the_password(client_for, viewer):
    client_for().post(
        reverse("accounts:login"), {"username": "viewer", "password": "doan-sai-123"}, **BROWSER
    )

    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (event.actor, event.actor_name, event.ip_address) == (None, "viewer", "198.51.100.7")
    assert "doan-sai" not in str(AuditEvent.objects.values_list())
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_failed_api_token_request_is_recorded(api_for, viewer):
    api_for().post(reverse("api-token"), {"username": "viewer", "password": "sai"})

    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, actor_name="viewer").exists()


def test_opening_a_confidential_incident_is_recorded(client_for, coordinator, confidential, org_a):
    response = client_for(coordinator).get(reverse("incidents:detail", args=[confidential.pk]), **BROWSER)

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW_CONFIDENTIAL)
    assert (event.actor, event.target_label, event.organization) == (
        coordinator,
        confidential.reference,
        org_a,
    )
    assert event.target_id == str(confidential.pk) and event.view_name == "incidents:detail"
    assert "Rò rỉ" not in event.target_label + event.detail  # a reference, never the title


def test_reading_a_confidential_incident_through_the_api_is_recorded(api_for, responder, confidential):
    response = api_for(responder).get(reverse("incident-detail", args=[confidential.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW_CONFIDENTIAL)
    assert (event.actor, event.view_name) == (responder, "incident-detail")


def test_a_refused_read_is_no_disclosure_and_is_not_a_row(client_for, viewer, outsider, confidential):
    for person in (viewer, outsider):
        assert client_for(person).get(reverse("incidents:detail", args=[confidential.pk])).status_code == 404

    assert not AuditEvent.objects.filter(action=Action.VIEW_CONFIDENTIAL).exists()


def test_an_ordinary_incident_page_is_not_a_confidential_read(client_for, viewer, manager, system_a):
    incident = report(manager, system_a, confidential=False)

    assert client_for(viewer).get(reverse("incidents:detail", args=[incident.pk])).status_code == 200

    assert not AuditEvent.objects.filter(action=Action.VIEW_CONFIDENTIAL).exists()


def test_evidence_download_is_recorded_on_page_and_api(
    client_for, api_for, coordinator, confidential, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = evidence_services.add_evidence(
        actor=coordinator,
        incident=confidential,
        uploaded_file=SimpleUploadedFile("web.log", b"GET / 200\n", content_type="text/plain"),
        kind="log",
        classification="internal",
        description="Nhật ký",
    )

    assert client_for(coordinator).get(reverse("evidence:download", args=[evidence.pk])).status_code == 200
    assert api_for(coordinator).get(reverse("evidence-download", args=[evidence.pk])).status_code == 200

    events = AuditEvent.objects.filter(action=Action.DOWNLOAD).order_by("id")
    assert [e.view_name for e in events] == ["evidence:download", "evidence-download"]
    assert {(e.actor, e.target_id, e.organization) for e in events} == {
        (coordinator, str(evidence.pk), confidential.operator)
    }


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("vulnerabilities:export", "?as=xlsx"),
        ("reports:statistics", "?export=csv"),
        ("obligations:compliance", "?export=xlsx"),
    ],
)
def test_every_export_is_recorded_with_its_filters(client_for, coordinator, name, query):
    response = client_for(coordinator).get(reverse(name) + query, **BROWSER)

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert (event.actor, event.view_name, event.ip_address) == (coordinator, name, "198.51.100.7")
    assert query[1:] in event.detail


def test_a_document_download_names_its_incident(client_for, coordinator, confidential):
    response = client_for(coordinator).get(
        reverse("reports:form03", args=[confidential.pk]) + "?download=docx"
    )

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert (event.target_label, event.organization) == (confidential.reference, confidential.operator)


def test_calendar_feed_fetch_is_recorded_for_its_owner(client, viewer):
    from ungcuu.obligations import ical

    token = ical.issue_token(actor=viewer)

    assert client.get(reverse("obligations:ical", args=[token])).status_code == 200

    event = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert (event.actor, event.view_name) == (viewer, "obligations:ical")
    assert token not in str(AuditEvent.objects.values_list())


def test_membership_changes_are_recorded_with_the_request(client_for, manager, org_a, viewer):
    client = client_for(manager)
    add = reverse("organizations:member_add", args=[org_a.pk])
    body = {"username": "newcomer", "email": "new@example.gov.vn", "full_name": "Người Mới", "role": "viewer"}

    client.post(add, body, **BROWSER)
    client.post(add, {**body, "role": "responder"}, **BROWSER)
    client.post(add, {**body, "role": "responder"}, **BROWSER)  # no change, no row
    membership = Membership.objects.get(user__username="newcomer")
    client.post(reverse("organizations:member_remove", args=[org_a.pk, membership.pk]), **BROWSER)

    rows = list(AuditEvent.objects.exclude(action=Action.SIGN_IN).order_by("id"))
    assert [(e.action, e.detail) for e in rows] == [
        (Action.MEMBER_ADDED, "viewer"),
        (Action.MEMBER_ROLE_CHANGED, "viewer → responder"),
        (Action.MEMBER_REMOVED, "responder"),
    ]
    assert {(e.actor, e.target_label, e.organization, e.ip_address) for e in rows} == {
        (manager, "newcomer", org_a, "198.51.100.7")
    }


def test_platform_role_change_in_the_admin_is_recorded(client_for, viewer, db):
    admin = User.objects.create_superuser("root", "root@example.gov.vn", "Mat-khau-quan-tri-2026")
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    form = client_for(admin).get(url).context["adminform"].form
    body = {
        k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions")
    }
    body.update(platform_role=User.PlatformRole.COORDINATOR, is_active="on", date_joined_0="2026-01-01")
    body.update(date_joined_1="08:00:00", last_login_0="", last_login_1="")

    response = client_for(admin).post(url, body)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=Action.PLATFORM_ROLE_CHANGED)
    assert (event.actor, event.target_label) == (admin, "viewer")
    assert event.detail == "platform_role:  → coordinator"


def test_the_trail_is_append_only(client_for, coordinator, confidential):
    client_for(coordinator).get(reverse("incidents:detail", args=[confidential.pk]))
    event = AuditEvent.objects.get(action=Action.VIEW_CONFIDENTIAL)

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(detail="sửa")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
