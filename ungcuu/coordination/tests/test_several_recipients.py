"""One form 06 to several bodies at once (issue 15): each recipient gets its own request."""

import pytest

from ungcuu.coordination.models import CoordinationRequest, RequestKind
from ungcuu.incidents import services as incidents
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Kind, Organization


@pytest.fixture
def bodies(db):
    return [
        Organization.objects.create(code="ISP-X", name="Nhà mạng X", kind=Kind.ISP),
        Organization.objects.create(code="CA-X", name="Công an tỉnh X", kind=Kind.POLICE),
    ]


@pytest.fixture
def incident(manager, org_a, coordinator):
    incident = reported(manager, org_a, "Sự cố: lộ lọt dữ liệu")
    return incidents.acknowledge(actor=coordinator, incident=incident)


def _body(bodies, kind=RequestKind.OTHER):
    return {
        "recipient": bodies[0].pk,
        "also_to": [bodies[1].pk],
        "kind": kind,
        "required_actions": "Phối hợp xác minh nguồn tấn công",
        "targets": "203.0.113.7",
    }


def test_page_sends_one_request_per_recipient_and_returns_to_the_incident(
    client_for, coordinator, incident, bodies
):
    response = client_for(coordinator).post(f"/coordination/new/{incident.pk}/", _body(bodies))
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    sent = CoordinationRequest.objects.filter(incident=incident)
    assert sorted(sent.values_list("recipient__code", flat=True)) == ["CA-X", "ISP-X"]
    assert len(set(sent.values_list("reference", flat=True))) == 2


def test_page_access_for_several_recipients(client_for, outsider, viewer, incident, bodies):
    assert client_for(outsider).post(f"/coordination/new/{incident.pk}/", _body(bodies)).status_code == 404
    assert client_for(viewer).post(f"/coordination/new/{incident.pk}/", _body(bodies)).status_code == 403
    assert not CoordinationRequest.objects.exists()


def test_api_sends_to_several_recipients(api_for, coordinator, viewer, incident, bodies):
    body = {**_body(bodies), "incident": incident.pk, "targets": ["203.0.113.7"]}
    assert api_for(viewer).post("/api/v1/coordination-requests/", body, format="json").status_code == 403
    response = api_for(coordinator).post("/api/v1/coordination-requests/", body, format="json")
    assert response.status_code == 201, response.content
    assert CoordinationRequest.objects.filter(incident=incident).count() == 2
