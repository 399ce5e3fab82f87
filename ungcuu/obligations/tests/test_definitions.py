"""Obligation definitions: seeded from the taxonomy, validated, edited by the coordinator only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ungcuu.core import taxonomy
from ungcuu.obligations import services
from ungcuu.obligations.models import ObligationDefinition
from ungcuu.obligations.seed import fill_missing_texts, seed_values

pytestmark = pytest.mark.django_db


def test_migration_seeded_every_dated_obligation_of_the_taxonomy(settings):
    entries = taxonomy.recurring_obligations()
    seeded = {d.code: d for d in ObligationDefinition.objects.all()}
    assert set(seeded) == {v["code"] for v in seed_values()}
    for code, definition in seeded.items():
        assert definition.title_en == entries[code]["en"]
        assert definition.title_vi == entries[code]["vi"] and definition.basis_vi == entries[code]["basis_vi"]
        wanted = entries[code].get("period_months") or settings.OBLIGATION_REVIEW_MONTHS.get(code)
        assert definition.period_months == wanted or definition.is_event_driven
        definition.full_clean()  # every seeded row passes the model's own rules
    # what the brief names, checked against the regulation's figures
    assert seeded["LIVE_FIRE_DRILL"].applies_to_systems and seeded["LIVE_FIRE_DRILL"].min_security_level == 3
    assert seeded["NETWORK_MEMBER_SUMMARY_FORM05"].fixed_dates == ["06-20", "12-15"]
    assert seeded["NETWORK_MEMBER_SUMMARY_FORM05"].applies_to_network_members
    assert seeded["STAFF_CHANGE_NOTICE"].is_event_driven and seeded["LEVEL_DOSSIER"].is_event_driven
    assert seeded["VULN_SCAN_THREAT_HUNT"].period_months == 6
    assert seeded["RESPONSE_SCENARIO"].lead_times == [30, 7, 1]
    assert seeded["RESPONSE_SCENARIO"].title_vi == entries["RESPONSE_SCENARIO"]["vi"]
    # DOMAIN.md §g duties with no interval are seeded at the province's review period (test_law.py);
    # the others with no date of any kind are left for the coordinator to schedule
    assert "PUBLISH_CONTACT_24x7" in seeded and "FOUR_LAYER_MODEL" not in seeded


def test_upgrade_fills_texts_the_taxonomy_gained_and_keeps_the_coordinators_edits():
    ObligationDefinition.objects.filter(code="LIVE_FIRE_DRILL").update(title_vi="", basis_vi="")
    ObligationDefinition.objects.filter(code="VULN_SCAN_THREAT_HUNT").update(title_vi="Rà quét (sửa)")

    assert fill_missing_texts(ObligationDefinition) == 1  # only the blanked one; the edited title stays

    entries = taxonomy.recurring_obligations()
    drill = ObligationDefinition.objects.get(code="LIVE_FIRE_DRILL")
    assert drill.title_vi == entries["LIVE_FIRE_DRILL"]["vi"] and drill.basis_vi
    assert ObligationDefinition.objects.get(code="VULN_SCAN_THREAT_HUNT").title_vi == "Rà quét (sửa)"
    assert fill_missing_texts(ObligationDefinition) == 0


def _definition(**fields):
    values = {"code": "TEST_DUTY", "title_vi": "Nghĩa vụ thử", "applies_to_kinds": ["IS_OPERATOR"],
              "evidence_kinds": ["file"], **fields}  # fmt: skip
    return ObligationDefinition(**values)


def test_obligation_without_period_date_or_event_is_refused():
    with pytest.raises(ValidationError) as error:
        _definition().full_clean()
    assert "period_months" in error.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period_months": 12, "fixed_dates": ["13-01"]}, "fixed_dates"),
        ({"period_months": 12, "fixed_dates": ["02-30"]}, "fixed_dates"),
        ({"period_months": 12, "lead_times": [0]}, "lead_times"),
        ({"period_months": 12, "evidence_kinds": []}, "evidence_kinds"),
        ({"period_months": 12, "evidence_kinds": ["rumour"]}, "evidence_kinds"),
        ({"period_months": 12, "applies_to_kinds": []}, "applies_to_kinds"),
        ({"period_months": 12, "applies_to_kinds": ["MARTIANS"]}, "applies_to_kinds"),
        ({"period_months": 12, "is_event_driven": True}, "is_event_driven"),
        ({"period_months": 12, "title_vi": ""}, "title_vi"),
    ],
)
def test_bad_definitions_are_refused_with_a_field_message(fields, field):
    with pytest.raises(ValidationError) as error:
        _definition(**fields).full_clean()
    assert field in error.value.message_dict


def test_fixed_dates_or_event_alone_are_enough():
    _definition(fixed_dates=["06-20", "12-15"]).full_clean()
    _definition(is_event_driven=True).full_clean()


def test_everyone_reads_the_definitions(client_for, viewer, outsider):
    for user in (viewer, outsider):
        page = client_for(user).get(reverse("obligations:definitions"))
        assert page.status_code == 200 and "Live-fire cyber drill" in page.content.decode()
        assert "?edit=" not in page.content.decode()


def test_coordinator_adds_an_obligation(client_for, coordinator):
    data = {"editing": "new", "code": "annual_audit", "title_vi": "Kiểm tra định kỳ", "period_months": "12",
            "applies_to_kinds": ["IS_OPERATOR"], "evidence_kinds": ["file", "link"], "lead_times": "14, 3",
            "min_security_level": "1", "event_due_days": "30", "active": "on"}  # fmt: skip
    response = client_for(coordinator).post(reverse("obligations:definitions"), data)
    assert response.status_code == 302
    created = ObligationDefinition.objects.get(code="ANNUAL_AUDIT")
    assert created.lead_times == [14, 3] and created.evidence_kinds == ["file", "link"]


def test_coordinator_form_refuses_an_undated_obligation_and_saves_nothing(client_for, coordinator):
    data = {"editing": "new", "code": "NEVER_DUE", "title_vi": "Không bao giờ",
            "applies_to_kinds": ["POLICE"], "evidence_kinds": ["file"], "lead_times": "7",
            "min_security_level": "1", "event_due_days": "30"}  # fmt: skip
    response = client_for(coordinator).post(reverse("obligations:definitions"), data)
    assert response.status_code == 400
    assert "Give a period, fixed due dates" in response.content.decode()
    assert not ObligationDefinition.objects.filter(code="NEVER_DUE").exists()


def test_coordinator_edits_lead_times_but_not_the_code(client_for, coordinator):
    url = reverse("obligations:definitions")
    form = client_for(coordinator).get(url, {"edit": "LIVE_FIRE_DRILL"})
    assert form.status_code == 200 and "30, 7, 1" in form.content.decode()
    data = {"editing": "LIVE_FIRE_DRILL", "code": "HACKED", "title_vi": "Diễn tập thực chiến",
            "title_en": "Live-fire cyber drill", "period_months": "12", "applies_to_systems": "on",
            "min_security_level": "3", "evidence_kinds": ["drill", "file"], "lead_times": "60, 14",
            "event_due_days": "30", "active": "on"}  # fmt: skip
    assert client_for(coordinator).post(url, data).status_code == 302
    drill = ObligationDefinition.objects.get(code="LIVE_FIRE_DRILL")
    assert drill.lead_times == [60, 14] and not ObligationDefinition.objects.filter(code="HACKED").exists()


@pytest.mark.parametrize("persona", ["viewer", "manager", "outsider"])
def test_members_may_not_edit_definitions(client_for, request, persona):
    user = request.getfixturevalue(persona)
    url = reverse("obligations:definitions")
    before = list(ObligationDefinition.objects.values_list("code", "lead_times"))
    assert client_for(user).get(url, {"edit": "LIVE_FIRE_DRILL"}).status_code == 403
    data = {"editing": "LIVE_FIRE_DRILL", "lead_times": "1", "period_months": "12"}
    assert client_for(user).post(url, data).status_code == 403
    assert client_for(user).post(url, {}).status_code == 403
    assert list(ObligationDefinition.objects.values_list("code", "lead_times")) == before


def test_unknown_definition_is_404_for_the_coordinator(client_for, coordinator):
    response = client_for(coordinator).get(reverse("obligations:definitions"), {"edit": "NOPE"})
    assert response.status_code == 404


def test_save_definition_service_checks_the_actor(manager):
    with pytest.raises(Exception) as error:
        services.save_definition(actor=manager, definition=_definition(period_months=12))
    assert error.type.__name__ == "PermissionDenied"


def test_fixed_dates_are_typed_and_shown_day_first_like_every_date(coordinator, client_for):
    from ungcuu.obligations.forms import DefinitionForm

    form = DefinitionForm(instance=ObligationDefinition.objects.get(code="NETWORK_MEMBER_SUMMARY_FORM05"))
    assert form.initial["fixed_dates"] == "20/06, 15/12"
    form = DefinitionForm(data={"fixed_dates": "15/12, 20/6, 06-20"})
    form.is_valid()
    assert form.cleaned_data["fixed_dates"] == ["06-20", "12-15"]
    page = client_for(coordinator).get("/obligations/definitions/").content.decode()
    assert "20/06, 15/12" in page and "06-20" not in page
