"""Preparedness as people use it, in Debian's chromium against the live server.

1. Sở Y tế's manager records, through the drill pages, the live-fire drill of its level-3 system; the
   yearly LIVE_FIRE_DRILL obligation is met and the coordinator's compliance board turns green.
2. A DDoS incident hits a system whose approved response plan carries the library's DDoS scenario; the
   coordinator applies the suggested playbook from the incident page and its steps become the tasks.

Wording is asserted only through the compiled catalogue (`_vi`); everything else is found by name, id or
URL. People, organizations, plans and incidents are set up through models and services.
"""

import datetime
import importlib
import re
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from ungcuu.accounts.tests.helpers import force_login
from ungcuu.incidents import services as incidents
from ungcuu.incidents.models import IncidentReport, Task, TimelineEvent
from ungcuu.obligations import engine
from ungcuu.obligations.models import ObligationDefinition, Occurrence
from ungcuu.obligations.seed import seed_definitions
from ungcuu.preparedness import services as preparedness
from ungcuu.preparedness.models import Drill, PlaybookRun, Scenario
from ungcuu.systems import services as systems

from .conftest import SCREENSHOTS, log_in

# Transactional (the live server reads what the test writes), with serialized_rollback like every browser
# test (tests/browser/conftest.py); `seeded` re-runs the data migrations' idempotent seeds as a safety net.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SYSTEM = "Cổng dịch vụ công trực tuyến Sở Y tế"
DOS = "ATTACK.DOS"
DRILL_URL = re.compile(r"/preparedness/drills/(\d+)/$")

Shot = Callable[[Page, str], None]


def _vi(text: str) -> str:
    """What the Vietnamese interface shows for a message, read from the compiled catalogue."""
    with translation.override("vi"):
        return translation.gettext(text)


def _camera(prefix: str) -> Shot:
    """Full-page screenshots to screenshots/preparedness-<prefix>-<step>.png."""

    def take(page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"preparedness-{prefix}-{step}.png", full_page=True)

    return take


def _warm(user, *paths: str) -> None:
    """Render the pages once in-process (the live server shares URLconf and templates), so the first
    browser step on a loaded machine does not eat the 5 s step budget."""
    client = Client()
    force_login(client, user)
    for path in ("/accounts/login/", *paths):
        client.get(path)


SEED_MIGRATIONS = (
    "ungcuu.incidents.migrations.0003_seed_routing_and_deadlines",  # routing rules, deadline policies
    "ungcuu.preparedness.migrations.0002_seed_scenario_library",  # the provincial scenario library
)


@pytest.fixture
def seeded(transactional_db) -> None:
    """The province as `migrate` leaves it: what the data migrations seed (each skips what exists)."""
    for name in SEED_MIGRATIONS:
        importlib.import_module(name).seed(django_apps, None)
    seed_definitions(ObligationDefinition)


def _library_scenario(category: str) -> Scenario:
    return Scenario.objects.get(organization__isnull=True, category=category)


@pytest.fixture
def portal(seeded, manager, health_dept, province):
    """Sở Y tế runs a level-3 system for the province: it owes a live-fire drill every year."""
    return systems.register_system(
        actor=manager,
        name=SYSTEM,
        owner=province,
        operator=health_dept,
        security_level=3,
        domains=["dichvucong.syt.ninhbinh.gov.vn"],
    )


# --- 1. A live-fire drill meets the yearly obligation ------------------------------------------------


@pytest.fixture
def overdue_drill_duty(portal) -> Occurrence:
    """Last year's LIVE_FIRE_DRILL occurrence of the portal, overdue: the drill was never recorded."""
    # Only the yearly live-fire drill, so the board's colour is that one obligation's.
    ObligationDefinition.objects.exclude(code="LIVE_FIRE_DRILL").update(active=False)
    today = timezone.localdate()
    engine.generate_occurrences(since=datetime.date(today.year - 1, 1, 1), until=today, now=today)
    engine.run_obligations(now=today)
    duty = Occurrence.objects.get(
        definition__code="LIVE_FIRE_DRILL", system=portal, due_on=datetime.date(today.year - 1, 12, 31)
    )
    assert duty.status == Occurrence.Status.OVERDUE
    return duty


