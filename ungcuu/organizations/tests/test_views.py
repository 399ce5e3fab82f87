import pytest
from django.urls import reverse

from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization, StaffChange
from ungcuu.organizations.tests.factories import OrganizationFactory, member
from ungcuu.systems.tests.factories import InformationSystemFactory

STAFF_FIELDS = [
    "staff_total",
    "staff_security_management",
    "staff_defence",
    "staff_protection",
    "staff_testing",
]


def org_form(**overrides) -> dict:
    data = {"code": "SO-MOI", "name": "Sở Mới", "kind": Kind.OPERATOR, "is_active": "on"}
    data.update(dict.fromkeys(STAFF_FIELDS, "0"))
    data.update(overrides)
    return data


def focal_form(**overrides) -> dict:
    return {
        "full_name": "Hoàng Đầu Mối",
        "duty": FocalPoint.Duty.RESPONSE,
        "mobile": "0911 222 333",
        **overrides,
    }


def _rows():
    return Organization.objects.count(), FocalPoint.objects.count(), StaffChange.objects.count()


def _org_state(org) -> dict:
    return Organization.objects.filter(pk=org.pk).values().get()


def _focal_state(focal) -> dict:
    return FocalPoint.objects.filter(pk=focal.pk).values().get()


# --- list and search --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["dong hai", "Đông Hải", "DONG", "uy ban nhan dan huyen"])
def test_list_search_ignores_diacritics(client_for, coordinator, query):
    OrganizationFactory(code="UBND-DH", name="Ủy ban nhân dân huyện Đông Hải")
    OrganizationFactory(code="SO-TC", name="Sở Tài chính")

    response = client_for(coordinator).get(reverse("organizations:list"), {"q": query})

    assert [o.code for o in response.context["page"]] == ["UBND-DH"]
    assert "Đông Hải" in response.text
    assert "Sở Tài chính" not in response.text


def test_list_filters_by_type(client_for, coordinator, org_a, specialised_unit):
    response = client_for(coordinator).get(reverse("organizations:list"), {"kind": Kind.SPECIALISED_UNIT})
    assert list(response.context["page"]) == [specialised_unit]


def test_list_answers_htmx_with_the_table_fragment(client_for, viewer, org_a):
    response = client_for(viewer).get(
        reverse("organizations:list"), {"q": "alpha"}, headers={"hx-request": "true"}
    )

    assert [t.name for t in response.templates][0] == "organizations/_table.html"
    assert "<html" not in response.text
    assert org_a.name in response.text


def test_list_shows_only_what_the_user_may_see(client_for, outsider, org_a, org_b, system_a):
    response = client_for(outsider).get(reverse("organizations:list"))

    assert list(response.context["page"]) == [org_b]
    assert "Alpha" not in response.text


def test_list_counts_operated_systems(client_for, viewer, org_a, system_a):
    response = client_for(viewer).get(reverse("organizations:list"))
    assert response.context["page"][0].system_count == 1


# --- detail -----------------------------------------------------------------------------------------


def test_detail_shows_profile_contacts_systems_and_history(client_for, viewer, org_a, focal_a, system_a):
    response = client_for(viewer).get(reverse("organizations:detail", args=[org_a.pk]))

    assert response.status_code == 200
    assert focal_a.full_name in response.text
    assert system_a.name in response.text
    assert list(response.context["staff_changes"])[0].focal_point == focal_a
    assert response.context["can_edit"] is False
    assert response.context["members"] == []


def test_detail_shows_members_and_edit_links_to_managers(client_for, manager, viewer, org_a):
    response = client_for(manager).get(reverse("organizations:detail", args=[org_a.pk]))

    assert response.context["can_edit"] is True
    assert {m.user for m in response.context["members"]} == {manager, viewer}
    assert reverse("organizations:edit", args=[org_a.pk]) in response.text


def test_detail_hides_deactivated_focal_points(client_for, manager, org_a, focal_a):
    client = client_for(manager)
    client.post(reverse("organizations:focal_point_deactivate", args=[org_a.pk, focal_a.pk]))

    response = client.get(reverse("organizations:detail", args=[org_a.pk]))
    assert list(response.context["focal_points"]) == []


OUTSIDER_URLS = [
    ("get", "organizations:detail", False),
    ("get", "organizations:edit", False),
    ("post", "organizations:edit", False),
    ("post", "organizations:focal_point_add", False),
    ("get", "organizations:focal_point_edit", True),
    ("post", "organizations:focal_point_edit", True),
    ("post", "organizations:focal_point_deactivate", True),
]


