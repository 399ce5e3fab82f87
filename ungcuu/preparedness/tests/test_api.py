"""The preparedness API: same gate and services as the pages."""

import pytest
from django.urls import reverse

from ungcuu.incidents.models import Task
from ungcuu.obligations.models import Occurrence
from ungcuu.preparedness.models import Drill, ResponsePlan, Scenario
from ungcuu.preparedness.tests.conftest import DOS_STEPS, days_ago

pytestmark = pytest.mark.django_db


def test_plan_list_is_gated(api_for, viewer, outsider, approved_plan_a):
    assert [p["id"] for p in api_for(viewer).get(reverse("responseplan-list")).json()["results"]] == [
        approved_plan_a.pk
    ]
    assert api_for(outsider).get(reverse("responseplan-list")).json()["results"] == []
    detail = reverse("responseplan-detail", args=[approved_plan_a.pk])
    assert api_for(outsider).get(detail).status_code == 404
    body = api_for(viewer).get(detail).json()
    assert body["status"] == "approved" and body["version"] == 2 and not body["is_out_of_date"]


def test_creating_and_approving_a_plan(api_for, manager, org_a, system_a, scenario_a):
    client = api_for(manager)
    response = client.post(
        reverse("responseplan-list"),
        {
            "organization": org_a.pk,
            "title": "Phương án API Alpha",
            "systems": [system_a.pk],
            "scenarios": [scenario_a.pk],
            "scope": "Cổng",
            "drafted_on": days_ago(3).isoformat(),
            "resources": [{"kind": "licence", "name": "Bản quyền EDR", "quantity": 50}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    approve = reverse("responseplan-approve", args=[plan_id])
    early = client.post(
        approve,
        {"approved_by_name": "A", "decision_number": "1/QĐ", "approved_on": days_ago(4).isoformat()},
        format="json",
    )
    assert early.status_code == 400 and "approved_on" in early.json()
    assert (
        client.post(approve, {"approved_by_name": "A", "decision_number": "1/QĐ"}, format="json").status_code
        == 200
    )
    assert (
        client.post(approve, {"approved_by_name": "A", "decision_number": "1/QĐ"}, format="json").status_code
        == 409
    )
    assert Occurrence.objects.get(definition__code="RESPONSE_SCENARIO", system=system_a).status == "done"


def test_viewer_and_outsider_cannot_write_plans(api_for, viewer, outsider, org_a, plan_a):
    before = list(ResponsePlan.objects.values_list("pk", "status"))
    assert (
        api_for(viewer)
        .post(reverse("responseplan-list"), {"organization": org_a.pk, "title": "x"})
        .status_code
        == 403
    )
    assert (
        api_for(outsider)
        .post(reverse("responseplan-list"), {"organization": org_a.pk, "title": "x"})
        .status_code
        == 400
    )
    approve = reverse("responseplan-approve", args=[plan_a.pk])
    assert api_for(viewer).post(approve, {"approved_by_name": "A", "decision_number": "1"}).status_code == 403
    assert (
        api_for(outsider).post(approve, {"approved_by_name": "A", "decision_number": "1"}).status_code == 404
    )
    assert list(ResponsePlan.objects.values_list("pk", "status")) == before


def test_hidden_systems_are_unknown_to_the_api(api_for, manager, org_a, system_b):
    response = api_for(manager).post(
        reverse("drill-list"),
        {
            "organization": org_a.pk,
            "title": "x",
            "kind": "live_fire",
            "scheduled_on": days_ago(1).isoformat(),
            "systems": [system_b.pk],
            "held": True,
        },
        format="json",
    )
    assert response.status_code == 400 and "systems" in response.json()
    assert not Drill.objects.exists()


def test_recording_a_live_fire_drill_by_api(api_for, manager, org_a, system_a):
    response = api_for(manager).post(
        reverse("drill-list"),
        {
            "organization": org_a.pk,
            "title": "Diễn tập API",
            "kind": "live_fire",
            "scheduled_on": days_ago(1).isoformat(),
            "systems": [system_a.pk],
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "planned"
    record = api_for(manager).post(reverse("drill-record", args=[response.json()["id"]]), {}, format="json")
    assert record.status_code == 200 and record.json()["held_on"] == days_ago(1).isoformat()
    assert Occurrence.objects.get(definition__code="LIVE_FIRE_DRILL", system=system_a).status == "done"


def test_scenarios_library_for_all_own_for_the_unit(api_for, outsider, viewer, library_dos, scenario_a):
    outsider_ids = {
        s["id"]
        for s in api_for(outsider).get(reverse("scenario-list") + "?category=ATTACK.DOS").json()["results"]
    }
    assert outsider_ids == {library_dos.pk}
    assert api_for(outsider).get(reverse("scenario-detail", args=[scenario_a.pk])).status_code == 404
    body = api_for(viewer).get(reverse("scenario-detail", args=[scenario_a.pk])).json()
    assert [s["title"] for s in body["steps"]] == [s["title"] for s in DOS_STEPS]


def test_creating_a_scenario_by_api(api_for, manager, org_a):
    body = {
        "organization": org_a.pk,
        "category": "ATTACK.MALWARE",
        "title": "Mã độc Alpha",
        "steps": [{"stage": "first_actions", "owner_role": "IS_OPERATOR", "title": "Cô lập máy"}],
    }
    assert api_for(manager).post(reverse("scenario-list"), body, format="json").status_code == 201
    bad = body | {
        "category": "ATTACK.NOPE",
        "steps": [{"stage": "x", "owner_role": "IS_OPERATOR", "title": "y"}],
    }
    response = api_for(manager).post(reverse("scenario-list"), bad, format="json")
    assert response.status_code == 400 and {"category", "steps"} <= set(response.json())
    library = body | {"organization": None}
    assert api_for(manager).post(reverse("scenario-list"), library, format="json").status_code == 403
    assert Scenario.objects.filter(title="Mã độc Alpha").count() == 1


def test_applying_a_scenario_by_api(
    api_for, responder, viewer, outsider, scenario_a, approved_plan_a, ddos_incident
):
    url = reverse("scenario-apply", args=[scenario_a.pk])
    assert api_for(viewer).post(url, {"incident": ddos_incident.pk}).status_code == 403
    assert api_for(outsider).post(url, {"incident": ddos_incident.pk}).status_code == 404
    assert not Task.objects.exists()
    first = api_for(responder).post(url, {"incident": ddos_incident.pk})
    assert first.status_code == 201 and len(first.json()["task_ids"]) == len(DOS_STEPS)
    again = api_for(responder).post(url, {"incident": ddos_incident.pk})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Task.objects.count() == len(DOS_STEPS)


@pytest.mark.parametrize(
    ("route", "key"),
    [("responseplan-detail", "plan"), ("responseplan-approve", "plan"), ("scenario-detail", "scenario"),
     ("scenario-apply", "scenario"), ("drill-detail", "drill"), ("drill-record", "drill")],
)  # fmt: skip
def test_every_object_route_hides_org_a_from_the_outsider_and_refuses_the_viewer(
    route, key, api_for, viewer, outsider, plan_a, scenario_a, drill_a, ddos_incident
):
    pk = {"plan": plan_a.pk, "scenario": scenario_a.pk, "drill": drill_a.pk}[key]
    url = reverse(route, args=[pk])
    body = {"approved_by_name": "A", "decision_number": "1/QĐ", "incident": ddos_incident.pk}
    before = (list(ResponsePlan.objects.values_list("status")), Task.objects.count(), Drill.objects.count())
    if route.endswith("-detail"):
        assert api_for(viewer).get(url).status_code == 200
        assert api_for(outsider).get(url).status_code == 404
        assert api_for(viewer).post(url, body, format="json").status_code == 405
    else:
        assert api_for(viewer).post(url, body, format="json").status_code == 403
        assert api_for(outsider).post(url, body, format="json").status_code == 404
    assert (
        list(ResponsePlan.objects.values_list("status")),
        Task.objects.count(),
        Drill.objects.count(),
    ) == before


def test_viewer_cannot_create_by_api(api_for, viewer, org_a):
    for route in ("responseplan-list", "scenario-list", "drill-list"):
        assert (
            api_for(viewer).post(reverse(route), {"organization": org_a.pk, "title": "x"}).status_code == 403
        )
    assert not ResponsePlan.objects.exists() and not Drill.objects.exists()
    assert not Scenario.objects.filter(organization=org_a).exists()
