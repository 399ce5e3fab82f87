import pytest
from django.urls import reverse

from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, member
from ungcuu.systems.models import InformationSystem, SoftwareProduct, SystemEvent
from ungcuu.systems.tests.factories import InformationSystemFactory, appraised, approved

State = InformationSystem.DossierState


def system_form(org, **overrides) -> dict:
    data = {
        "name": "Hệ thống thư điện tử công vụ",
        "owner": org.pk,
        "operator": org.pk,
        "system_type": InformationSystem.SystemType.INTERNAL,
        "security_level": "2",
        "hosting": InformationSystem.Hosting.PROVINCIAL_DC,
        "is_active": "on",
        "services": ["mail", "web"],
        "public_ips": "203.0.113.20\n203.0.113.0/29",
        "domains": "Mail.Example.gov.vn",
        "software_text": "Zimbra; Collaboration; 10.0\nnginx",
    }
    data.update(overrides)
    return data


def _rows():
    return InformationSystem.objects.count(), SystemEvent.objects.count(), SoftwareProduct.objects.count()


def _state(system) -> dict:
    return InformationSystem.objects.filter(pk=system.pk).values().get()


def _listed(response) -> list[str]:
    return [s.name for s in response.context["page"]]


# --- list, search, filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["cong thong tin", "Cổng thông tin", "CONG THONG TIN DIEN TU", "dien tu", "điện", "alpha.example"],
)
def test_search_ignores_diacritics(client_for, viewer, org_a, system_a, query):
    InformationSystemFactory(owner=org_a, name="Hệ thống quản lý văn bản")

    response = client_for(viewer).get(reverse("systems:list"), {"q": query})

    assert _listed(response) == ["Cổng thông tin điện tử Alpha"]


def test_search_answers_htmx_with_the_table_fragment(client_for, viewer, system_a):
    response = client_for(viewer).get(reverse("systems:list"), {"q": "cong"}, headers={"hx-request": "true"})

    assert response.templates[0].name == "systems/_table.html"
    assert system_a.name in response.text
    assert "<html" not in response.text


def test_filter_by_level(client_for, coordinator, system_a, system_b):
    response = client_for(coordinator).get(reverse("systems:list"), {"level": "3"})
    assert _listed(response) == [system_a.name]


def test_filter_by_dossier_state(client_for, coordinator, system_a, system_b):
    appraised(system_b)
    client = client_for(coordinator)
    assert _listed(client.get(reverse("systems:list"), {"state": State.APPRAISED})) == [system_b.name]
    assert _listed(client.get(reverse("systems:list"), {"state": State.PROPOSED})) == [system_a.name]


def test_filter_by_organization_matches_owner_or_operator(
    client_for, coordinator, org_a, org_b, system_a, system_b
):
    run_for_a = InformationSystemFactory(owner=org_b, operator=org_a, name="Vận hành hộ")

    response = client_for(coordinator).get(reverse("systems:list"), {"organization": org_a.pk})

    assert sorted(_listed(response)) == sorted([system_a.name, run_for_a.name])


def test_filters_combine(client_for, coordinator, org_a, system_a):
    InformationSystemFactory(owner=org_a, name="Cổng dịch vụ công", security_level=2)
    response = client_for(coordinator).get(
        reverse("systems:list"),
        {"q": "cong", "level": "3", "organization": org_a.pk, "state": State.PROPOSED},
    )
    assert _listed(response) == [system_a.name]


def test_list_shows_only_visible_systems(client_for, outsider, system_a, system_b):
    response = client_for(outsider).get(reverse("systems:list"))
    assert _listed(response) == [system_b.name]
    assert "Alpha" not in response.text


def test_outsider_cannot_filter_by_a_hidden_organization(client_for, outsider, org_a, system_a, system_b):
    response = client_for(outsider).get(reverse("systems:list"), {"organization": org_a.pk})

    assert "organization" in response.context["filters"].errors
    assert _listed(response) == [system_b.name]
    assert "Alpha" not in response.text


# --- detail -----------------------------------------------------------------------------------------


