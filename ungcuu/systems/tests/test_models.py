import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory
from ungcuu.systems.models import InformationSystem, SoftwareProduct
from ungcuu.systems.tests.factories import InformationSystemFactory

State = InformationSystem.DossierState


@pytest.mark.parametrize(
    ("start", "target", "legal"),
    [
        (State.PROPOSED, State.APPRAISED, True),
        (State.PROPOSED, State.APPROVED, False),
        (State.PROPOSED, State.PROPOSED, False),
        (State.APPRAISED, State.APPROVED, True),
        (State.APPRAISED, State.PROPOSED, True),
        (State.APPRAISED, State.APPRAISED, False),
        (State.APPROVED, State.PROPOSED, True),
        (State.APPROVED, State.APPRAISED, False),
        (State.APPROVED, State.APPROVED, False),
    ],
)
def test_transition_table(start, target, legal):
    assert InformationSystem(dossier_state=start).can_transition_to(target) is legal


def test_search_text_folds_name_purpose_and_domains(system_a):
    assert system_a.search_text == "cong thong tin dien tu alpha alpha.example.gov.vn"


@pytest.mark.parametrize("query", ["cong thong tin", "điện tử", "DIEN TU", "alpha.example"])
def test_search_ignores_diacritics(system_a, system_b, query):
    assert list(InformationSystem.objects.search(query)) == [system_a]


def test_database_refuses_a_level_outside_one_to_five(system_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSystem.objects.filter(pk=system_a.pk).update(security_level=7)


def test_database_refuses_an_approved_dossier_without_decision(system_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationSystem.objects.filter(pk=system_a.pk).update(dossier_state=State.APPROVED)


def test_level_authority_comes_from_the_taxonomy(system_a):
    assert set(system_a.level_authority) == {"appraisal_by", "approval_by"}
    assert system_a.level_authority["approval_by"]


def test_level_four_five_or_critical():
    assert InformationSystem(security_level=4).is_level_4_5_or_critical
    assert InformationSystem(security_level=2, is_critical_national=True).is_level_4_5_or_critical
    assert not InformationSystem(security_level=3).is_level_4_5_or_critical


def test_visible_through_owner_or_operator(org_a, org_b, viewer, outsider):
    province = OrganizationFactory(kind=Kind.PROVINCE_PC)
    operated = InformationSystemFactory(owner=province, operator=org_a)
    owned = InformationSystemFactory(owner=org_a, operator=org_b)

    assert set(InformationSystem.objects.visible_to(viewer)) == {operated, owned}
    assert set(InformationSystem.objects.visible_to(outsider)) == {owned}


def test_province_wide_users_see_every_system(coordinator, national, system_a, system_b):
    for user in (coordinator, national):
        assert set(InformationSystem.objects.visible_to(user)) == {system_a, system_b}


def test_software_reads_as_vendor_product_version():
    assert str(SoftwareProduct(vendor="Microsoft", product="IIS", version="10.0")) == "Microsoft IIS 10.0"
    assert str(SoftwareProduct(product="nginx")) == "nginx"


def test_services_and_controls_display_their_labels_and_keep_unknown_values():
    system = InformationSystem(services=["web", "ftp"], controls=["ids"])
    with translation.override("en"):
        assert system.services_display == ["Web", "ftp"]
        assert system.controls_display == ["IDS/IPS"]