def test_recorded_live_fire_drill_meets_the_yearly_obligation(
    new_context, coordinator, manager, health_dept, portal, overdue_drill_duty
):
    shot = _camera("drill")
    duty = overdue_drill_duty
    library_dos = _library_scenario(DOS)
    # Held on the duty's due day: under the rolling drill year (DRILL_YEAR_RULE) this year's drill then
    # falls due on 31 December, whatever the day the test runs (an earlier day of last year: overdue by now).
    held_on = duty.due_on
    _warm(manager, "/preparedness/", "/preparedness/drills/new/")
    _warm(coordinator, "/obligations/compliance/")

    # The coordinator's board: Sở Y tế is red, its live-fire drill overdue.
    board = log_in(new_context(), coordinator)
    board.goto("/obligations/compliance/")
    row = board.locator('#board tr[data-org="SO-YT"]')
    expect(row).to_have_attribute("data-colour", "danger")
    expect(board.locator(f'a[href="/obligations/{duty.pk}/"]')).to_be_visible()
    shot(board, "01-board-overdue")

    # The unit's manager plans the drill on the drill form...
    unit = log_in(new_context(), manager)
    unit.locator("nav.mainnav a[href='/preparedness/']").click()
    unit.wait_for_url("/preparedness/")
    shot(unit, "02-preparedness-overview")
    unit.locator("main a[href='/preparedness/drills/new/']").first.click()
    unit.wait_for_url("/preparedness/drills/new/")
    form = unit.locator("#drill-form")
    form.locator("[name=organization]").select_option(str(health_dept.pk))
    form.locator("[name=title]").fill("Diễn tập thực chiến chống tấn công DDoS cổng dịch vụ công")
    form.locator("[name=kind]").select_option(Drill.Kind.LIVE_FIRE.value)
    form.locator("[name=scheduled_on]").fill(held_on.isoformat())
    form.locator("[name=systems]").select_option(str(portal.pk))
    form.locator("[name=scenario]").select_option(str(library_dos.pk))
    form.locator("[name=objectives]").fill(
        "Kiểm tra khả năng phát hiện, lọc lưu lượng tấn công và phối hợp với nhà mạng trong 4 giờ."
    )
    expect(form.locator("[name=held]")).not_to_be_checked()
    shot(unit, "03-drill-form")
    form.locator("button[type=submit]").click()
    unit.wait_for_url(DRILL_URL)
    drill = Drill.objects.get(pk=int(DRILL_URL.search(unit.url).group(1)))
    expect(unit.locator("#drill-status")).to_have_text(_vi("Planned"))
    expect(unit.locator("main")).to_contain_text(SYSTEM)
    shot(unit, "04-drill-planned")
    duty.refresh_from_db()
    assert duty.status == Occurrence.Status.OVERDUE  # planning alone fulfils nothing

    # ... and records it as held, with what it showed.
    record = unit.locator("#record-form")
    record.locator("[name=held_on]").fill(held_on.isoformat())
    record.locator("[name=summary]").fill(
        "Lọc được 95% lưu lượng tấn công giả lập sau 40 phút; cần bổ sung ngưỡng cảnh báo trên WAF."
    )
    shot(unit, "05-record-held")
    record.locator("button").click()
    unit.wait_for_url(f"/preparedness/drills/{drill.pk}/")
    expect(unit.locator(".msg-success")).to_contain_text(_vi("Drill recorded as held."))
    expect(unit.locator("#drill-status")).to_have_text(_vi("Held"))
    expect(unit.locator("#record-form")).to_have_count(0)
    expect(unit.locator("main")).to_contain_text(held_on.strftime("%d/%m/%Y"))
    shot(unit, "06-drill-held")

    drill.refresh_from_db()
    assert drill.status == Drill.Status.HELD and drill.held_on == held_on
    assert list(drill.systems.all()) == [portal]
    duty.refresh_from_db()
    assert duty.status == Occurrence.Status.DONE and duty.done_on == held_on
    assert duty.done_by == manager and duty.evidence_kind == "drill"
    assert duty.evidence_type == ContentType.objects.get_for_model(Drill) and duty.evidence_id == drill.pk
    portal.refresh_from_db()
    assert portal.last_drill_on == held_on

    # The coordinator's board: Sở Y tế met its one duty of the last 12 months on time.
    board.reload()
    expect(row).to_have_attribute("data-colour", "ok")
    expect(row.locator(".badge.ok")).to_have_text("100%")
    expect(board.locator(f'a[href="/obligations/{duty.pk}/"]')).to_have_count(0)  # no longer overdue
    shot(board, "07-board-green")


# --- 2. A DDoS incident gets its plan's playbook as tasks ----------------------------------------------


@pytest.fixture
def ddos_scenario(seeded) -> Scenario:
    return _library_scenario(DOS)


