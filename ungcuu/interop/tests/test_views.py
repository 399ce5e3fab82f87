"""The intake log page: coordinators only (404 for everyone else), and never more than they may open."""

import pytest
from django.urls import reverse

from ungcuu.interop.models import InboundMessage

pytestmark = pytest.mark.django_db
URL = reverse("interop:inbound_list")


def test_the_coordinator_sees_each_message_with_its_outcome(client_for, coordinator, log):
    response = client_for(coordinator).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert log["ordinary"].reference in page and "Thay đổi giao diện Alpha" in page
    assert "bom@example.com" in page
    assert page.count('class="outcome-') == 4


def test_the_outcome_filter_narrows_the_list(client_for, coordinator, log):
    page = client_for(coordinator).get(URL, {"outcome": "quarantined"}).content.decode()

    assert "bom@example.com" in page and "Out of office" not in page


def test_a_coordinator_who_does_not_handle_a_confidential_incident_does_not_see_its_mail(
    client_for, log, specialised_unit
):
    from ungcuu.accounts.models import User
    from ungcuu.organizations.tests.factories import member

    other = member(
        specialised_unit, "manager", username="coordinator2", platform_role=User.PlatformRole.COORDINATOR
    )

    page = client_for(other).get(URL).content.decode()

    assert "Rò rỉ" not in page and log["secret"].reference not in page
    assert "Thay đổi giao diện Alpha" in page


@pytest.mark.parametrize("persona", ["viewer", "manager", "outsider", "national"])
def test_members_and_the_national_coordinator_are_told_it_is_not_there(client_for, log, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == 404
    assert b"bom@example.com" not in response.content


def test_signed_out_goes_to_login(client, log):
    response = client.get(URL)

    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_page_is_read_only(client_for, coordinator, log):
    assert client_for(coordinator).post(URL).status_code == 405
    assert InboundMessage.objects.count() == 4
