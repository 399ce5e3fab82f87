"""Coordination personas on top of the root ones (conftest.py at the repo root).

`coordinator` (specialised unit) sends; org A ("Alpha", the operator: `manager`, `responder`, `viewer`)
owns the incident; the ISP "Gamma" receives (`isp_responder`, `isp_viewer`); ISP "Delta" is the other
ISP whose `other_isp_user` must see nothing; "VNCERT" is the national coordinator body.
"""

import pytest

from ungcuu.coordination import services
from ungcuu.coordination.forms import DEFAULT_ACTIONS
from ungcuu.coordination.models import CoordinationRequest
from ungcuu.coordination.tests.helpers import TARGETS
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.organizations.tests.factories import member

Role = Membership.Role


@pytest.fixture
def isp(db):
    return Organization.objects.create(code="ISP-GAMMA", name="Nhà mạng Gamma", kind=Kind.ISP)


@pytest.fixture
def other_isp(db):
    return Organization.objects.create(code="ISP-DELTA", name="Nhà mạng Delta", kind=Kind.ISP)


@pytest.fixture
def vncert(db):
    return Organization.objects.create(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)


@pytest.fixture
def isp_responder(isp):
    return member(isp, Role.RESPONDER, username="isp_responder")


@pytest.fixture
def isp_viewer(isp):
    return member(isp, Role.VIEWER, username="isp_viewer")


@pytest.fixture
def other_isp_user(other_isp):
    return member(other_isp, Role.MANAGER, username="other_isp_user")


@pytest.fixture
def incident(org_a, manager):
    return reported(manager, org_a, "Cổng thông tin Alpha bị thay đổi giao diện", reporter_name="Mai Quản Lý")


@pytest.fixture
def send(coordinator, incident, isp):
    """`send(**overrides)`: the coordinator sends a takedown request to ISP Gamma."""

    def make(**overrides) -> CoordinationRequest:
        kwargs = {
            "actor": coordinator,
            "incident": incident,
            "recipient": isp,
            "kind": CoordinationRequest.Kind.ISP_TAKEDOWN,
            "required_actions": DEFAULT_ACTIONS[CoordinationRequest.Kind.ISP_TAKEDOWN],
            "targets": TARGETS,
        }
        return services.send_request(**(kwargs | overrides))

    return make


@pytest.fixture
def takedown(send):
    return send()
