"""A hidden related object and a missing one get the same answer in every API body (issue 10, leak 5).

Each case names a field that points at another object. The caller sends the id of an object it may not
see, then an id that exists nowhere: status and message must be the same (the message with the id
swapped), and nothing is written either time. `ungcuu.api.fields.ScopedRelatedField` is what makes it so.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ungcuu.accounts.models import User
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import FocalPoint, Membership
from ungcuu.organizations.tests.factories import member
from ungcuu.systems.models import InformationSystem

pytestmark = pytest.mark.django_db
MISSING = 987654


def _report(actor, org, **extra):
    data = incident_services.ReportInput(
        channel="form",
        title="Sự cố Alpha",
        description="Nội dung",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name="Alpha",
        organization=org,
        **extra,
    )
    return incident_services.submit_report(actor=actor, data=data).incident


@pytest.fixture
def hidden_incident(manager, org_a, coordinator):
    """Confidential and handled by someone else: hidden even from a coordinator."""
    incident = _report(manager, org_a, confidential=True)
    other = member(
        coordinator.memberships.get().organization,
        Membership.Role.MANAGER,
        username="coordinator2",
        platform_role=User.PlatformRole.COORDINATOR,
    )
    incident_services.assign_handler(actor=other, incident=incident)
    return incident


def _cases(objects):
    org_b, system_b, focal_b = objects["org_b"], objects["system_b"], objects["focal_b"]
    now = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    report = {"title": "X", "description": "Y", "detected_at": now, "organization": objects["org_a"].pk}
    system = {"name": "Hệ thống X", "owner": objects["org_a"].pk, "operator": objects["org_a"].pk}
    system["security_level"] = 2
    return [
        ("manager", "/api/v1/incidents/", "organization", {**report, "organization": org_b.pk}),
        ("manager", "/api/v1/incidents/", "system", {**report, "system": system_b.pk}),
        ("manager", "/api/v1/systems/", "operator", {**system, "operator": org_b.pk}),
        ("manager", "/api/v1/systems/", "contacts", {**system, "contacts": [focal_b.pk]}),
        ("manager", "/api/v1/focal-points/", "organization", {"organization": org_b.pk, "full_name": "A"}),
        (
            "coordinator",
            "/api/v1/coordination-requests/",
            "incident",
            {
                "incident": objects["hidden_incident"].pk,
                "recipient": org_b.pk,
                "kind": "other",
                "required_actions": "Làm gì đó",
            },
        ),
    ]


CASE_IDS = ["incident-org", "incident-system", "system-operator", "system-contacts", "focal-org", "request"]


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_hidden_and_missing_related_objects_get_the_same_error(
    index, api_for, manager, coordinator, org_a, org_b, system_b, focal_b, hidden_incident
):
    objects = locals()
    who, url, field, body = _cases(objects)[index]
    hidden_id = body[field][0] if isinstance(body[field], list) else body[field]
    missing_body = {**body, field: [MISSING] if isinstance(body[field], list) else MISSING}
    api = api_for(objects[who])
    before = _counts()

    hidden = api.post(url, body, format="json")
    missing = api.post(url, missing_body, format="json")

    assert hidden.status_code == missing.status_code == 400, hidden.content
    expected = str(missing.json()[field]).replace(str(MISSING), str(hidden_id))
    assert str(hidden.json()[field]) == expected
    assert _counts() == before


def _counts() -> list[int]:
    return [m.objects.count() for m in (Incident, InformationSystem, FocalPoint, CoordinationRequest)]
