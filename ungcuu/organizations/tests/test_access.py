"""The shared predicates every app's access.py is built on."""

from ungcuu.organizations.access import has_role_on_any, org_ids_where, orgs_where
from ungcuu.organizations.models import Kind, Membership, subtree_ids, visible_organization_ids
from ungcuu.organizations.tests.factories import OrganizationFactory, member
from ungcuu.reports.access import Scope

Role = Membership.Role


def test_orgs_where_counts_roles_at_or_above_the_minimum(org_a, org_b, manager, responder, viewer):
    assert list(orgs_where(responder, Role.RESPONDER)) == [org_a]
    assert list(orgs_where(manager, Role.RESPONDER)) == [org_a]
    assert not orgs_where(viewer, Role.RESPONDER).exists()
    assert not orgs_where(responder, Role.MANAGER).exists()
    assert org_ids_where(viewer, Role.VIEWER) == {org_a.pk}


def test_orgs_where_is_every_active_organization_for_the_coordinator(org_a, org_b, coordinator):
    retired = OrganizationFactory(is_active=False)
    ids = set(orgs_where(coordinator, Role.MANAGER).values_list("pk", flat=True))
    assert {org_a.pk, org_b.pk} <= ids
    assert retired.pk not in ids


def test_orgs_where_follows_members_see_children_to_active_descendants(db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    closed = OrganizationFactory(kind=Kind.COMMUNE, parent=district, is_active=False)
    OrganizationFactory()  # unrelated
    head = member(district, Role.MANAGER)

    assert set(orgs_where(head, Role.MANAGER)) == {district, commune}
    assert closed.pk in org_ids_where(head, Role.MANAGER)  # what the membership covers, active or not


def test_has_role_on_any_skips_missing_organizations(org_a, org_b, responder):
    assert has_role_on_any(responder, [None, org_b, org_a], Role.RESPONDER)
    assert not has_role_on_any(responder, [None, org_b], Role.RESPONDER)
    assert not has_role_on_any(responder, [org_a], Role.MANAGER)


def test_a_report_scope_covers_what_a_member_of_its_organization_sees(db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    OrganizationFactory(kind=Kind.COMMUNE, parent=commune)
    OrganizationFactory()  # unrelated
    clerk = member(district, Role.VIEWER)

    assert set(Scope.of(district).org_ids or ()) == visible_organization_ids(clerk)
    assert set(subtree_ids(district.pk)) == visible_organization_ids(clerk)
    assert Scope.of(commune).org_ids == (commune.pk,)  # its members do not see below it