def test_detail_shows_profile_and_history(client_for, viewer, system_a):
    response = client_for(viewer).get(reverse("systems:detail", args=[system_a.pk]))

    assert response.status_code == 200
    assert "alpha.example.gov.vn" in response.text
    assert [e.kind for e in response.context["events"]] == [SystemEvent.Kind.REGISTERED]
    assert (response.context["can_edit"], response.context["can_decide"]) == (False, False)
    assert 'id="appraise-form"' not in response.text


def test_detail_offers_the_decision_to_the_coordinator_only(client_for, coordinator, manager, system_a):
    assert (
        'id="appraise-form"'
        in client_for(coordinator).get(reverse("systems:detail", args=[system_a.pk])).text
    )
    manager_page = client_for(manager).get(reverse("systems:detail", args=[system_a.pk]))
    assert manager_page.context["can_edit"] is True
    assert 'id="appraise-form"' not in manager_page.text


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "systems:detail"),
        ("get", "systems:edit"),
        ("post", "systems:edit"),
        ("post", "systems:appraise"),
        ("post", "systems:approve"),
        ("post", "systems:return"),
    ],
)
def test_outsider_gets_404_and_nothing_changes(client_for, outsider, org_b, system_a, method, name):
    before, rows = _state(system_a), _rows()
    response = getattr(client_for(outsider), method)(
        reverse(name, args=[system_a.pk]),
        {
            **system_form(org_b, security_level="5"),
            "note": "x",
            "decision_number": "1",
            "decision_date": "2026-01-01",
        },
    )
    assert response.status_code == 404
    assert (_state(system_a), _rows()) == (before, rows)


# --- register and edit ------------------------------------------------------------------------------


def test_manager_registers_a_system(client_for, manager, org_a, focal_a):
    response = client_for(manager).post(reverse("systems:create"), system_form(org_a, contacts=[focal_a.pk]))

    system = InformationSystem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("systems:detail", args=[system.pk])
    assert system.dossier_state == State.PROPOSED
    assert system.public_ips == ["203.0.113.20", "203.0.113.0/29"]
    assert system.domains == ["mail.example.gov.vn"]
    assert system.services == ["mail", "web"]
    assert [str(s) for s in system.software.order_by("id")] == ["Zimbra Collaboration 10.0", "nginx"]
    assert list(system.contacts.all()) == [focal_a]
    assert system.events.get().kind == SystemEvent.Kind.REGISTERED


