"""Advisory personas on top of the root ones (conftest.py at the repo root).

Org A ("Alpha") runs Apache Tomcat 9.0.65 on its portal; org B ("Beta", the `outsider`'s) runs a patched
Tomcat 9.0.85. The `advisory` warns of Tomcat <9.0.80, targets org A only, and is published (TLP:AMBER),
so org B must see nothing of it.
"""

import datetime

import pytest
from django.utils import timezone

from ungcuu.advisories import services
from ungcuu.advisories.models import Advisory
from ungcuu.incidents.tests.factories import reported
from ungcuu.systems import services as system_services

TOMCAT_RANGE = "<9.0.80"


def tomcat(version: str) -> list[dict]:
    return [{"vendor": "Apache", "product": "Tomcat", "version": version}]


@pytest.fixture
def tomcat_a(org_a, manager):
    return system_services.register_system(
        actor=manager,
        name="Cổng thông tin điện tử Alpha",
        owner=org_a,
        operator=org_a,
        security_level=3,
        software=tomcat("9.0.65"),
    )


@pytest.fixture
def tomcat_b(org_b, outsider):
    return system_services.register_system(
        actor=outsider,
        name="Hệ thống một cửa Beta",
        owner=org_b,
        operator=org_b,
        security_level=2,
        software=tomcat("9.0.85"),
    )


def soon(days: int = 7) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def draft(coordinator, tomcat_a, tomcat_b) -> Advisory:
    return services.create_advisory(
        actor=coordinator,
        title="Lỗ hổng nghiêm trọng trong Apache Tomcat (Alpha)",
        summary="Lỗ hổng cho phép tấn công từ chối dịch vụ và đọc tệp tùy ý.",
        recommended_actions="Cập nhật Apache Tomcat lên phiên bản 9.0.81 trở lên.",
        deadline=soon(),
        cve_ids="CVE-2023-44487 CVE-2023-46589",
        products=[{"vendor": "Apache", "product": "Tomcat", "versions": TOMCAT_RANGE}],
    )


@pytest.fixture
def advisory(draft, coordinator, tomcat_a) -> Advisory:
    services.set_targets(actor=coordinator, advisory=draft, systems=[tomcat_a])
    return services.publish_advisory(actor=coordinator, advisory=draft)


@pytest.fixture
def target_a(advisory, org_a):
    return advisory.targets.get(organization=org_a)


@pytest.fixture
def state_a(target_a):
    return target_a.states.get()


@pytest.fixture
def incident_a(manager, org_a):
    return reported(manager, org_a, "Sự cố Alpha: mã độc liên lạc máy chủ lạ")


@pytest.fixture
def incident_b(outsider, org_b):
    return reported(outsider, org_b, "Sự cố Beta: mã độc")
