"""The incident workspace (issue 15): the next legal steps as buttons, answered in place by htmx."""

import pytest
from django.utils import translation

from ungcuu.incidents import services
from ungcuu.incidents.models import Status
from ungcuu.incidents.presenters import next_steps
from ungcuu.incidents.tests.factories import reported


def _vi(text: str) -> str:
    """The users of these personas read Vietnamese (their profile language)."""
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def classified(manager, org_a, coordinator):
    incident = reported(manager, org_a, "Sự cố: cổng bị thay giao diện")
    services.acknowledge(actor=coordinator, incident=incident)
    return services.classify(
        actor=coordinator, incident=incident, category="ATTACK.DEFACEMENT", harms=[], exceeds_capacity=False
    )


def test_next_steps_are_the_allowed_moves_with_the_procedures_next_first(coordinator, classified):
    steps = next_steps(coordinator, classified)
    assert [s["value"] for s in steps] == [Status.FIRST_ACTIONS]  # normal procedure: no team convened
    assert steps[0]["primary"]


def test_a_person_who_may_not_handle_gets_no_step(viewer, manager, classified):
    assert next_steps(viewer, classified) == []


def test_workspace_shows_one_next_step_label_and_buttons(client_for, coordinator, classified):
    page = client_for(coordinator, language="vi").get(f"/incidents/{classified.pk}/").content.decode()
    assert page.count(_vi("Next step")) == 1  # the label was shown twice before (issue 15)
    assert 'name="to" value="first_actions"' in page
    assert 'value="closed"' not in page  # closing has its check, not a bare button


def test_a_step_answered_in_place_returns_the_workspace_with_its_message(client_for, coordinator, classified):
    response = client_for(coordinator, language="vi").post(
        f"/incidents/{classified.pk}/transition/",
        {"to": "first_actions"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert 'id="workspace"' in page and _vi("Status changed.") in page
    classified.refresh_from_db()
    assert classified.status == Status.FIRST_ACTIONS


def test_an_illegal_step_is_409_in_place_and_nothing_moves(client_for, coordinator, classified):
    response = client_for(coordinator).post(
        f"/incidents/{classified.pk}/transition/", {"to": "restored"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409 and 'id="workspace"' in response.content.decode()
    classified.refresh_from_db()
    assert classified.status == Status.CLASSIFIED


def test_workspace_access(client_for, outsider, viewer, classified):
    assert client_for(outsider).get(f"/incidents/{classified.pk}/").status_code == 404
    page = client_for(viewer).get(f"/incidents/{classified.pk}/")
    assert page.status_code == 200 and 'id="workflow"' not in page.content.decode()
    assert (
        client_for(viewer)
        .post(f"/incidents/{classified.pk}/transition/", {"to": "first_actions"})
        .status_code
        == 403
    )


def test_workspace_names_the_procedure_the_severity_follows(client_for, coordinator, classified):
    page = client_for(coordinator, language="vi").get(f"/incidents/{classified.pk}/").content.decode()
    assert _vi("normal procedure (QĐ05 Art. 13)") in page
    assert _vi("serious procedure (QĐ05 Art. 14)") not in page
    classified.severity = classified.Severity.SERIOUS
    assert classified.is_serious and classified.procedure == "serious"
