import pytest

from ungcuu.organizations.models import FocalPoint, Kind, Organization, StaffChange
from ungcuu.organizations.tests.factories import OrganizationFactory

ORGS = "/api/v1/organizations/"
FOCAL_POINTS = "/api/v1/focal-points/"


def _rows():
    return Organization.objects.count(), FocalPoint.objects.count(), StaffChange.objects.count()


def _org_state(org) -> dict:
    return Organization.objects.filter(pk=org.pk).values().get()


def _focal_state(focal) -> dict:
    return FocalPoint.objects.filter(pk=focal.pk).values().get()


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- organizations ----------------------------------------------------------------------------------


def test_anonymous_gets_401(api_for, org_a):
    assert api_for().get(ORGS).status_code == 401
    assert api_for().get(f"{ORGS}{org_a.pk}/").status_code == 401


def test_list_passes_the_tenancy_gate(api_for, org_a, org_b, outsider, viewer, coordinator):
    assert _ids(api_for(outsider).get(ORGS)) == {org_b.pk}
    assert _ids(api_for(viewer).get(ORGS)) == {org_a.pk}
    assert _ids(api_for(coordinator).get(ORGS)) >= {org_a.pk, org_b.pk}


def test_session_login_also_works(client_for, viewer, org_a):
    response = client_for(viewer).get(ORGS)
    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == "SO-ALPHA"


@pytest.mark.parametrize("method", ["get", "patch", "put"])
def test_outsider_gets_404_on_org_a(api_for, outsider, org_a, method):
    before = _org_state(org_a)
    response = getattr(api_for(outsider), method)(
        f"{ORGS}{org_a.pk}/", {"code": "SO-ALPHA", "name": "Chiếm", "kind": Kind.OPERATOR}, format="json"
    )
    assert response.status_code == 404
    assert _org_state(org_a) == before


def test_organizations_cannot_be_deleted(api_for, coordinator, org_a):
    assert api_for(coordinator).delete(f"{ORGS}{org_a.pk}/").status_code == 405
    assert Organization.objects.filter(pk=org_a.pk).exists()


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
def test_read_only_users_get_403_on_update_and_nothing_changes(request, api_for, org_a, persona):
    client = api_for(request.getfixturevalue(persona))
    before = _org_state(org_a)

    assert client.get(f"{ORGS}{org_a.pk}/").status_code == 200
    assert client.patch(f"{ORGS}{org_a.pk}/", {"short_name": "Đổi"}, format="json").status_code == 403
    assert _org_state(org_a) == before


@pytest.mark.parametrize("persona", ["manager", "viewer", "outsider", "national"])
def test_only_the_coordinator_creates_organizations(request, api_for, persona, org_a):
    client = api_for(request.getfixturevalue(persona))
    before = _rows()
    response = client.post(ORGS, {"code": "SO-MOI", "name": "Sở Mới", "kind": Kind.OPERATOR}, format="json")
    assert response.status_code == 403
    assert _rows() == before


def test_coordinator_creates_an_organization(api_for, coordinator, org_a):
    response = api_for(coordinator).post(
        ORGS, {"code": "SO-MOI", "name": "Sở Mới", "kind": Kind.OPERATOR, "parent": org_a.pk}, format="json"
    )
    assert response.status_code == 201
    assert Organization.objects.get(code="SO-MOI").parent == org_a