@pytest.fixture
def approved_plan(manager, health_dept, portal, ddos_scenario):
    today = timezone.localdate()
    plan = preparedness.create_plan(
        actor=manager,
        organization=health_dept,
        title="Phương án ứng cứu sự cố Cổng dịch vụ công trực tuyến Sở Y tế",
        drafted_on=today - datetime.timedelta(days=30),
        systems=[portal],
        scenarios=[ddos_scenario],
        scope="Cổng dịch vụ công trực tuyến và hệ thống một cửa điện tử của Sở Y tế.",
    )
    return preparedness.approve_plan(
        actor=manager,
        plan=plan,
        approved_by_name="Nguyễn Văn Bình",
        approved_by_title="Giám đốc Sở Y tế",
        decision_number="45/QĐ-SYT",
        approved_on=today - datetime.timedelta(days=10),
    )


@pytest.fixture
def ddos_incident(manager, coordinator, health_dept, portal):
    """Reported by Sở Y tế on form 03, acknowledged and classified as DDoS by the specialised unit."""
    report = incidents.submit_report(
        actor=manager,
        data=incidents.ReportInput(
            channel=IncidentReport.Channel.FORM,
            title="Cổng dịch vụ công Sở Y tế phản hồi chậm, lưu lượng tăng đột biến",
            description="Từ 8 giờ sáng lưu lượng tăng gấp 40 lần từ hàng nghìn địa chỉ IP nước ngoài.",
            detected_at=timezone.now() - datetime.timedelta(hours=1),
            reporter_name="Nguyễn Văn Minh",
            organization=health_dept,
            system=portal,
        ),
    )
    incident = incidents.acknowledge(actor=coordinator, incident=report.incident)
    return incidents.classify(
        actor=coordinator, incident=incident, category=DOS, harms=[], exceeds_capacity=False
    )


def test_ddos_incident_gets_its_plans_scenario_as_tasks(
    new_context, coordinator, approved_plan, ddos_scenario, ddos_incident
):
    shot = _camera("playbook")
    incident = ddos_incident
    steps = list(ddos_scenario.steps.order_by("order").values_list("title", flat=True))
    assert len(steps) == 7
    url = f"/incidents/{incident.pk}/"
    _warm(coordinator, url)

    desk = log_in(new_context(), coordinator)
    desk.goto(url)
    tasks = desk.locator("section.card", has=desk.locator("h2", has_text=re.compile(f"^{_vi('Tasks')}$")))
    expect(tasks.locator("li")).to_have_text([_vi("No task yet.")])
    playbooks = desk.locator("#playbooks")
    suggestion = playbooks.locator("li", has_text=ddos_scenario.title)
    expect(suggestion).to_have_count(1)
    expect(suggestion.locator(".badge.ok")).to_have_text(_vi("same incident type"))
    expect(suggestion.locator(f"a[href='/preparedness/plans/{approved_plan.pk}/']")).to_have_text(
        approved_plan.title
    )
    apply = suggestion.locator(
        f"form[action='/preparedness/incidents/{incident.pk}/playbooks/{ddos_scenario.pk}/apply/'] button"
    )
    expect(apply).to_have_text(_vi("Apply: add its steps as tasks"))
    playbooks.scroll_into_view_if_needed()
    shot(desk, "01-incident-suggestion")

    apply.click()
    desk.wait_for_url(re.compile(rf"{url}(#playbooks)?$"))
    with translation.override("vi"):
        applied = translation.gettext("Playbook applied: %(n)s tasks added.") % {"n": len(steps)}
    expect(desk.locator(".msg-success")).to_contain_text(applied)
    items = tasks.locator("ul.contacts > li")
    expect(items).to_have_count(len(steps))
    for item, step in zip(items.all(), steps, strict=True):
        expect(item).to_contain_text(step)
    expect(suggestion.locator("form")).to_have_count(0)  # applied once; no second button
    expect(suggestion).to_contain_text("✔")
    shot(desk, "02-tasks-added")

    rows = list(Task.objects.filter(incident=incident).order_by("id"))
    assert len(rows) == len(steps)
    for task, step in zip(rows, steps, strict=True):
        assert step in task.title and task.due_at is not None and task.done_at is None
    run = PlaybookRun.objects.get(incident=incident, scenario=ddos_scenario)
    assert run.plan == approved_plan and run.applied_by == coordinator
    assert run.task_ids == [t.pk for t in rows]
    assert incident.timeline.filter(
        kind=TimelineEvent.Kind.NOTE, data__playbook_scenario_id=ddos_scenario.pk
    ).exists()
