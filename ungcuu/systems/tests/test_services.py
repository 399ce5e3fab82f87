import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ungcuu.core.errors import InvalidTransition
from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, UserFactory, member
from ungcuu.systems import services
from ungcuu.systems.models import InformationSystem, SoftwareProduct, SystemEvent
from ungcuu.systems.tests.factories import InformationSystemFactory, appraised, approved

State = InformationSystem.DossierState
Event = SystemEvent.Kind
DECISION = {"decision_number": "45/QĐ-UBND", "decision_date": datetime.date(2026, 2, 1)}


def _rows():
    return InformationSystem.objects.count(), SystemEvent.objects.count(), SoftwareProduct.objects.count()


def _state(system) -> dict:
    return InformationSystem.objects.filter(pk=system.pk).values().get()


def _events(system) -> list[str]:
    return list(system.events.order_by("id").values_list("kind", flat=True))


# --- registration -----------------------------------------------------------------------------------


def test_registration_starts_proposed_and_records_the_level(org_a, manager, focal_a):
    system = services.register_system(
        actor=manager,
        name="Hệ thống quản lý văn bản",
        owner=org_a,
        operator=org_a,
        security_level=2,
        contacts=[focal_a],
        software=[{"vendor": "Apache", "product": "Tomcat", "version": "9"}, {"vendor": "Bỏ qua"}],
    )

    assert system.dossier_state == State.PROPOSED
    event = system.events.get()
    assert (event.kind, event.actor, event.data) == (Event.REGISTERED, manager, {"security_level": 2})
    assert [str(s) for s in system.software.all()] == ["Apache Tomcat 9"]
    assert list(system.contacts.all()) == [focal_a]


@pytest.mark.parametrize("persona", ["viewer", "responder", "outsider", "national"])
def test_only_managers_and_coordinators_register(request, org_a, persona):
    user = request.getfixturevalue(persona)
    before = _rows()
    with pytest.raises(PermissionDenied):
        services.register_system(actor=user, name="X", owner=org_a, operator=org_a, security_level=1)
    assert _rows() == before


def test_manager_of_the_operator_registers_a_system_the_province_owns(org_a, manager):
    province = OrganizationFactory(kind=Kind.PROVINCE_PC)
    system = services.register_system(
        actor=manager, name="X", owner=province, operator=org_a, security_level=4
    )
    assert system.owner == province


def test_an_owner_the_manager_cannot_see_is_refused_by_the_service(org_a, org_b, manager):
    """Issue 12: the rule lived in the form and the API serializer only, not in the service."""
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.register_system(actor=manager, name="X", owner=org_b, operator=org_a, security_level=2)
    assert "owner" in exc.value.message_dict and _rows() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("security_level", 7), ("security_level", 0), ("system_type", "nope"), ("name", "")],
)
def test_invalid_registration_writes_nothing(org_a, manager, field, value):
    fields = {"name": "X", "owner": org_a, "operator": org_a, "security_level": 3, field: value}
    before = _rows()
    with pytest.raises(ValidationError) as exc:
        services.register_system(actor=manager, software=[{"product": "nginx"}], **fields)
    assert field in exc.value.message_dict
    assert _rows() == before


# --- the dossier ------------------------------------------------------------------------------------


def test_dossier_goes_proposed_appraised_approved(system_a, coordinator, manager):
    system = services.appraise_dossier(actor=coordinator, system=system_a, note="Phù hợp cấp độ 3")
    assert (system.dossier_state, system.appraisal_note) == (State.APPRAISED, "Phù hợp cấp độ 3")

    system = services.approve_level(actor=manager, system=system, note="", **DECISION)

    stored = _state(system_a)
    assert stored["dossier_state"] == State.APPROVED
    assert (stored["decision_number"], stored["decision_date"]) == ("45/QĐ-UBND", datetime.date(2026, 2, 1))
    assert _events(system_a) == [Event.REGISTERED, Event.APPRAISED, Event.APPROVED]
    assert system_a.events.first().data == {
        "decision_number": "45/QĐ-UBND",
        "decision_date": "2026-02-01",
        "by": system_a.owner.name,  # the owner approves a level-3 dossier (NĐ85 Art. 12)
    }


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ("proposed", "approve"),
        ("proposed", "return"),
        ("appraised", "appraise"),
        ("approved", "appraise"),
        ("approved", "approve"),
    ],
)
def test_illegal_moves_raise_and_change_nothing(system_a, coordinator, manager, setup, move):
    system = {"proposed": lambda s: s, "appraised": appraised, "approved": approved}[setup](system_a)
    before, events = _state(system), _events(system)
    call = {
        "appraise": lambda: services.appraise_dossier(actor=coordinator, system=system, note="x"),
        "approve": lambda: services.approve_level(actor=manager, system=system, **DECISION),
        "return": lambda: services.return_dossier(actor=coordinator, system=system, note="x"),
    }[move]

    with pytest.raises(InvalidTransition):
        call()

    assert (_state(system), _events(system)) == (before, events)


