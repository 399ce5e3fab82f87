"""Level dossier authority by level (issue 13 point 9; DOMAIN.md §b, NĐ85 Art. 12)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ungcuu.systems import services
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.tests.factories import approver_for

DECISION = {"decision_number": "45/QĐ-UBND", "decision_date": datetime.date(2026, 2, 1)}
pytestmark = pytest.mark.django_db


def _approved(system, coordinator, level):
    system.security_level = level
    system.save(update_fields=["security_level"])
    system = services.appraise_dossier(actor=coordinator, system=system, note="Văn bản 12/BKHCN")
    return services.approve_level(actor=approver_for(system), system=system, **DECISION)


@pytest.mark.parametrize(
    ("level", "appraiser", "approver"),
    [
        (2, "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ"),
        (3, "Sở Khoa học và Công nghệ", "Sở Thử nghiệm Alpha"),
        (4, "Bộ Khoa học và Công nghệ", "Sở Thử nghiệm Alpha"),
        (5, "Bộ Khoa học và Công nghệ", "Thủ tướng Chính phủ"),
    ],
)
def test_level_dossier_is_appraised_and_approved_by_the_bodies_nd85_art_12_names_for_the_level(
    system_a, coordinator, settings, level, appraiser, approver
):
    settings.LANGUAGE_CODE = "vi"
    system = _approved(system_a, coordinator, level)
    assert (system.appraised_by, system.approved_by) == (appraiser, approver)
    assert system.events.filter(kind="approved").get().data["by"] == approver


def test_owner_records_its_own_approval_of_a_level_3_system_nd85_art_12(system_a, coordinator, manager):
    system = services.appraise_dossier(actor=coordinator, system=system_a, note="Đạt")
    system = services.approve_level(actor=manager, system=system, **DECISION)
    assert system.approved_by == system_a.owner.name


def test_owner_may_not_approve_a_level_2_system_its_security_unit_approves_nd85_art_12(
    system_a, coordinator, manager
):
    system_a.security_level = 2
    system_a.save(update_fields=["security_level"])
    system = services.appraise_dossier(actor=coordinator, system=system_a)
    with pytest.raises(PermissionDenied):
        services.approve_level(actor=manager, system=system, **DECISION)


def _at_level(system, coordinator, level):
    system.security_level = level
    system.save(update_fields=["security_level"])
    return services.appraise_dossier(actor=coordinator, system=system, note="Văn bản 12/BKHCN")


@pytest.mark.parametrize("level", [3, 4, 5])
def test_specialised_unit_may_not_approve_a_level_its_owner_or_the_government_approves_nd85_art_12(
    system_a, coordinator, level
):
    system = _at_level(system_a, coordinator, level)
    with translation.override("vi"), pytest.raises(PermissionDenied) as refused:
        services.approve_level(actor=coordinator, system=system, **DECISION)
    assert "phê duyệt" in str(refused.value)
    assert InformationSystem.objects.get(pk=system.pk).dossier_state == "appraised"


def test_ministry_appraisal_of_a_level_4_system_is_recorded_only_with_its_document_nd85_art_12(
    system_a, coordinator
):
    system_a.security_level = 4
    system_a.save(update_fields=["security_level"])
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.appraise_dossier(actor=coordinator, system=system_a, note=" ")
    assert "văn bản thẩm định" in refused.value.message_dict["note"][0]
    assert InformationSystem.objects.get(pk=system_a.pk).dossier_state == "proposed"


def test_refused_approval_shows_the_competent_body_in_vietnamese_page_and_api_nd85_art_12(
    system_a, coordinator, client_for, api_for
):
    system = _at_level(system_a, coordinator, 3)
    client = client_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(f"/systems/{system.pk}/").content.decode()
    assert 'id="approval-authority"' in page and 'id="approve-form"' not in page
    response = client.post(
        f"/systems/{system.pk}/approve/",
        {"decision_number": "1/QĐ", "decision_date": "2026-01-01"},
    )
    assert response.status_code == 403
    assert "chủ quản hệ thống" in response.content.decode()
    api = api_for(coordinator).post(f"/api/v1/systems/{system.pk}/approve/", DECISION, format="json")
    assert api.status_code == 403 and "Level 3" in api.json()["detail"]
    assert InformationSystem.objects.get(pk=system.pk).dossier_state == "appraised"