def test_lower_case_code_is_normalised_as_in_the_ui(api_for, coordinator):
    # The form upper-cases the code before the model's regex sees it; the API must do the same.
    response = api_for(coordinator).post(
        ORGS, {"code": "so-moi", "name": "Sở Mới", "kind": Kind.OPERATOR}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "SO-MOI"


def test_duplicate_code_is_a_field_error(api_for, coordinator, org_a):
    before = _rows()
    response = api_for(coordinator).post(
        ORGS, {"code": "SO-ALPHA", "name": "Trùng", "kind": Kind.OPERATOR}, format="json"
    )
    assert response.status_code == 400
    assert "code" in response.json()
    assert _rows() == before


def test_unknown_kind_and_bad_email_are_field_errors(api_for, coordinator):
    before = _rows()
    response = api_for(coordinator).post(
        ORGS, {"code": "SO-MOI", "name": "X", "kind": "NOPE", "email": "không"}, format="json"
    )
    assert response.status_code == 400
    assert {"kind", "email"} <= set(response.json())
    assert _rows() == before


def test_manager_patches_the_profile_but_not_the_place_in_the_tree(api_for, manager, org_a, org_b):
    response = api_for(manager).patch(
        f"{ORGS}{org_a.pk}/",
        {"address": "1 Lê Lợi", "code": "HACKED", "name": "Hacked", "parent": None, "is_active": False},
        format="json",
    )
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.address == "1 Lê Lợi"
    assert (org_a.code, org_a.name, org_a.parent, org_a.is_active) == (
        "SO-ALPHA",
        "Sở Thử nghiệm Alpha",
        None,
        True,
    )


def test_a_hidden_parent_is_refused_like_a_missing_one(api_for, manager, org_a, org_b):
    """Issue 10 leak 5: a hidden organization and a missing one must get the same answer."""
    api = api_for(manager)
    hidden = api.patch(f"{ORGS}{org_a.pk}/", {"parent": org_b.pk}, format="json")
    missing = api.patch(f"{ORGS}{org_a.pk}/", {"parent": 987654}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["parent"] == [m.replace("987654", str(org_b.pk)) for m in missing.json()["parent"]]
    org_a.refresh_from_db()
    assert org_a.parent is None


def test_api_refuses_to_put_an_organization_under_its_own_child(api_for, coordinator, org_a):
    # The UI form refuses this (OrganizationForm.clean_parent); the API must too, or the tree gets a
    # cycle and every later form edit under it loops forever in clean_parent.
    child = OrganizationFactory(parent=org_a)
    client = api_for(coordinator)

    for parent in (org_a, child):
        response = client.patch(f"{ORGS}{org_a.pk}/", {"parent": parent.pk}, format="json")
        assert response.status_code == 400, f"parent={parent.code} accepted"
        assert "parent" in response.json()
    org_a.refresh_from_db()
    assert org_a.parent is None


def test_api_search_ignores_diacritics(api_for, coordinator):
    wanted = OrganizationFactory(code="UBND-DH", name="Ủy ban nhân dân huyện Đông Hải")
    OrganizationFactory(code="SO-TC", name="Sở Tài chính")

    response = api_for(coordinator).get(ORGS, {"q": "dong hai"})

    assert _ids(response) == {wanted.pk}


# --- focal points -----------------------------------------------------------------------------------


def test_focal_point_list_passes_the_tenancy_gate(api_for, outsider, viewer, focal_a, focal_b):
    assert _ids(api_for(outsider).get(FOCAL_POINTS)) == {focal_b.pk}
    assert _ids(api_for(viewer).get(FOCAL_POINTS)) == {focal_a.pk}


def test_manager_adds_a_focal_point_and_history_records_it(api_for, manager, org_a):
    response = api_for(manager).post(
        FOCAL_POINTS,
        {"organization": org_a.pk, "full_name": "Đỗ Văn Mới", "email": "moi@example.vn"},
        format="json",
    )
    assert response.status_code == 201
    change = StaffChange.objects.get()
    assert (change.change, change.focal_point_id, change.actor) == (
        StaffChange.Change.ADDED,
        response.json()["id"],
        manager,
    )


def test_focal_point_without_contact_is_400(api_for, manager, org_a):
    before = _rows()
    response = api_for(manager).post(
        FOCAL_POINTS, {"organization": org_a.pk, "full_name": "Không Liên Lạc"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert _rows() == before


def test_patching_away_every_contact_is_400(api_for, manager, focal_a):
    before, rows = _focal_state(focal_a), _rows()
    response = api_for(manager).patch(
        f"{FOCAL_POINTS}{focal_a.pk}/", {"mobile": "", "email": ""}, format="json"
    )
    assert response.status_code == 400
    assert (_focal_state(focal_a), rows) == (before, _rows())


def test_bad_pgp_fingerprint_is_a_field_error(api_for, manager, org_a):
    response = api_for(manager).post(
        FOCAL_POINTS,
        {"organization": org_a.pk, "full_name": "X", "email": "x@example.vn", "pgp_fingerprint": "XYZ"},
        format="json",
    )
    assert response.status_code == 400
    assert "pgp_fingerprint" in response.json()


def test_outsider_cannot_add_a_focal_point_to_org_a(api_for, outsider, org_a):
    before = _rows()
    response = api_for(outsider).post(
        FOCAL_POINTS, {"organization": org_a.pk, "full_name": "X", "email": "x@example.vn"}, format="json"
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert _rows() == before


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_outsider_gets_404_on_org_a_focal_point(api_for, outsider, org_a, focal_a, method):
    before, rows = _focal_state(focal_a), _rows()
    response = getattr(api_for(outsider), method)(
        f"{FOCAL_POINTS}{focal_a.pk}/",
        {"organization": org_a.pk, "full_name": "Đổi", "email": "x@example.vn"},
        format="json",
    )
    assert response.status_code == 404
    assert (_focal_state(focal_a), _rows()) == (before, rows)


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_read_only_users_get_403_on_focal_points(request, api_for, org_a, focal_a, persona, method):
    client = api_for(request.getfixturevalue(persona))
    before, rows = _focal_state(focal_a), _rows()
    url = FOCAL_POINTS if method == "post" else f"{FOCAL_POINTS}{focal_a.pk}/"

    response = getattr(client, method)(
        url, {"organization": org_a.pk, "full_name": "Đổi", "email": "x@example.vn"}, format="json"
    )

    assert response.status_code == 403
    assert (_focal_state(focal_a), _rows()) == (before, rows)


def test_manager_updates_a_focal_point_and_history_keeps_before_after(api_for, manager, focal_a):
    response = api_for(manager).patch(
        f"{FOCAL_POINTS}{focal_a.pk}/", {"mobile": "0977 000 000"}, format="json"
    )

    assert response.status_code == 200
    change = StaffChange.objects.first()
    assert (change.change, change.before["mobile"], change.after["mobile"]) == (
        StaffChange.Change.UPDATED,
        "0912 000 001",
        "0977 000 000",
    )


def test_delete_deactivates_and_keeps_the_record(api_for, manager, focal_a):
    response = api_for(manager).delete(f"{FOCAL_POINTS}{focal_a.pk}/")

    assert response.status_code == 204
    focal_a.refresh_from_db()
    assert focal_a.is_active is False
    assert StaffChange.objects.first().change == StaffChange.Change.DEACTIVATED


def test_focal_point_cannot_move_to_another_organization(api_for, coordinator, focal_a, org_b):
    response = api_for(coordinator).patch(
        f"{FOCAL_POINTS}{focal_a.pk}/", {"organization": org_b.pk}, format="json"
    )
    assert response.status_code == 200
    focal_a.refresh_from_db()
    assert focal_a.organization_id != org_b.pk