@pytest.mark.parametrize(("method", "name", "needs_focal"), OUTSIDER_URLS)
def test_outsider_gets_404_for_org_a_and_nothing_changes(
    client_for, outsider, org_a, focal_a, method, name, needs_focal
):
    args = [org_a.pk, focal_a.pk] if needs_focal else [org_a.pk]
    org_before, focal_before, rows_before = _org_state(org_a), _focal_state(focal_a), _rows()

    response = getattr(client_for(outsider), method)(
        reverse(name, args=args), {**org_form(code="SO-ALPHA"), **focal_form()}
    )

    assert response.status_code == 404
    assert (_org_state(org_a), _focal_state(focal_a), _rows()) == (org_before, focal_before, rows_before)


def test_outsider_cannot_reach_org_b_focal_point_through_org_a_url(client_for, manager, org_a, focal_b):
    response = client_for(manager).get(reverse("organizations:focal_point_edit", args=[org_a.pk, focal_b.pk]))
    assert response.status_code == 404


# --- who may edit -----------------------------------------------------------------------------------

DENIED = [
    ("get", "organizations:edit", False),
    ("post", "organizations:edit", False),
    ("post", "organizations:focal_point_add", False),
    ("get", "organizations:focal_point_edit", True),
    ("post", "organizations:focal_point_edit", True),
    ("post", "organizations:focal_point_deactivate", True),
    ("get", "organizations:create", None),
    ("post", "organizations:create", None),
]


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
@pytest.mark.parametrize(("method", "name", "needs_focal"), DENIED)
def test_read_only_users_get_403_and_nothing_changes(
    request, client_for, org_a, focal_a, persona, method, name, needs_focal
):
    user = request.getfixturevalue(persona)
    args = [] if needs_focal is None else [org_a.pk, focal_a.pk] if needs_focal else [org_a.pk]
    org_before, focal_before, rows_before = _org_state(org_a), _focal_state(focal_a), _rows()

    response = getattr(client_for(user), method)(
        reverse(name, args=args), {**org_form(code="SO-DOI", name="Đổi tên"), **focal_form(full_name="Đổi")}
    )

    assert response.status_code == 403
    assert (_org_state(org_a), _focal_state(focal_a), _rows()) == (org_before, focal_before, rows_before)


def test_national_coordinator_reads_every_organization(client_for, national, org_a, org_b):
    client = client_for(national)
    assert client.get(reverse("organizations:detail", args=[org_a.pk])).status_code == 200
    assert set(client.get(reverse("organizations:list")).context["page"]) >= {org_a, org_b}


def test_manager_edits_the_profile_but_not_the_place_in_the_tree(client_for, manager, org_a, org_b):
    response = client_for(manager).post(
        reverse("organizations:edit", args=[org_a.pk]),
        org_form(
            code="HACKED",
            name="Hacked",
            kind=Kind.POLICE,
            parent=org_b.pk,
            short_name="SA",
            address="1 Lê Lợi",
        ),
    )

    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.short_name, org_a.address) == ("SA", "1 Lê Lợi")
    assert (org_a.code, org_a.name, org_a.kind, org_a.parent) == (
        "SO-ALPHA",
        "Sở Thử nghiệm Alpha",
        Kind.OPERATOR,
        None,
    )


def test_coordinator_creates_an_organization(client_for, coordinator, org_a):
    response = client_for(coordinator).post(
        reverse("organizations:create"), org_form(code="so-moi", parent=org_a.pk)
    )

    created = Organization.objects.get(code="SO-MOI")
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=[created.pk])
    assert created.parent == org_a


@pytest.mark.parametrize("code", ["SO-ALPHA", "so-alpha", " SO-ALPHA "])
def test_duplicate_organization_code_is_rejected(client_for, coordinator, org_a, code):
    before = _rows()

    response = client_for(coordinator).post(reverse("organizations:create"), org_form(code=code))

    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert _rows() == before


def test_bad_input_on_create_is_shown_again(client_for, coordinator):
    before = _rows()
    response = client_for(coordinator).post(
        reverse("organizations:create"), org_form(kind="NOPE", email="not-an-email", staff_total="-1")
    )
    assert response.status_code == 400
    assert {"kind", "email", "staff_total"} <= set(response.context["form"].errors)
    assert _rows() == before