@pytest.mark.parametrize(
    "decision",
    [
        {"decision_number": "", "decision_date": datetime.date(2026, 2, 1)},
        {"decision_number": "   ", "decision_date": datetime.date(2026, 2, 1)},
        {"decision_number": "45/QĐ", "decision_date": None},
    ],
)
def test_approval_needs_a_decision_number_and_date(system_a, manager, decision):
    system = appraised(system_a)
    before, events = _state(system), _events(system)

    with pytest.raises(ValidationError):
        services.approve_level(actor=manager, system=system, **decision)

    assert (_state(system), _events(system)) == (before, events)


def test_returning_an_approved_dossier_clears_the_decision(system_a, coordinator):
    system = services.return_dossier(actor=coordinator, system=approved(system_a), note="Thiếu hồ sơ")

    assert (system.dossier_state, system.decision_number, system.decision_date) == (State.PROPOSED, "", None)
    assert system_a.events.first().kind == Event.RETURNED
    assert system_a.events.first().note == "Thiếu hồ sơ"


@pytest.mark.parametrize("persona", ["manager", "responder", "viewer", "national", "outsider"])
def test_only_the_coordinator_decides_the_level(request, system_a, persona):
    user = request.getfixturevalue(persona)
    before, events = _state(system_a), _events(system_a)

    with pytest.raises(PermissionDenied):
        services.appraise_dossier(actor=user, system=system_a, note="x")
    # the owner's manager approves a level-3 dossier itself (NĐ85 Art. 12; test_law.py)
    with pytest.raises(InvalidTransition if persona == "manager" else PermissionDenied):
        services.approve_level(actor=user, system=system_a, **DECISION)
    with pytest.raises(PermissionDenied):
        services.return_dossier(actor=user, system=system_a, note="x")

    assert (_state(system_a), _events(system_a)) == (before, events)


def test_superuser_may_decide(system_a):
    admin = UserFactory(is_superuser=True)
    assert services.appraise_dossier(actor=admin, system=system_a).dossier_state == State.APPRAISED


# --- updates ----------------------------------------------------------------------------------------


def test_changing_the_level_restarts_the_dossier(system_a, manager):
    system = approved(system_a)

    system = services.update_system(actor=manager, system=system, security_level=4)

    stored = _state(system)
    assert (stored["security_level"], stored["dossier_state"]) == (4, State.PROPOSED)
    assert (stored["decision_number"], stored["decision_date"]) == ("", None)
    event = system_a.events.first()
    assert (event.kind, event.data, event.actor) == (Event.LEVEL_CHANGED, {"from": 3, "to": 4}, manager)


def test_other_edits_keep_the_dossier(system_a, manager):
    system = approved(system_a)

    services.update_system(actor=manager, system=system, purpose="Cổng dịch vụ công", security_level=3)

    stored = _state(system)
    assert (stored["dossier_state"], stored["decision_number"]) == (State.APPROVED, "123/QĐ-UBND")
    assert system_a.events.first().kind == Event.UPDATED


def test_software_is_replaced_when_given_and_kept_when_omitted(system_a, manager):
    services.update_system(actor=manager, system=system_a, software=[{"product": "nginx", "version": "1.24"}])
    services.update_system(actor=manager, system=system_a, purpose="x")
    assert [str(s) for s in system_a.software.all()] == ["nginx 1.24"]

    services.update_system(actor=manager, system=system_a, software=[])
    assert system_a.software.count() == 0


def test_invalid_update_changes_nothing(system_a, manager):
    before, rows = _state(system_a), _rows()
    with pytest.raises(ValidationError):
        services.update_system(actor=manager, system=system_a, security_level=9, name="Đổi")
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize("persona", ["viewer", "responder", "outsider", "national"])
def test_read_only_users_cannot_update(request, system_a, persona):
    user = request.getfixturevalue(persona)
    before, rows = _state(system_a), _rows()
    with pytest.raises(PermissionDenied):
        services.update_system(actor=user, system=system_a, security_level=5)
    assert (_state(system_a), _rows()) == (before, rows)


def test_manager_of_the_owner_may_update(org_a, org_b, manager, outsider):
    system = InformationSystemFactory(owner=org_a, operator=org_b)
    services.update_system(actor=manager, system=system, purpose="chủ quản sửa")
    services.update_system(actor=outsider, system=system, purpose="đơn vị vận hành sửa")
    assert _state(system)["purpose"] == "đơn vị vận hành sửa"


def test_parent_manager_with_members_see_children_manages_child_systems(db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    district_manager = member(district, Membership.Role.MANAGER)

    system = services.register_system(
        actor=district_manager, name="Một cửa xã", owner=commune, operator=commune, security_level=1
    )
    services.update_system(actor=district_manager, system=system, security_level=2)

    assert InformationSystem.objects.visible_to(district_manager).get() == system
