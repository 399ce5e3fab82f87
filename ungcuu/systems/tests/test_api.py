import pytest

from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, member
from ungcuu.systems.models import InformationSystem, SoftwareProduct, SystemEvent
from ungcuu.systems.tests.factories import InformationSystemFactory, appraised, approved

SYSTEMS = "/api/v1/systems/"
State = InformationSystem.DossierState
DECISION = {"decision_number": "7/QĐ-UBND", "decision_date": "2026-04-01"}


def payload(org, **overrides) -> dict:
    return {
        "name": "Hệ thống một cửa điện tử",
        "owner": org.pk,
        "operator": org.pk,
        "security_level": 3,
        "services": ["web"],
        "public_ips": ["203.0.113.40", "203.0.113.41/32"],
        "domains": ["MotCua.Example.gov.vn."],
        "software": [{"vendor": "Apache", "product": "httpd", "version": "2.4"}],
        **overrides,
    }


def _rows():
    return InformationSystem.objects.count(), SystemEvent.objects.count(), SoftwareProduct.objects.count()


def _state(system) -> dict:
    return InformationSystem.objects.filter(pk=system.pk).values().get()


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def _url(system, action="") -> str:
    return f"{SYSTEMS}{system.pk}/{action + '/' if action else ''}"


# --- reading ----------------------------------------------------------------------------------------


def test_anonymous_gets_401(api_for, system_a):
    assert api_for().get(SYSTEMS).status_code == 401
    assert api_for().get(_url(system_a)).status_code == 401


def test_list_passes_the_tenancy_gate(api_for, viewer, outsider, national, system_a, system_b):
    assert _ids(api_for(viewer).get(SYSTEMS)) == {system_a.pk}
    assert _ids(api_for(outsider).get(SYSTEMS)) == {system_b.pk}
    assert _ids(api_for(national).get(SYSTEMS)) == {system_a.pk, system_b.pk}


def test_detail_carries_the_profile_and_dossier(api_for, viewer, system_a):
    data = api_for(viewer).get(_url(system_a)).json()
    assert (data["name"], data["security_level"], data["dossier_state"]) == (system_a.name, 3, "proposed")
    assert data["domains"] == ["alpha.example.gov.vn"]


def test_api_search_ignores_diacritics(api_for, coordinator, system_a, system_b):
    client = api_for(coordinator)
    for query in ("cong thong tin", "điện tử", "DIEN TU"):
        assert _ids(client.get(SYSTEMS, {"q": query})) == {system_a.pk}, query


def test_api_filters_by_level_organization_and_dossier_state(api_for, coordinator, org_a, system_a, system_b):
    appraised(system_b)
    client = api_for(coordinator)
    assert _ids(client.get(SYSTEMS, {"level": 3})) == {system_a.pk}
    assert _ids(client.get(SYSTEMS, {"organization": org_a.pk})) == {system_a.pk}
    assert _ids(client.get(SYSTEMS, {"state": State.APPRAISED})) == {system_b.pk}


# --- registering and editing ------------------------------------------------------------------------


def test_manager_registers_a_system(api_for, manager, org_a, focal_a):
    response = api_for(manager).post(
        SYSTEMS, payload(org_a, contacts=[focal_a.pk], dossier_state="approved"), format="json"
    )

    assert response.status_code == 201, response.json()
    system = InformationSystem.objects.get(pk=response.json()["id"])
    assert system.dossier_state == State.PROPOSED
    assert system.public_ips == ["203.0.113.40", "203.0.113.41/32"]
    assert system.domains == ["motcua.example.gov.vn"]
    assert [str(s) for s in system.software.all()] == ["Apache httpd 2.4"]
    assert list(system.contacts.all()) == [focal_a]
    assert system.events.get().kind == SystemEvent.Kind.REGISTERED