def test_organization_cannot_be_placed_under_its_own_child(client_for, coordinator, org_a):
    child = OrganizationFactory(parent=org_a)
    grandchild = OrganizationFactory(parent=child)

    for parent in (org_a, grandchild):
        response = client_for(coordinator).post(
            reverse("organizations:edit", args=[org_a.pk]),
            org_form(code=org_a.code, name=org_a.name, parent=parent.pk),
        )
        assert response.status_code == 400
        assert "parent" in response.context["form"].errors
    org_a.refresh_from_db()
    assert org_a.parent is None


def test_members_see_children_manager_opens_and_edits_child(client_for, db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district, name="UBND xã Thử")
    district_manager = member(district, Membership.Role.MANAGER)
    system = InformationSystemFactory(owner=commune, name="Hệ thống của xã")
    client = client_for(district_manager)

    detail = client.get(reverse("organizations:detail", args=[commune.pk]))
    edit = client.post(reverse("organizations:edit", args=[commune.pk]), org_form(short_name="Xã"))

    assert detail.status_code == 200
    assert system.name in detail.text
    assert edit.status_code == 302
    commune.refresh_from_db()
    assert commune.short_name == "Xã"


# --- focal points -----------------------------------------------------------------------------------


def test_manager_adds_a_focal_point(client_for, manager, org_a):
    response = client_for(manager).post(
        reverse("organizations:focal_point_add", args=[org_a.pk]), focal_form()
    )

    assert response.status_code == 302
    focal = FocalPoint.objects.get()
    assert focal.full_name == "Hoàng Đầu Mối"
    assert StaffChange.objects.get().change == StaffChange.Change.ADDED


def test_manager_adds_a_focal_point_with_htmx(client_for, manager, org_a):
    response = client_for(manager).post(
        reverse("organizations:focal_point_add", args=[org_a.pk]),
        focal_form(),
        headers={"hx-request": "true"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "organizations/_focal_points.html"
    assert "Hoàng Đầu Mối" in response.text


@pytest.mark.parametrize("htmx", [False, True])
def test_focal_point_without_contact_is_rejected(client_for, manager, org_a, htmx):
    headers = {"hx-request": "true"} if htmx else {}
    before = _rows()

    response = client_for(manager).post(
        reverse("organizations:focal_point_add", args=[org_a.pk]),
        focal_form(mobile="", email="", office_phone=""),
        headers=headers,
    )

    assert response.status_code == 400
    assert response.context["focal_form"].non_field_errors()
    assert "at least one way to reach" in response.text
    assert _rows() == before


def test_manager_edits_a_focal_point_and_history_shows_it(client_for, manager, org_a, focal_a):
    client = client_for(manager)
    url = reverse("organizations:focal_point_edit", args=[org_a.pk, focal_a.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, focal_form(full_name=focal_a.full_name, mobile="0999 999 999"))

    assert response.status_code == 302
    change = StaffChange.objects.first()
    assert change.change == StaffChange.Change.UPDATED
    assert "mobile" in change.changed_fields()
    detail = client.get(reverse("organizations:detail", args=[org_a.pk]))
    assert "mobile" in detail.text


def test_editing_a_focal_point_to_no_contact_changes_nothing(client_for, manager, org_a, focal_a):
    before, rows = _focal_state(focal_a), _rows()
    response = client_for(manager).post(
        reverse("organizations:focal_point_edit", args=[org_a.pk, focal_a.pk]),
        focal_form(mobile="", email="", office_phone=""),
    )
    assert response.status_code == 400
    assert (_focal_state(focal_a), _rows()) == (before, rows)


def test_manager_deactivates_a_focal_point(client_for, manager, org_a, focal_a):
    response = client_for(manager).post(
        reverse("organizations:focal_point_deactivate", args=[org_a.pk, focal_a.pk])
    )

    assert response.status_code == 302
    focal_a.refresh_from_db()
    assert focal_a.is_active is False
    assert StaffChange.objects.first().change == StaffChange.Change.DEACTIVATED


def test_deactivate_is_post_only(client_for, manager, org_a, focal_a):
    response = client_for(manager).get(
        reverse("organizations:focal_point_deactivate", args=[org_a.pk, focal_a.pk])
    )
    assert response.status_code == 405
    focal_a.refresh_from_db()
    assert focal_a.is_active is True