def test_register_form_offers_only_organizations_the_user_manages(client_for, manager, org_a, org_b):
    form = client_for(manager).get(reverse("systems:create")).context["form"]
    assert list(form.fields["operator"].queryset) == [org_a]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("security_level", {"security_level": "7"}),
        ("security_level", {"security_level": ""}),
        ("public_ips", {"public_ips": "203.0.113.20\n999.1.1.1"}),
        ("domains", {"domains": "ok.example.vn\nbad_domain..vn"}),
        ("software_text", {"software_text": "a; b; c; d"}),
        ("services", {"services": ["telnet"]}),
        ("operator", {"operator": "999999"}),
        ("name", {"name": ""}),
    ],
)
def test_bad_input_is_shown_again_and_nothing_is_written(client_for, manager, org_a, field, overrides):
    before = _rows()

    response = client_for(manager).post(reverse("systems:create"), system_form(org_a, **overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _rows() == before


def test_error_messages_name_the_bad_items(client_for, manager, org_a):
    response = client_for(manager).post(
        reverse("systems:create"), system_form(org_a, public_ips="999.1.1.1", domains="bad_domain..vn")
    )
    errors = response.context["form"].errors
    assert "999.1.1.1" in errors["public_ips"][0]
    assert "bad_domain..vn" in errors["domains"][0]


def test_outsider_cannot_register_for_org_a(client_for, outsider, org_a):
    before = _rows()
    response = client_for(outsider).post(reverse("systems:create"), system_form(org_a))
    assert response.status_code == 400
    assert {"owner", "operator"} <= set(response.context["form"].errors)
    assert _rows() == before


def test_changing_the_level_in_the_form_restarts_the_dossier(client_for, manager, org_a, system_a):
    approved(system_a)

    response = client_for(manager).post(
        reverse("systems:edit", args=[system_a.pk]),
        system_form(org_a, name=system_a.name, security_level="4"),
    )

    assert response.status_code == 302
    stored = _state(system_a)
    assert (stored["security_level"], stored["dossier_state"], stored["decision_number"]) == (
        4,
        State.PROPOSED,
        "",
    )
    assert system_a.events.first().kind == SystemEvent.Kind.LEVEL_CHANGED


def test_edit_form_shows_current_lists_as_lines(client_for, manager, system_a):
    form = client_for(manager).get(reverse("systems:edit", args=[system_a.pk])).context["form"]
    assert form.initial["domains"] == "alpha.example.gov.vn"
    assert form.initial["public_ips"] == "203.0.113.10"


def test_invalid_edit_changes_nothing(client_for, manager, org_a, system_a):
    before, rows = _state(system_a), _rows()
    response = client_for(manager).post(
        reverse("systems:edit", args=[system_a.pk]), system_form(org_a, security_level="7", name="Đổi tên")
    )
    assert response.status_code == 400
    assert (_state(system_a), _rows()) == (before, rows)


def test_owner_manager_saves_a_system_another_unit_operates(client_for, manager, org_a, org_b):
    # can_edit_system lets the owner's manager edit, but the form only offers operators that the editor
    # manages, so the system's own operator is "not one of the available choices" and nothing saves.
    system = InformationSystemFactory(owner=org_a, operator=org_b, name="Hệ thống dùng chung")

    response = client_for(manager).post(
        reverse("systems:edit", args=[system.pk]),
        system_form(org_a, name=system.name, operator=org_b.pk, purpose="chủ quản cập nhật"),
    )

    assert response.status_code == 302, response.context["form"].errors
    assert (_state(system)["purpose"], _state(system)["operator_id"]) == ("chủ quản cập nhật", org_b.pk)


def test_operator_manager_saves_a_system_another_unit_owns(client_for, outsider, org_a, org_b):
    # The mirror case: the owner is offered only if the editor sees it or it is a provincial PC.
    system = InformationSystemFactory(owner=org_a, operator=org_b, name="Hệ thống dùng chung")

    response = client_for(outsider).post(
        reverse("systems:edit", args=[system.pk]),
        system_form(org_b, name=system.name, owner=org_a.pk, purpose="đơn vị vận hành cập nhật"),
    )

    assert response.status_code == 302, response.context["form"].errors
    assert (_state(system)["purpose"], _state(system)["owner_id"]) == ("đơn vị vận hành cập nhật", org_a.pk)


@pytest.mark.parametrize("persona", ["viewer", "responder", "national"])
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "systems:edit"),
        ("post", "systems:edit"),
        ("get", "systems:create"),
        ("post", "systems:create"),
    ],
)
def test_read_only_users_get_403_and_nothing_changes(
    request, client_for, org_a, system_a, persona, method, name
):
    client = client_for(request.getfixturevalue(persona))
    args = [system_a.pk] if name == "systems:edit" else []
    before, rows = _state(system_a), _rows()

    response = getattr(client, method)(reverse(name, args=args), system_form(org_a, security_level="5"))

    assert response.status_code == 403
    assert (_state(system_a), _rows()) == (before, rows)


def test_national_coordinator_reads_every_system(client_for, national, system_a, system_b):
    client = client_for(national)
    assert client.get(reverse("systems:detail", args=[system_a.pk])).status_code == 200
    assert sorted(_listed(client.get(reverse("systems:list")))) == sorted([system_a.name, system_b.name])


