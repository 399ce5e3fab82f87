"""The readiness overview through the API (issue 16 part 5): the page's own rows and totals, for the
organizations the caller sees."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from ungcuu.preparedness import services
from ungcuu.preparedness.api.readiness import ReadinessSerializer
from ungcuu.preparedness.readiness import WINDOW_DAYS
from ungcuu.preparedness.tests.conftest import days_ago

URL = "/api/v1/preparedness/readiness/"
NOW = datetime.datetime(2026, 9, 15, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def prepared(approved_plan_a, drill_a, manager, org_a, system_b):
    """Org A: a plan in force for its portal, a live-fire drill, two people trained, and a follow-up action
    overdue since yesterday. Org B: a system and nothing else."""
    services.record_course(
        actor=manager,
        organization=org_a,
        title="Tập huấn Alpha",
        starts_on=days_ago(3),
        ends_on=days_ago(2),
        attendees=[{"full_name": "Trần Văn An"}, {"full_name": "Lê Thị Bình"}],
    )
    services.add_finding(
        actor=manager,
        drill=drill_a,
        title="Chưa giám sát lưu lượng",
        severity="medium",
        follow_ups=[{"description": "Lắp đặt giám sát", "owner": org_a, "due_on": days_ago(1)}],
    )


def _page(client_for, user) -> dict:
    page = client_for(user).get(reverse("preparedness:readiness"))
    shown = {"today": "2026-09-15", "window_days": WINDOW_DAYS}
    shown |= {"rows": page.context["rows"], "totals": page.context["totals"]}
    return ReadinessSerializer(shown).data


def test_readiness_is_the_pages_for_each_caller(api_for, client_for, prepared, coordinator, viewer, outsider):
    for user in (coordinator, viewer, outsider):
        answer = api_for(user).get(URL)
        assert answer.status_code == 200 and answer.json() == _page(client_for, user), user

    overview = api_for(coordinator).get(URL).json()
    assert overview["today"] == "2026-09-15" and overview["window_days"] == 365
    alpha = next(r for r in overview["rows"] if r["organization_code"] == "SO-ALPHA")
    assert (alpha["trained_people"], alpha["drills"], alpha["live_fire_drills"]) == (2, 1, 1)
    assert (alpha["plans_current"], alpha["systems"], alpha["systems_with_plan"]) == (1, 1, 1)
    assert (alpha["open_follow_ups"], alpha["overdue_follow_ups"]) == (1, 1)
    assert alpha["gaps"] == ["follow_up"] and alpha["is_ready"] is False
    beta = next(r for r in overview["rows"] if r["organization_code"] == "SO-BETA")
    assert "plan" in beta["gaps"] and beta["trained_people"] == 0
    assert overview["totals"]["organizations"] == len(overview["rows"]) >= 2
    assert overview["totals"]["trained_people"] == sum(r["trained_people"] for r in overview["rows"])
    # A read-only member sees its unit's row; the outsider nothing of org A's.
    assert [r["organization_code"] for r in api_for(viewer).get(URL).json()["rows"]] == ["SO-ALPHA"]
    theirs = api_for(outsider).get(URL)
    assert [r["organization_code"] for r in theirs.json()["rows"]] == ["SO-BETA"]
    assert b"Alpha" not in theirs.content


def test_readiness_refuses_what_it_does_not_take(api_for, viewer, prepared):
    client = api_for(viewer)
    unknown = client.get(URL, {"organization": 1})
    assert unknown.status_code == 400 and "organization" in unknown.json()
    assert client.get(URL, {"download": "csv"}).status_code == 400  # the page has no export either
    assert client.post(URL, {}, format="json").status_code == 405


def test_readiness_needs_the_read_scope(api_for, viewer, prepared):
    assert api_for(viewer, scopes=["report", "coordinate"]).get(URL).status_code == 403
    assert api_for(viewer, scopes=["read"]).get(URL).status_code == 200
    assert api_for(None).get(URL).status_code in (401, 403)
