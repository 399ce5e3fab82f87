"""Playbooks: the affected system's plan suggests scenarios for a classified incident; applying one turns
its steps into the incident's tasks, once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from ungcuu.core.errors import InvalidTransition
from ungcuu.incidents.models import Status, Task, TimelineEvent
from ungcuu.incidents.services import acknowledge, change_status, classify, submit_closing_report
from ungcuu.preparedness import services
from ungcuu.preparedness.models import PlaybookRun, Scenario
from ungcuu.preparedness.services import Match
from ungcuu.preparedness.tests.conftest import DOS_STEPS, approve, draft_plan, report

pytestmark = pytest.mark.django_db


def render_fragment(user, incident) -> str:
    """What the incident page will render with `{% incident_playbooks incident %}`."""
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load preparedness_tags %}{% incident_playbooks incident %}")
    return template.render(RequestContext(request, {"incident": incident, "user": user}))


def test_ddos_incident_gets_the_tasks_of_its_plans_ddos_scenario(
    approved_plan_a, scenario_a, ddos_incident, coordinator
):
    suggestions = services.suggest_scenarios(ddos_incident)
    assert [(s.scenario, s.plan, s.match) for s in suggestions] == [
        (scenario_a, approved_plan_a, Match.EXACT)
    ]

    before = timezone.now()
    run = services.apply_scenario(actor=coordinator, incident=ddos_incident, scenario=suggestions[0].scenario)

    tasks = list(Task.objects.filter(incident=ddos_incident).order_by("id"))
    assert [t.pk for t in tasks] == run.task_ids and len(tasks) == len(DOS_STEPS)
    assert all(step["title"] in task.title for step, task in zip(DOS_STEPS, tasks, strict=True))
    assert (
        tasks[0].due_at - before
        >= datetime.timedelta(hours=1)
        > tasks[0].due_at - before - datetime.timedelta(minutes=1)
    )
    assert tasks[2].due_at is None  # a step with no due time
    assert run.plan == approved_plan_a
    assert TimelineEvent.objects.filter(
        incident=ddos_incident, data__playbook_scenario_id=scenario_a.pk
    ).exists()


def test_applying_the_same_scenario_twice_adds_no_task(
    scenario_a, approved_plan_a, ddos_incident, coordinator, responder
):
    first = services.apply_scenario(actor=coordinator, incident=ddos_incident, scenario=scenario_a)
    second = services.apply_scenario(actor=responder, incident=ddos_incident, scenario=scenario_a)
    assert first == second and PlaybookRun.objects.count() == 1
    assert Task.objects.filter(incident=ddos_incident).count() == len(DOS_STEPS)
    assert services.suggest_scenarios(ddos_incident)[0].run == first


def test_task_titles_carry_the_stage_of_the_incidents_procedure(
    scenario_a, approved_plan_a, ddos_incident, coordinator
):
    ddos_incident.severity = "SERIOUS"
    ddos_incident.save()
    services.apply_scenario(actor=coordinator, incident=ddos_incident, scenario=scenario_a)
    first = Task.objects.filter(incident=ddos_incident).order_by("id").first()
    with translation.override("vi"):  # the platform's language, whoever applies it
        assert first.title.startswith(f"[{Status.TEAM_CONVENED.label}]")  # first_actions, serious procedure
    assert first.title.endswith("Đơn vị vận hành hệ thống thông tin")  # the step's role


def test_draft_plans_suggest_nothing(plan_a, ddos_incident):
    assert services.suggest_scenarios(ddos_incident)[0].match == Match.LIBRARY  # only the library fallback


def test_same_cause_comes_after_the_exact_category(manager, org_a, system_a, scenario_a, ddos_incident):
    defacement = services.create_scenario(
        actor=manager,
        organization=org_a,
        category="ATTACK.DEFACEMENT",
        title="Thay đổi giao diện Alpha",
        steps=DOS_STEPS[:1],
    )
    power = services.create_scenario(
        actor=manager,
        organization=org_a,
        category="SYSTEM.POWER",
        title="Mất điện Alpha",
        steps=DOS_STEPS[:1],
    )
    approve(
        manager, draft_plan(manager, org_a, systems=[system_a], scenarios=[defacement, power, scenario_a])
    )
    found = [(s.scenario, s.match) for s in services.suggest_scenarios(ddos_incident)]
    assert found == [(scenario_a, Match.EXACT), (defacement, Match.GROUP)]


def test_the_organizations_other_plans_count_when_no_plan_covers_the_system(
    manager, org_a, scenario_a, ddos_incident
):
    whole_unit = approve(manager, draft_plan(manager, org_a, scenarios=[scenario_a]))
    suggestion = services.suggest_scenarios(ddos_incident)[0]
    assert (suggestion.scenario, suggestion.plan) == (scenario_a, whole_unit)


def test_without_a_matching_plan_the_library_is_offered(library_dos, ddos_incident):
    suggestions = services.suggest_scenarios(ddos_incident)
    assert [(s.scenario, s.plan, s.match) for s in suggestions] == [(library_dos, None, Match.LIBRARY)]


def test_unclassified_incident_has_no_suggestion(responder, org_a, system_a, approved_plan_a):
    assert services.suggest_scenarios(report(responder, org_a, system_a)) == []


def test_a_viewer_cannot_apply_a_playbook(viewer, scenario_a, ddos_incident):
    with pytest.raises(PermissionDenied):
        services.apply_scenario(actor=viewer, incident=ddos_incident, scenario=scenario_a)
    assert not Task.objects.filter(incident=ddos_incident).exists()


def test_a_hidden_scenario_cannot_be_applied(coordinator, outsider, org_b, system_b, scenario_a):
    incident = report(outsider, org_b, system_b)
    acknowledge(actor=coordinator, incident=incident)
    classify(actor=coordinator, incident=incident, category="ATTACK.DOS", harms=[], exceeds_capacity=False)
    # Org B's manager handles its own classified incident, but org A's scenario is not theirs to see.
    with pytest.raises(PermissionDenied):
        services.apply_scenario(actor=outsider, incident=incident, scenario=scenario_a)


def test_a_closed_incident_takes_no_playbook(scenario_a, ddos_incident, coordinator):
    submit_closing_report(
        actor=coordinator,
        incident=ddos_incident,
        reporter_name="Điều Phối",
        what_happened="DDoS",
        how_solved="Lọc lưu lượng",
    )
    change_status(actor=coordinator, incident=ddos_incident, to="first_actions")
    change_status(actor=coordinator, incident=ddos_incident, to="closed")
    with pytest.raises(InvalidTransition):
        services.apply_scenario(actor=coordinator, incident=ddos_incident, scenario=scenario_a)


def test_the_incident_page_fragment_lists_and_applies(
    client_for, responder, viewer, outsider, approved_plan_a, scenario_a, ddos_incident
):
    html = render_fragment(responder, ddos_incident)
    url = reverse("preparedness:playbook_apply", args=[ddos_incident.pk, scenario_a.pk])
    assert scenario_a.title in html and url in html

    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 405
    assert not Task.objects.filter(incident=ddos_incident).exists()

    response = client_for(responder).post(url)
    assert response.status_code == 302 and response["Location"].endswith("#playbooks")
    assert Task.objects.filter(incident=ddos_incident).count() == len(DOS_STEPS)
    assert client_for(responder).post(url).status_code == 302  # again: nothing added
    assert Task.objects.filter(incident=ddos_incident).count() == len(DOS_STEPS)


def test_the_fragment_offers_no_apply_button_to_a_viewer(viewer, approved_plan_a, scenario_a, ddos_incident):
    html = render_fragment(viewer, ddos_incident)
    assert scenario_a.title in html and "playbooks/" not in html


def test_library_scenarios_are_reference_content(db):
    categories = set(Scenario.objects.filter(organization__isnull=True).values_list("category", flat=True))
    assert {
        "ATTACK.DOS",
        "ATTACK.DEFACEMENT",
        "ATTACK.ENCRYPTION",
        "ATTACK.MALWARE",
        "ATTACK.SPOOFING",
        "ATTACK.UNAUTHORIZED_ACCESS",
        "ATTACK.ESPIONAGE",
        "SYSTEM.POWER",
    } <= categories
    assert all(s.steps.exists() for s in Scenario.objects.filter(organization__isnull=True))
