from django.urls import reverse

from ungcuu.home.views import registry_figures
from ungcuu.systems.tests.factories import InformationSystemFactory, approved


def _levels(figures) -> dict[int, int]:
    return dict(figures["levels"])


def test_outsider_counts_only_org_b(org_a, org_b, outsider, system_a, system_b):
    figures = registry_figures(outsider)
    assert figures["system_count"] == 1
    assert figures["organization_count"] == 1
    assert _levels(figures) == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0}


def test_member_counts_by_level_and_pending(org_a, viewer, system_a):
    InformationSystemFactory(owner=org_a, security_level=3)
    approved(InformationSystemFactory(owner=org_a, security_level=5, is_critical_national=True))
    InformationSystemFactory(owner=org_a, security_level=1, is_active=False)

    figures = registry_figures(viewer)

    assert _levels(figures) == {1: 0, 2: 0, 3: 2, 4: 0, 5: 1}
    assert figures["system_count"] == 3
    assert figures["pending_count"] == 2
    assert figures["critical_count"] == 1


def test_coordinator_and_national_count_the_whole_province(coordinator, national, system_a, system_b):
    for user in (coordinator, national):
        assert _levels(registry_figures(user)) == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0}


def test_home_page_shows_only_the_outsiders_figures(client_for, outsider, system_a, system_b):
    response = client_for(outsider).get(reverse("core:home"))

    assert response.status_code == 200
    assert _levels(response.context["figures"]) == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0}
    assert "Beta" in response.text
    assert "Alpha" not in response.text


def test_home_page_lists_pending_dossiers_of_own_unit(client_for, viewer, system_a, system_b):
    response = client_for(viewer).get(reverse("core:home"))

    assert list(response.context["figures"]["pending"]) == [system_a]
    assert system_a.name in response.text


def test_home_page_needs_a_login(client_for):
    response = client_for().get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
