"""What the API accepts: declared query parameters (400 naming the rest), huge ids, deep JSON, the schema."""

import datetime
import json

import pytest
from django.urls import reverse

from ungcuu.advisories import services as advisory_services
from ungcuu.advisories.models import Indicator
from ungcuu.incidents.models import Incident

HUGE = "99999999999999999999"
FIXED_DEADLINE = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/indicators/", "incident"),
        ("/api/v1/indicators/", "advisory"),
        ("/api/v1/advisory-targets/", "advisory"),
        ("/api/v1/coordination-requests/", "incident"),
        ("/api/v1/evidence/", "incident"),
        ("/api/v1/incidents/", "organization"),
    ],
)
def test_huge_integer_filters_are_a_400_with_a_message(api_for, coordinator, url, parameter):
    response = api_for(coordinator).get(url, {parameter: HUGE})
    assert response.status_code == 400
    assert response.json()[parameter] == [f"Ensure this value is less than or equal to {2**63 - 1}."]


def test_unknown_query_parameter_is_a_400_naming_it_and_the_accepted_ones(api_for, responder):
    response = api_for(responder).get("/api/v1/coordination-requests/", {"stauts": "sent"})
    assert response.status_code == 400
    assert response.json() == {
        "stauts": ["Unknown query parameter. Accepted here: incident, overdue, page, status."]
    }


def test_a_filter_value_outside_its_choices_is_a_400(api_for, responder):
    response = api_for(responder).get("/api/v1/incidents/", {"severity": "apocalyptic"})
    assert response.status_code == 400
    assert "severity" in response.json()


def test_a_value_the_page_filter_form_refuses_is_a_400_not_the_unfiltered_list(
    api_for, responder, outsider, org_a
):
    # The incident list used to answer every incident when the form refused a value.
    response = api_for(responder).get("/api/v1/incidents/", {"category": "NO.SUCH.CATEGORY"})
    assert response.status_code == 400
    assert "category" in response.json()
    hidden = api_for(outsider).get("/api/v1/incidents/", {"organization": org_a.pk})
    missing = api_for(outsider).get("/api/v1/incidents/", {"organization": org_a.pk + 1000})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()  # no side channel on what exists


def test_page_on_a_list_that_is_not_paged_is_a_400(api_for, coordinator, org_a):
    # `proposal` answers a whole list: `?page=` there used to be silently ignored.
    advisory = advisory_services.create_advisory(
        actor=coordinator, title="Tomcat", summary="s", recommended_actions="r", deadline=FIXED_DEADLINE
    )
    response = api_for(coordinator).get(f"/api/v1/advisories/{advisory.pk}/proposal/", {"page": "2"})
    assert response.status_code == 400
    assert response.json() == {"page": ["Unknown query parameter. Accepted here: none."]}


def test_query_parameters_on_a_hidden_object_are_still_a_404(api_for, outsider, org_a):
    assert api_for(outsider).get(f"/api/v1/organizations/{org_a.pk}/", {"x": "1"}).status_code == 404


def test_declared_filters_still_filter(api_for, coordinator):
    response = api_for(coordinator).get("/api/v1/coordination-requests/", {"overdue": "true", "page": "1"})
    assert response.status_code == 200


def test_deeply_nested_json_is_a_400_and_writes_nothing(api_for, responder, org_a):
    deep = "[" * 100_000 + "]" * 100_000
    response = api_for(responder).generic("POST", "/api/v1/incidents/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_deeply_nested_json_on_indicators_is_a_400(api_for, coordinator):
    body = '{"value": ' * 50_000 + '"x"' + "}" * 50_000
    response = api_for(coordinator).generic(
        "POST", "/api/v1/indicators/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Indicator.objects.exists()


def test_a_dot_in_an_id_is_the_api_json_404(api_for, coordinator):
    response = api_for(coordinator).get("/api/v1/incidents/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def _schema(client) -> dict:
    return json.loads(client.get(reverse("schema"), {"format": "json"}).content)


def test_every_operation_documents_the_api_errors(client):
    schema = _schema(client)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= documented, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {"409", "415"} <= documented, (method, path)


def test_schema_says_proposal_is_a_list_and_read_only_fields_may_be_empty(client):
    schema = _schema(client)
    proposal = schema["paths"]["/api/v1/advisories/{id}/proposal/"]["get"]["responses"]["200"]
    assert proposal["content"]["application/json"]["schema"]["type"] == "array"
    components = schema["components"]["schemas"]
    assert components["SystemState"]["properties"]["updated_by"]["nullable"] is True
    outcome = components["CoordinationRequest"]["properties"]["outcome"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in outcome["oneOf"]


def test_schema_documents_the_list_filters_it_enforces(client):
    schema = _schema(client)
    parameters = schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]
    names = {p["name"] for p in parameters}
    assert {"q", "status", "severity", "organization", "overdue", "page"} <= names