def test_province_may_own_a_system_the_unit_runs(api_for, manager, org_a):
    province = OrganizationFactory(kind=Kind.PROVINCE_PC)
    response = api_for(manager).post(SYSTEMS, payload(org_a, owner=province.pk), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("security_level", {"security_level": 7}),
        ("security_level", {"security_level": "cao"}),
        ("public_ips", {"public_ips": ["203.0.113.40", "999.1.1.1"]}),
        ("domains", {"domains": ["ok.example.vn", "bad_domain..vn"]}),
        ("services", {"services": ["telnet"]}),
        ("software", {"software": [{"vendor": "x"}]}),
        ("name", {"name": ""}),
    ],
)
def test_bad_input_is_a_400_field_error_and_nothing_is_written(api_for, manager, org_a, field, overrides):
    before = _rows()
    response = api_for(manager).post(SYSTEMS, payload(org_a, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert _rows() == before


def test_field_errors_name_the_bad_items(api_for, manager, org_a):
    errors = (
        api_for(manager)
        .post(SYSTEMS, payload(org_a, public_ips=["999.1.1.1"], domains=["bad_domain..vn"]), format="json")
        .json()
    )
    assert "999.1.1.1" in errors["public_ips"][0]
    assert "bad_domain..vn" in errors["domains"][0]


def test_outsider_cannot_register_for_org_a_or_use_its_contacts(api_for, outsider, org_a, org_b, focal_a):
    before = _rows()
    client = api_for(outsider)

    for_a = client.post(SYSTEMS, payload(org_a), format="json")
    with_a_contact = client.post(SYSTEMS, payload(org_b, contacts=[focal_a.pk]), format="json")

    assert for_a.status_code == 400
    assert {"owner", "operator"} <= set(for_a.json())
    assert with_a_contact.status_code == 400
    assert "contacts" in with_a_contact.json()
    assert _rows() == before


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
def test_read_only_users_get_403_on_create(request, api_for, org_a, persona):
    client = api_for(request.getfixturevalue(persona))
    before = _rows()
    assert client.post(SYSTEMS, payload(org_a), format="json").status_code == 403
    assert _rows() == before


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_read_only_users_get_403_on_update(request, api_for, org_a, system_a, persona, method):
    client = api_for(request.getfixturevalue(persona))
    before, rows = _state(system_a), _rows()

    response = getattr(client, method)(_url(system_a), payload(org_a, security_level=5), format="json")

    assert response.status_code == 403
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize("method", ["get", "patch", "put"])
def test_outsider_gets_404_on_org_a_system(api_for, outsider, org_b, system_a, method):
    before, rows = _state(system_a), _rows()
    response = getattr(api_for(outsider), method)(_url(system_a), payload(org_b), format="json")
    assert response.status_code == 404
    assert (_state(system_a), _rows()) == (before, rows)


def test_systems_cannot_be_deleted(api_for, coordinator, system_a):
    assert api_for(coordinator).delete(_url(system_a)).status_code == 405
    assert InformationSystem.objects.filter(pk=system_a.pk).exists()


def test_level_change_restarts_the_dossier(api_for, manager, system_a):
    approved(system_a)

    response = api_for(manager).patch(_url(system_a), {"security_level": 4}, format="json")

    assert response.status_code == 200
    assert (response.json()["dossier_state"], response.json()["decision_number"]) == ("proposed", "")
    event = system_a.events.first()
    assert (event.kind, event.data) == (SystemEvent.Kind.LEVEL_CHANGED, {"from": 3, "to": 4})


def test_dossier_fields_cannot_be_written_directly(api_for, manager, system_a):
    response = api_for(manager).patch(
        _url(system_a),
        {"dossier_state": "approved", "decision_number": "1/QĐ", "purpose": "x"},
        format="json",
    )
    assert response.status_code == 200
    stored = _state(system_a)
    assert (stored["dossier_state"], stored["decision_number"], stored["purpose"]) == ("proposed", "", "x")


def test_invalid_patch_changes_nothing(api_for, manager, system_a):
    before, rows = _state(system_a), _rows()
    response = api_for(manager).patch(
        _url(system_a), {"security_level": 9, "domains": ["bad_domain..vn"], "name": "Đổi"}, format="json"
    )
    assert response.status_code == 400
    assert {"security_level", "domains"} <= set(response.json())
    assert (_state(system_a), _rows()) == (before, rows)


def test_software_is_replaced_only_when_sent(api_for, manager, system_a):
    client = api_for(manager)
    client.patch(_url(system_a), {"software": [{"product": "nginx", "version": "1.24"}]}, format="json")
    client.patch(_url(system_a), {"purpose": "không gửi phần mềm"}, format="json")
    assert [str(s) for s in system_a.software.all()] == ["nginx 1.24"]


# --- dossier actions --------------------------------------------------------------------------------


def test_coordinator_appraises_then_the_owner_approves_level_3(api_for, coordinator, manager, system_a):
    appraisal = api_for(coordinator).post(_url(system_a, "appraise"), {"note": "Đạt yêu cầu"}, format="json")
    # NĐ85 Art. 12: the owner approves a level-3 dossier (systems/tests/test_law.py)
    approval = api_for(manager).post(_url(system_a, "approve"), DECISION, format="json")

    assert (appraisal.status_code, approval.status_code) == (200, 200)
    assert appraisal.json()["appraisal_note"] == "Đạt yêu cầu"
    assert (approval.json()["dossier_state"], approval.json()["decision_date"]) == ("approved", "2026-04-01")
    assert [e.kind for e in system_a.events.order_by("id")] == ["registered", "appraised", "approved"]


def test_coordinator_returns_an_approved_dossier(api_for, coordinator, system_a):
    approved(system_a)
    response = api_for(coordinator).post(_url(system_a, "return"), {"note": "Sai hồ sơ"}, format="json")
    assert response.status_code == 200
    assert (response.json()["dossier_state"], response.json()["decision_number"]) == ("proposed", "")


@pytest.mark.parametrize(
    ("setup", "action"),
    [("proposed", "approve"), ("proposed", "return"), ("appraised", "appraise"), ("approved", "approve")],
)
def test_illegal_move_is_409_and_changes_nothing(api_for, coordinator, manager, system_a, setup, action):
    {"proposed": lambda s: s, "appraised": appraised, "approved": approved}[setup](system_a)
    before, rows = _state(system_a), _rows()
    actor = manager if action == "approve" else coordinator  # the owner approves level 3 (NĐ85 Art. 12)

    response = api_for(actor).post(_url(system_a, action), {**DECISION, "note": "x"}, format="json")

    assert response.status_code == 409
    assert "detail" in response.json()
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize(
    ("action", "data", "missing"),
    [
        ("approve", {}, {"decision_number", "decision_date"}),
        ("approve", {"decision_number": "7/QĐ"}, {"decision_date"}),
        ("approve", {"decision_date": "2026-04-01"}, {"decision_number"}),
        ("approve", {"decision_number": "7/QĐ", "decision_date": "hôm nay"}, {"decision_date"}),
        ("return", {}, {"note"}),
    ],
)
def test_decisions_need_their_fields(api_for, coordinator, system_a, action, data, missing):
    appraised(system_a)
    before, rows = _state(system_a), _rows()

    response = api_for(coordinator).post(_url(system_a, action), data, format="json")

    assert response.status_code == 400
    assert set(response.json()) == missing
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize("persona", ["manager", "responder", "viewer", "national"])
@pytest.mark.parametrize("action", ["appraise", "approve", "return"])
def test_only_the_coordinator_decides(request, api_for, system_a, persona, action):
    if (persona, action) == ("manager", "approve"):
        pytest.skip("the owner approves a level-3 dossier itself (NĐ85 Art. 12; systems/tests/test_law.py)")
    client = api_for(request.getfixturevalue(persona))
    appraised(system_a)
    before, rows = _state(system_a), _rows()

    response = client.post(_url(system_a, action), {**DECISION, "note": "x"}, format="json")

    assert response.status_code == 403
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize("action", ["appraise", "approve", "return"])
def test_outsider_gets_404_on_decisions(api_for, outsider, system_a, action):
    before, rows = _state(system_a), _rows()
    response = api_for(outsider).post(_url(system_a, action), {**DECISION, "note": "x"}, format="json")
    assert response.status_code == 404
    assert (_state(system_a), _rows()) == (before, rows)


def test_members_see_children_reach_child_systems(api_for, db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    system = InformationSystemFactory(owner=commune)
    client = api_for(member(district, Membership.Role.MANAGER))

    assert _ids(client.get(SYSTEMS)) == {system.pk}
    assert client.patch(_url(system), {"purpose": "huyện sửa"}, format="json").status_code == 200


def test_format_suffix_routes_do_not_exist(api_for, coordinator, system_a):
    # The router publishes no /<action>.json variants (they used to answer 500); they are plain 404s.
    client = api_for(coordinator)
    for action in ("appraise", "approve", "return"):
        response = client.post(
            f"{SYSTEMS}{system_a.pk}/{action}.json", {**DECISION, "note": "x"}, format="json"
        )
        assert response.status_code == 404, action
    assert _state(system_a)["dossier_state"] == State.PROPOSED
