import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ungcuu.organizations.models import (
    FocalPoint,
    Kind,
    Membership,
    Organization,
    StaffChange,
    organization_roles,
    visible_organization_ids,
)
from ungcuu.organizations.tests.factories import OrganizationFactory, UserFactory, member

Role = Membership.Role


def _fresh(user):
    """Roles are cached on the user object per request; a new request loads the user again."""
    return type(user).objects.get(pk=user.pk)


def test_search_text_is_folded_on_save(db):
    org = OrganizationFactory(
        code="UBND-DH", name="Ủy ban nhân dân huyện Đông Hải", short_name="UBND Đông Hải"
    )
    assert org.search_text == "ubnd-dh uy ban nhan dan huyen dong hai ubnd dong hai"


@pytest.mark.parametrize("query", ["dong hai", "ĐÔNG HẢI", "Đông  Hải", "ubnd-dh", "uy ban"])
def test_search_ignores_diacritics_and_case(db, query):
    wanted = OrganizationFactory(code="UBND-DH", name="Ủy ban nhân dân huyện Đông Hải")
    OrganizationFactory(code="SO-TC", name="Sở Tài chính")
    assert list(Organization.objects.search(query)) == [wanted]


def test_empty_search_returns_everything(db):
    OrganizationFactory.create_batch(3)
    assert Organization.objects.search("  ").count() == 3


@pytest.mark.parametrize("code", ["so-khcn", "A", "SỞ-KHCN", "-SO", "SO KHCN"])
def test_code_must_be_capitals_digits_dot_dash(db, code):
    org = OrganizationFactory.build(code=code, name="X", kind=Kind.OPERATOR)
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "code" in exc.value.message_dict


def test_pgp_fingerprint_must_be_forty_hex_digits(db):
    org = OrganizationFactory.build(pgp_fingerprint="ABCD 1234")
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "pgp_fingerprint" in exc.value.message_dict
    org.pgp_fingerprint = "0123 4567 89AB CDEF 0123 4567 89ab cdef 0123 4567"
    org.full_clean()


def test_kind_role_comes_from_the_taxonomy(org_a):
    assert org_a.kind_role["code"] == "IS_OPERATOR"


def test_ancestors_walk_up_and_stop_on_a_cycle(db):
    top = OrganizationFactory()
    middle = OrganizationFactory(parent=top)
    leaf = OrganizationFactory(parent=middle)
    assert leaf.ancestors() == [middle, top]
    Organization.objects.filter(pk=top.pk).update(parent=leaf)  # a corrupt tree must not hang a page
    leaf.refresh_from_db()
    assert [o.pk for o in leaf.ancestors()] == [middle.pk, top.pk, leaf.pk]


def test_focal_point_without_any_contact_is_invalid(org_a):
    focal = FocalPoint(organization=org_a, full_name="Không Liên Lạc")
    with pytest.raises(ValidationError):
        focal.full_clean()


def test_database_refuses_a_focal_point_without_contact(org_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPoint.objects.create(organization=org_a, full_name="Không Liên Lạc")
    assert FocalPoint.objects.count() == 0


def test_focal_point_search_text_and_snapshot(focal_a):
    assert focal_a.search_text == "nguyen van alpha truong phong alpha@example.gov.vn"
    assert focal_a.snapshot()["mobile"] == "0912 000 001"
    assert focal_a.snapshot()["is_active"] is True


def test_staff_change_lists_the_changed_fields():
    change = StaffChange(before={"mobile": "1", "email": "a@x.vn"}, after={"mobile": "2", "email": "a@x.vn"})
    assert change.changed_fields() == ["mobile"]


def test_one_membership_per_user_and_organization(org_a, viewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=viewer, organization=org_a, role=Role.MANAGER)


def test_member_sees_only_own_organization(org_a, org_b, viewer):
    assert visible_organization_ids(viewer) == {org_a.pk}
    assert list(Organization.objects.visible_to(viewer)) == [org_a]


def test_members_see_children_extends_to_every_descendant(db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    hamlet_office = OrganizationFactory(kind=Kind.COMMUNE, parent=commune)
    OrganizationFactory()  # unrelated
    user = member(district, Role.RESPONDER)

    assert visible_organization_ids(user) == {district.pk, commune.pk, hamlet_office.pk}
    assert organization_roles(user)[hamlet_office.pk] == Role.RESPONDER


def test_without_members_see_children_children_stay_hidden(db):
    parent = OrganizationFactory(members_see_children=False)
    OrganizationFactory(parent=parent)
    user = member(parent, Role.MANAGER)
    assert visible_organization_ids(user) == {parent.pk}


def test_child_member_does_not_see_the_parent(db):
    parent = OrganizationFactory(members_see_children=True)
    child = OrganizationFactory(parent=parent)
    user = member(child, Role.MANAGER)
    assert visible_organization_ids(user) == {child.pk}


@pytest.mark.parametrize("parent_first", [True, False])
def test_the_highest_role_wins_when_memberships_overlap(db, parent_first):
    parent = OrganizationFactory(members_see_children=True)
    child = OrganizationFactory(parent=parent)
    user = UserFactory()
    pairs = [(parent, Role.MANAGER), (child, Role.VIEWER)]
    for org, role in pairs if parent_first else reversed(pairs):
        Membership.objects.create(user=user, organization=org, role=role)

    assert organization_roles(user) == {parent.pk: Role.MANAGER, child.pk: Role.MANAGER}


def test_membership_of_an_inactive_organization_grants_nothing(org_a, viewer):
    org_a.is_active = False
    org_a.save()
    assert visible_organization_ids(_fresh(viewer)) == set()


def test_inactive_or_anonymous_users_see_nothing(org_a, viewer, coordinator):
    viewer.is_active = False
    coordinator.is_active = False
    assert visible_organization_ids(viewer) == set()
    assert visible_organization_ids(coordinator) == set()
    assert visible_organization_ids(AnonymousUser()) == set()
    assert Organization.objects.visible_to(AnonymousUser()).count() == 0


def test_province_wide_users_see_every_organization(org_a, org_b, coordinator, national):
    superuser = UserFactory(is_superuser=True)
    for user in (coordinator, national, superuser):
        assert visible_organization_ids(user) is None
        assert set(Organization.objects.visible_to(user)) >= {org_a, org_b}


def test_focal_points_visible_through_their_organization(focal_a, focal_b, viewer, outsider):
    assert list(FocalPoint.objects.visible_to(viewer)) == [focal_a]
    assert list(FocalPoint.objects.visible_to(outsider)) == [focal_b]


def test_only_an_edit_of_a_focal_point_is_an_update():
    assert StaffChange(change=StaffChange.Change.UPDATED).is_update
    assert not StaffChange(change=StaffChange.Change.ADDED).is_update
