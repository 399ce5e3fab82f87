"""Targets proposed from the registry: product names folded, versions within the constraint."""

import pytest

from ungcuu.advisories import services
from ungcuu.advisories.targeting import propose_targets
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory
from ungcuu.systems import services as system_services

from .conftest import soon

pytestmark = pytest.mark.django_db


def _system(coordinator, org, name, software):
    return system_services.register_system(
        actor=coordinator, name=name, owner=org, operator=org, security_level=2, software=software
    )


def _advisory(coordinator, *products):
    return services.create_advisory(
        actor=coordinator,
        title="Cảnh báo thử nghiệm",
        summary="Tóm tắt.",
        recommended_actions="Cập nhật.",
        deadline=soon(),
        products=[dict(zip(("vendor", "product", "versions"), p, strict=True)) for p in products],
    )


def test_proposal_matches_the_product_and_the_version_only(coordinator, tomcat_a, tomcat_b, org_a, org_b):
    org_c = OrganizationFactory(code="SO-GAMMA", name="Sở Gamma", kind=Kind.OPERATOR)
    org_d = OrganizationFactory(code="SO-DELTA", name="Sở Delta", kind=Kind.OPERATOR)
    spelled = _system(
        coordinator, org_c, "Cổng Gamma", [{"vendor": "", "product": "APACHE  TOMCAT", "version": "9.0.70"}]
    )
    _system(
        coordinator, org_d, "Web Delta", [{"vendor": "WordPress", "product": "WordPress", "version": "6.2"}]
    )
    unknown = _system(
        coordinator, org_d, "Ứng dụng Delta", [{"vendor": "Apache", "product": "Tomcat", "version": ""}]
    )

    proposal = propose_targets(_advisory(coordinator, ("Apache", "Tomcat", "<9.0.80")))

    by_org = {t.organization: t for t in proposal}
    assert set(by_org) == {org_a, org_c, org_d}  # org B's Tomcat 9.0.85 is patched
    assert by_org[org_a].systems == [tomcat_a]
    assert by_org[org_c].systems == [spelled]
    assert [(m.system, m.version_known) for m in by_org[org_d].matches] == [(unknown, False)]
    assert tomcat_b not in [s for t in proposal for s in t.systems]


def test_ranges_and_diacritics_in_names(coordinator, org_a, org_b):
    wp = _system(
        coordinator, org_a, "Cổng Alpha", [{"vendor": "WordPress", "product": "WordPress", "version": "6.2"}]
    )
    _system(
        coordinator, org_b, "Cổng Beta", [{"vendor": "WordPress", "product": "WordPress", "version": "6.4.3"}]
    )
    vn = _system(
        coordinator,
        org_b,
        "Phần mềm Beta",
        [{"vendor": "Công ty Phần mềm Việt", "product": "Một Cửa", "version": "2.1"}],
    )

    proposal = propose_targets(
        _advisory(
            coordinator, ("WordPress", "WordPress", ">=6.0,<6.2.3"), ("cong ty phan mem viet", "mot cua", "")
        )
    )

    assert sorted(s.name for t in proposal for s in t.systems) == sorted([wp.name, vn.name])


def test_cpe_name_on_the_software_row_matches(coordinator, org_a):
    system = _system(
        coordinator,
        org_a,
        "Máy chủ Alpha",
        [
            {
                "vendor": "",
                "product": "Web server",
                "version": "1.22.1",
                "cpe": "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*",
            }
        ],
    )
    proposal = propose_targets(_advisory(coordinator, ("F5", "nginx", "<1.25.3")))
    assert [s for t in proposal for s in t.systems] == [system]


def test_inactive_systems_are_not_proposed(coordinator, tomcat_a, manager):
    system_services.update_system(actor=manager, system=tomcat_a, is_active=False)
    assert propose_targets(_advisory(coordinator, ("Apache", "Tomcat", ""))) == []
