"""The coordinator gives a task to the provincial response team; the team's account finds it on its
dashboard and the team's page, and marks it done on the workspace (issue 15), desktop and phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ungcuu.accounts.models import User
from ungcuu.incidents.models import Task
from ungcuu.organizations.models import Kind, Membership, Organization

from .conftest import PASSWORD, log_in
from .test_incident_journey import (  # noqa: F401 (fixtures)
    _camera,
    _local_input,
    _vi,
    commune,
    commune_manager,
    portal,
    reported,
)

# ruff: noqa: F811 (the imported fixtures are parameters of the tests)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def team(province) -> Organization:
    return Organization.objects.create(
        code="DUCSC-NB", name="Đội ứng cứu sự cố tỉnh Ninh Bình", kind=Kind.PROV_IR_TEAM, parent=province
    )


@pytest.fixture
def team_account(team) -> User:
    user = User.objects.create_user(
        username="doi.ungcuu", password=PASSWORD, first_name="Quân", last_name="Vũ Minh"
    )
    Membership.objects.create(user=user, organization=team, role=Membership.Role.RESPONDER)
    return user


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_team_owns_a_task_and_works_it_from_its_dashboard(
    new_context, coordinator, reported, team, team_account, viewport
):
    shot = _camera(f"team-work-{viewport['width']}")
    desk = log_in(new_context(viewport=viewport), coordinator)
    desk.goto(f"/incidents/{reported.pk}/")
    desk.locator("#tasks details summary").click()
    form = desk.locator("#task-form")
    form.locator("[name=title]").fill("Phân tích nhật ký máy chủ web, xác định điểm xâm nhập")
    form.locator("[name=owner_team]").select_option(str(team.pk))
    form.locator("[name=due_at]").fill(_local_input(timezone.now() + datetime.timedelta(hours=4)))
    shot(desk, "01-task-for-the-team")
    form.locator("button").click()
    task_line = desk.locator("#tasks li.task-open", has_text="Phân tích nhật ký")
    expect(task_line).to_contain_text(team.name)
    shot(desk, "02-task-added")

    worker = log_in(new_context(viewport=viewport), team_account)
    section = worker.locator(f"#team-{team.pk}")
    expect(section).to_contain_text("Phân tích nhật ký máy chủ web")
    expect(section).to_contain_text(reported.reference)
    shot(worker, "03-team-dashboard")
    section.locator(f"a[href='/incidents/teams/{team.pk}/']").click()
    worker.wait_for_url(f"/incidents/teams/{team.pk}/")
    expect(worker.locator("#team-open .num")).to_have_text("1")
    shot(worker, "04-team-page")
    worker.locator("#team-tasks").get_by_role("link", name=reported.reference).click()
    worker.wait_for_url(f"/incidents/{reported.pk}/#tasks")
    line = worker.locator("#tasks li.task-open", has_text="Phân tích nhật ký")
    line.locator("button.link").click()
    expect(worker.locator("#tasks li.task-open")).to_have_count(0)
    shot(worker, "05-done")
    assert Task.objects.get().done_at is not None
