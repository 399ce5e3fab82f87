import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ungcuu.audit.models import AuditEvent
from ungcuu.organizations import services
from ungcuu.organizations.models import FocalPoint, Kind, Membership, StaffChange
from ungcuu.organizations.tests.factories import OrganizationFactory, member

Change = StaffChange.Change


def _counts():
    return FocalPoint.objects.count(), StaffChange.objects.count()


def test_adding_a_focal_point_records_the_staff_change(org_a, manager):
    focal = services.add_focal_point(
        actor=manager, organization=org_a, full_name="Phạm Đầu Mối", email="daumoi@example.gov.vn"
    )

    change = StaffChange.objects.get()
    assert (change.focal_point, change.organization, change.actor) == (focal, org_a, manager)
    assert change.change == Change.ADDED
    assert change.before == {}
    assert change.after["full_name"] == "Phạm Đầu Mối"


def test_updating_a_focal_point_keeps_before_and_after(focal_a, manager):
    services.update_focal_point(actor=manager, focal_point=focal_a, mobile="0988 111 222", title="Phó phòng")

    change = StaffChange.objects.filter(change=Change.UPDATED).get()
    assert change.before["mobile"] == "0912 000 001"
    assert change.after["mobile"] == "0988 111 222"
    assert sorted(change.changed_fields()) == ["mobile", "title"]
    focal_a.refresh_from_db()
    assert focal_a.mobile == "0988 111 222"


def test_saving_without_a_change_writes_no_history(focal_a, manager):
    before = _counts()
    services.update_focal_point(actor=manager, focal_point=focal_a, mobile=focal_a.mobile)
    assert _counts() == before


def test_deactivating_keeps_the_row_and_records_it(focal_a, manager):
    services.deactivate_focal_point(actor=manager, focal_point=focal_a)

    focal_a.refresh_from_db()
    assert focal_a.is_active is False
    assert [c.change for c in StaffChange.objects.all()] == [Change.DEACTIVATED, Change.ADDED]
    assert StaffChange.objects.first().changed_fields() == ["is_active"]


def test_focal_point_without_contact_is_rejected_and_nothing_written(org_a, manager):
    before = _counts()
    with pytest.raises(ValidationError):
        services.add_focal_point(actor=manager, organization=org_a, full_name="Không Liên Lạc")
    assert _counts() == before


def test_removing_every_contact_is_rejected_and_history_unchanged(focal_a, manager):
    before = _counts()
    with pytest.raises(ValidationError):
        services.update_focal_point(actor=manager, focal_point=focal_a, mobile="", email="")
    assert _counts() == before
    focal_a.refresh_from_db()
    assert focal_a.email == "alpha@example.gov.vn"


def test_bad_pgp_fingerprint_is_rejected(org_a, manager):
    with pytest.raises(ValidationError) as exc:
        services.add_focal_point(
            actor=manager, organization=org_a, full_name="X", email="x@example.vn", pgp_fingerprint="XYZ"
        )
    assert "pgp_fingerprint" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["viewer", "responder", "outsider", "national"])
def test_only_managers_and_coordinators_change_focal_points(request, org_a, focal_a, persona):
    user = request.getfixturevalue(persona)
    before = _counts()

    with pytest.raises(PermissionDenied):
        services.add_focal_point(actor=user, organization=org_a, full_name="X", email="x@example.vn")
    with pytest.raises(PermissionDenied):
        services.update_focal_point(actor=user, focal_point=focal_a, mobile="0000")
    with pytest.raises(PermissionDenied):
        services.deactivate_focal_point(actor=user, focal_point=focal_a)

    assert _counts() == before
    focal_a.refresh_from_db()
    assert (focal_a.mobile, focal_a.is_active) == ("0912 000 001", True)


def test_coordinator_changes_focal_points_of_any_unit(org_b, coordinator):
    focal = services.add_focal_point(
        actor=coordinator, organization=org_b, full_name="X", mobile="0900 123 456"
    )
    assert StaffChange.objects.get(focal_point=focal).actor == coordinator


def test_parent_manager_with_members_see_children_manages_child_contacts(db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    district_manager = member(district, Membership.Role.MANAGER)

    focal = services.add_focal_point(
        actor=district_manager, organization=commune, full_name="Cán bộ xã", mobile="0900 123 456"
    )
    assert focal.organization == commune


def test_a_manager_edits_the_profile_only_and_the_change_is_recorded(manager, org_a, org_b):
    """Issue 12: the field rule lived in the form and the serializer, and nothing recorded the change."""
    saved = services.update_organization(
        actor=manager, organization=org_a, address="1 Lê Lợi", name="Hacked", parent=org_b, is_active=False
    )
    saved.refresh_from_db()
    assert (saved.address, saved.name, saved.parent, saved.is_active) == ("1 Lê Lợi", org_a.name, None, True)
    row = AuditEvent.objects.get(action=AuditEvent.Action.ORGANIZATION_UPDATED)
    assert (row.actor, row.detail) == (manager, "address")


def test_a_viewer_cannot_edit_the_organization(viewer, org_a):
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=viewer, organization=org_a, address="x")


def test_a_phone_that_is_not_a_number_is_refused_next_to_its_field(org_a, manager, focal_a):
    with pytest.raises(ValidationError) as caught:
        services.update_organization(
            actor=manager, organization=org_a, phone="abc", intake_phone="0229 3871 234"
        )
    assert list(caught.value.message_dict) == ["phone"]
    with pytest.raises(ValidationError) as caught:
        services.add_focal_point(actor=manager, organization=org_a, full_name="Lê Văn B", mobile="09xx")
    assert list(caught.value.message_dict) == ["mobile"]
    org_a.refresh_from_db()
    assert org_a.phone != "abc" and not org_a.focal_points.filter(full_name="Lê Văn B").exists()
