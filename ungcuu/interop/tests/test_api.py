"""Issue 16 part 5: the inbound mail log through the API, under its page's gate: coordinators read it
(less mail about a confidential incident they do not handle), everyone else is told it is not there."""

import pytest

from ungcuu.accounts.models import User
from ungcuu.organizations.tests.factories import member

pytestmark = pytest.mark.django_db
URL = "/api/v1/inbound-messages/"


def test_the_coordinator_reads_the_log_with_each_outcome(api_for, coordinator, log):
    response = api_for(coordinator, scopes=["read"]).get(URL)

    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert len(rows) == 4 and {r["outcome"] for r in rows} == {
        "created",
        "threaded",
        "ignored",
        "quarantined",
    }
    created = next(r for r in rows if r["outcome"] == "created")
    assert created["incident_reference"] == log["ordinary"].reference
    held = next(r for r in rows if r["outcome"] == "quarantined")
    assert (held["sender"], held["reason"], held["awaits_decision"]) == (
        "bom@example.com",
        "rate_limited",
        True,
    )
    one = api_for(coordinator).get(f"{URL}{held['id']}/")
    assert one.status_code == 200 and one.json() == held


def test_the_outcome_filter_and_its_refusals(api_for, coordinator, log):
    client = api_for(coordinator)
    held = client.get(URL, {"outcome": "quarantined"}).json()["results"]
    assert [r["sender"] for r in held] == ["bom@example.com"]
    assert "outcome" in client.get(URL, {"outcome": "lost"}).json()  # the page ignores it; the API says so
    unknown = client.get(URL, {"sender": "bom@example.com"})
    assert unknown.status_code == 400 and "sender" in unknown.json()


def test_a_coordinator_who_does_not_handle_a_confidential_incident_does_not_see_its_mail(
    api_for,
    log,
    specialised_unit,
):
    other = member(
        specialised_unit, "manager", username="coordinator2", platform_role=User.PlatformRole.COORDINATOR
    )
    client = api_for(other)
    rows = client.get(URL).json()["results"]
    assert "Rò rỉ" not in str(rows) and len(rows) == 3
    secret = log["secret"].inbound_messages.get()
    assert client.get(f"{URL}{secret.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "manager", "outsider", "national"])
def test_members_and_the_national_coordinator_are_told_it_is_not_there(
    api_for,
    log,
    persona,
    request,
):
    client = api_for(request.getfixturevalue(persona))
    for answer in (client.get(URL), client.get(URL, {"sender": "x"})):
        assert answer.status_code == 404 and b"bom@example.com" not in answer.content


def test_a_token_without_read_is_403_and_the_log_is_read_only(api_for, coordinator, log):
    narrow = api_for(coordinator, scopes=["report"]).get(URL)
    assert narrow.status_code == 403 and "read" in narrow.json()["detail"]
    assert api_for(coordinator).post(URL, {}).status_code == 405
