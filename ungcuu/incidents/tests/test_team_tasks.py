"""The response team as a task owner, and its page of open work (issue 15)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident, Task
from ungcuu.notifications.models import Notification
from ungcuu.organizations.models import Kind, Membership, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(province):
    team = Organization.objects.create(code="DUCSC", name="Đội ứng cứu sự cố tỉnh", kind=Kind.PROV_IR_TEAM)
    for username, role in (("team_member", "responder"), ("team_viewer", "viewer")):
        user = User.objects.create_user(username, password="pw-1234567890")
        Membership.objects.create(user=user, organization=team, role=role)
    return team


def member(username):
    return User.objects.get(username=username)


def team_task(province, incident, team, **overrides):
    data = {"title": "Phân tích nhật ký máy chủ web", "owner_team": team} | overrides
    return services.add_task(actor=province["coord"], incident=incident, **data)


def test_a_team_owns_a_task_and_its_members_see_the_incident(province, reported, team):
    assert not Incident.objects.visible_to(member("team_member")).exists()  # before: nothing to work on
    task = team_task(province, reported, team)
    assert task.owner_team == team and task.owner is None
    assert list(Incident.objects.visible_to(member("team_member"))) == [reported]
    assert reported.timeline.filter(kind="task", data__team=team.pk).exists()
    assert Notification.objects.filter(event="task_assigned", recipient_org=team).exists()


def test_team_responder_settles_the_task_the_team_viewer_cannot(province, reported, team):
    task = team_task(province, reported, team)
    with pytest.raises(PermissionDenied):
        services.complete_task(actor=member("team_viewer"), task=task)
    task.refresh_from_db()
    assert task.done_at is None
    services.complete_task(actor=member("team_member"), task=task)
    task.refresh_from_db()
    assert task.done_at is not None


def test_outsider_cannot_settle_a_team_task(province, reported, team):
    task = team_task(province, reported, team)
    with pytest.raises(PermissionDenied):
        services.complete_task(actor=province["outsider"], task=task)


def test_a_task_has_a_person_or_a_team_not_both(province, reported, team):
    with pytest.raises(ValidationError) as refused:
        team_task(province, reported, team, owner=province["coord"])
    assert "owner_team" in refused.value.message_dict
    assert not Task.objects.exists()


def test_only_an_active_response_team_may_own_a_task(province, reported, team):
    with pytest.raises(ValidationError):
        team_task(province, reported, province["police"])  # not a response team
    team.is_active = False
    team.save()
    with pytest.raises(ValidationError):
        team_task(province, reported, team)


def test_no_team_on_a_confidential_incident(province, reported, team):
    Incident.objects.filter(pk=reported.pk).update(confidential=True)
    reported.refresh_from_db()
    with pytest.raises(ValidationError):
        team_task(province, reported, team)
    Task.objects.create(incident=reported, title="x", owner_team=team)  # even if one were written
    assert not Incident.objects.visible_to(member("team_member")).exists()


def test_team_page_lists_its_open_work_late_first(province, reported, team, client_for):
    late = team_task(province, reported, team, title="Chặn IP tấn công")
    Task.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    team_task(
        province, reported, team, title="Rà soát mã độc", due_at=timezone.now() + datetime.timedelta(days=1)
    )
    done = team_task(province, reported, team, title="Sao lưu nhật ký")
    services.complete_task(actor=member("team_member"), task=done)
    page = client_for(member("team_member")).get(f"/incidents/teams/{team.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Chặn IP tấn công") < text.index("Rà soát mã độc")
    assert page.context["overdue_count"] == 1 and len(page.context["open_tasks"]) == 2
    assert [t.title for t in page.context["settled"]] == ["Sao lưu nhật ký"]


def test_team_page_is_hidden_from_outsiders_and_shows_viewers_only_what_they_see(
    province, reported, team, client_for
):
    team_task(province, reported, team)
    assert client_for(province["outsider"]).get(f"/incidents/teams/{team.pk}/").status_code == 404
    coordinator_page = client_for(province["coord"]).get(f"/incidents/teams/{team.pk}/")
    assert len(coordinator_page.context["open_tasks"]) == 1
    viewer_page = client_for(member("team_viewer")).get(f"/incidents/teams/{team.pk}/")
    assert len(viewer_page.context["open_tasks"]) == 1  # a member reads the team's work, may not settle it
    assert (
        client_for(member("team_viewer"))
        .post(f"/incidents/{reported.pk}/tasks/{Task.objects.get().pk}/done/")
        .status_code
        == 403
    )


def test_team_account_dashboard_leads_with_the_team_work(province, reported, team, client_for):
    team_task(province, reported, team)
    page = client_for(member("team_member")).get("/").content.decode()
    assert f'id="team-{team.pk}"' in page and "Phân tích nhật ký máy chủ web" in page
    assert reported.reference in page


def test_workspace_offers_the_team_and_lets_its_member_mark_done(province, reported, team, client_for):
    coordinator_page = client_for(province["coord"]).get(f"/incidents/{reported.pk}/").content.decode()
    assert 'name="owner_team"' in coordinator_page
    response = client_for(province["coord"]).post(
        f"/incidents/{reported.pk}/tasks/", {"title": "Phân tích nhật ký", "owner_team": team.pk}
    )
    assert response.status_code == 302
    task = Task.objects.get()
    page = client_for(member("team_member")).get(f"/incidents/{reported.pk}/").content.decode()
    assert f"/incidents/{reported.pk}/tasks/{task.pk}/done/" in page
    assert (
        client_for(member("team_member")).post(f"/incidents/{reported.pk}/tasks/{task.pk}/done/").status_code
        == 302
    )
