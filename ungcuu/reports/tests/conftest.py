"""Reports personas on top of the root ones: ISP Gamma answers requests, VNCERT is the national
coordinator body, and `world` is the first half of 2026 described in world.py."""

import pytest

from ungcuu.core.periods import Period
from ungcuu.organizations.models import Kind, Membership, Organization
from ungcuu.organizations.tests.factories import member
from ungcuu.reports.tests.world import Builder

Role = Membership.Role


@pytest.fixture
def isp(db):
    return Organization.objects.create(code="ISP-GAMMA", name="Nhà mạng Gamma", kind=Kind.ISP)


@pytest.fixture
def isp_responder(isp):
    return member(isp, Role.RESPONDER, username="isp_responder")


@pytest.fixture
def vncert(db):
    return Organization.objects.create(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)


@pytest.fixture
def h1():
    return Period.half(2026, 1)


@pytest.fixture
def builder(coordinator, manager, outsider, org_a, org_b, isp, isp_responder, vncert):
    """The personas of the reports' world, for a test that writes its own incidents."""
    return Builder(
        coordinator=coordinator,
        manager=manager,
        outsider=outsider,
        org_a=org_a,
        org_b=org_b,
        isp=isp,
        isp_responder=isp_responder,
        vncert=vncert,
    )


@pytest.fixture
def world(builder):
    return builder.build()
