"""Level dossier authority by level (issue 13 point 9; DOMAIN.md §b, NĐ85 Art. 12)."""

import datetime

import pytest

from ungcuu.systems import services

DECISION = {"decision_number": "45/QĐ-UBND", "decision_date": datetime.date(2026, 2, 1)}
pytestmark = pytest.mark.django_db


def _approved(system, coordinator, level):
    system.security_level = level
    system.save(update_fields=["security_level"])
    system = services.appraise_dossier(actor=coordinator, system=system)
    return services.approve_level(actor=coordinator, system=system, **DECISION)


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
    system = services.appraise_dossier(actor=coordinator, system=system_a)
    system = services.approve_level(actor=manager, system=system, **DECISION)
    assert system.approved_by == system_a.owner.name


def test_owner_may_not_approve_a_level_2_system_its_security_unit_approves_nd85_art_12(
    system_a, coordinator, manager
):
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415

    system_a.security_level = 2
    system_a.save(update_fields=["security_level"])
    system = services.appraise_dossier(actor=coordinator, system=system_a)
    with pytest.raises(PermissionDenied):
        services.approve_level(actor=manager, system=system, **DECISION)
