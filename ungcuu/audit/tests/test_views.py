"""The administrators' page on the trail: who may open it, searching, paging, and the CSV export."""

import csv
import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import force_login
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import RequestMeta, record_event

Action = AuditEvent.Action
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def trail(viewer, manager, org_a):
    """Three days of events: sign-ins, a failed attempt with a formula for a name, a member change."""
    with time_machine.travel(NOON, tick=False):
        record_event(actor=viewer, action=Action.SIGN_IN, request_meta=RequestMeta("192.0.2.1", "Firefox"))
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        record_event(actor=None, action=Action.SIGN_IN_FAILED, actor_name='=HYPERLINK("http://x","y")')
    with time_machine.travel(NOON + datetime.timedelta(days=2), tick=False):
        record_event(
            actor=manager, action=Action.MEMBER_ADDED, target=viewer, organization=org_a, detail="viewer"
        )


def rows_of(response) -> list[str]:
    return [e.actor_name for e in response.context["page"]]


@pytest.mark.parametrize("name", ["audit:index", "audit:export"])
def test_anonymous_is_sent_to_sign_in(client_for, trail, name):
    response = client_for().get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["audit:index", "audit:export"])
@pytest.mark.parametrize("persona", ["viewer", "manager", "outsider", "national"])
def test_the_trail_is_not_there_for_anyone_else(client_for, trail, request, persona, name):
    client = client_for(request.getfixturevalue(persona))  # signing in is itself a row: before the snapshot
    before = list(AuditEvent.objects.values_list())

    response = client.get(reverse(name))

    assert response.status_code == 404
    assert list(AuditEvent.objects.values_list()) == before  # and the refusal wrote nothing


def test_a_post_is_refused_and_changes_nothing(client_for, coordinator, trail):
    client = client_for(coordinator)
    before = list(AuditEvent.objects.values_list())

    assert client.post(reverse("audit:index")).status_code == 405

    assert list(AuditEvent.objects.values_list()) == before


def test_coordinator_and_superuser_search_the_whole_trail(client_for, coordinator, trail):
    root = User.objects.create_superuser("root", "root@example.gov.vn", "Mat-khau-quan-tri-2026")
    for person in (coordinator, root):
        response = client_for(person).get(reverse("audit:index"), {"action": Action.SIGN_IN_FAILED})

        assert response.status_code == 200
        assert rows_of(response) == ['=HYPERLINK("http://x","y")']


def test_filters_by_actor_target_and_dates(client_for, coordinator, trail):
    client, url = client_for(coordinator), reverse("audit:index")

    assert rows_of(client.get(url, {"actor": "manag"})) == ["manager"]
    assert rows_of(client.get(url, {"target": "viewer", "action": Action.MEMBER_ADDED})) == ["manager"]
    assert rows_of(client.get(url, {"date_from": "2026-03-10", "date_to": "2026-03-11"})) == [
        '=HYPERLINK("http://x","y")',
        "viewer",
    ]


def test_filters_by_target_type(client_for, coordinator, trail):
    user_type = AuditEvent.objects.get(action=Action.MEMBER_ADDED).target_type

    response = client_for(coordinator).get(reverse("audit:index"), {"target_type": user_type.pk})

    assert rows_of(response) == ["manager"]


def test_a_backwards_date_range_is_a_clear_400(client_for, coordinator, trail):
    response = client_for(coordinator).get(
        reverse("audit:index"), {"date_from": "2026-03-12", "date_to": "2026-03-10"}
    )

    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()
    assert list(response.context["page"]) == []


def test_the_trail_is_paged(client_for, coordinator, viewer):
    for _ in range(51):
        record_event(actor=viewer, action=Action.SIGN_IN)
    client, query = client_for(coordinator), {"action": Action.SIGN_IN, "actor": "viewer"}

    first = client.get(reverse("audit:index"), query)
    second = client.get(reverse("audit:index"), {**query, "page": 2})

    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 1
    assert first.context["page"].paginator.count == 51


def test_the_page_is_in_vietnamese(coordinator, trail):
    client = Client()
    force_login(client, coordinator)  # a coordinator's session has passed two-factor, as after a sign-in

    page = client.get(reverse("audit:index")).content.decode()

    assert "Nhật ký truy cập" in page and "Đăng nhập thất bại" in page


def test_csv_export_follows_the_filters_and_is_itself_audited(client_for, coordinator, trail):
    response = client_for(coordinator).get(reverse("audit:export"), {"action": Action.SIGN_IN_FAILED})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["time", "actor", "action"]
    assert [(r[1], r[2]) for r in rows[1:]] == [('\'=HYPERLINK("http://x","y")', "sign_in_failed")]
    export = AuditEvent.objects.get(action=Action.DOWNLOAD)
    assert (export.actor, export.view_name, export.detail) == (
        coordinator,
        "audit:export",
        "action=sign_in_failed",
    )