def test_members_see_children_opens_child_systems(client_for, db):
    district = OrganizationFactory(kind=Kind.DISTRICT_FOCAL, members_see_children=True)
    commune = OrganizationFactory(kind=Kind.COMMUNE, parent=district)
    system = InformationSystemFactory(owner=commune, name="Một cửa xã Thử")
    client = client_for(member(district, Membership.Role.VIEWER))

    assert _listed(client.get(reverse("systems:list"))) == [system.name]
    assert client.get(reverse("systems:detail", args=[system.pk])).status_code == 200
    assert client.get(reverse("systems:edit", args=[system.pk])).status_code == 403


# --- dossier decisions ------------------------------------------------------------------------------


def test_coordinator_appraises_then_the_owner_approves_level_3(client_for, coordinator, manager, system_a):
    client = client_for(manager)  # NĐ85 Art. 12: the owner approves a level-3 dossier

    first = client_for(coordinator).post(reverse("systems:appraise", args=[system_a.pk]), {"note": "Đạt"})
    second = client.post(
        reverse("systems:approve", args=[system_a.pk]),
        {"decision_number": "12/QĐ-UBND", "decision_date": "2026-03-01"},
    )

    assert (first.status_code, second.status_code) == (302, 302)
    stored = _state(system_a)
    assert (stored["dossier_state"], stored["decision_number"]) == (State.APPROVED, "12/QĐ-UBND")
    page = client.get(reverse("systems:detail", args=[system_a.pk]))
    assert "12/QĐ-UBND" in page.text


def test_coordinator_returns_a_dossier(client_for, coordinator, system_a):
    appraised(system_a)
    client_for(coordinator).post(reverse("systems:return", args=[system_a.pk]), {"note": "Bổ sung"})
    assert _state(system_a)["dossier_state"] == State.PROPOSED


@pytest.mark.parametrize("persona", ["manager", "responder", "viewer", "national"])
@pytest.mark.parametrize("name", ["systems:appraise", "systems:approve", "systems:return"])
def test_only_the_coordinator_decides(request, client_for, system_a, persona, name):
    if (persona, name) == ("manager", "systems:approve"):
        pytest.skip("the owner approves a level-3 dossier itself (NĐ85 Art. 12; systems/tests/test_law.py)")
    client = client_for(request.getfixturevalue(persona))
    appraised(system_a)
    before, rows = _state(system_a), _rows()

    response = client.post(
        reverse(name, args=[system_a.pk]),
        {"note": "x", "decision_number": "1/QĐ", "decision_date": "2026-01-01"},
    )

    assert response.status_code == 403
    assert (_state(system_a), _rows()) == (before, rows)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision_number": "12/QĐ"},
        {"decision_date": "2026-03-01"},
        {"decision_number": "  ", "decision_date": "2026-03-01"},
        {"decision_number": "12/QĐ", "decision_date": "2026-13-45"},
    ],
)
def test_approval_without_a_full_decision_keeps_the_dossier(client_for, manager, system_a, data):
    appraised(system_a)
    before, rows = _state(system_a), _rows()
    client = client_for(manager)

    response = client.post(reverse("systems:approve", args=[system_a.pk]), data)

    assert response.status_code == 400  # issue 12: was a 302 back to the page, like no other app
    assert (_state(system_a), _rows()) == (before, rows)
    messages = [str(m) for m in response.context["messages"]]
    assert any("correct the dossier decision" in m for m in messages)


def test_illegal_move_from_the_page_is_reported_and_changes_nothing(client_for, manager, system_a):
    before, rows = _state(system_a), _rows()
    client = client_for(manager)

    response = client.post(
        reverse("systems:approve", args=[system_a.pk]),
        {"decision_number": "1/QĐ", "decision_date": "2026-01-01"},
    )

    assert response.status_code == 409  # issue 12: was a 302 back to the page, like no other app
    assert (_state(system_a), _rows()) == (before, rows)
    messages = [str(m) for m in response.context["messages"]]
    assert any("cannot become" in m for m in messages)


@pytest.mark.parametrize("name", ["systems:appraise", "systems:approve", "systems:return"])
def test_decisions_are_post_only(client_for, coordinator, system_a, name):
    assert client_for(coordinator).get(reverse(name, args=[system_a.pk])).status_code == 405
