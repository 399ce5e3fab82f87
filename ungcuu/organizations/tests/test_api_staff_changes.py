"""Issue 16 part 5: the staff-change history of the organization page through the API: everyone who sees
the organization reads it (as the page), an outsider is told it is not there (404)."""

import pytest

from ungcuu.organizations import services

pytestmark = pytest.mark.django_db


def url(org) -> str:
    return f"/api/v1/organizations/{org.pk}/staff-changes/"


@pytest.fixture
def history(manager, org_a):
    focal = services.add_focal_point(
        actor=manager, organization=org_a, full_name="Đỗ Văn Mới", email="moi@example.vn", duty="response"
    )
    services.update_focal_point(actor=manager, focal_point=focal, mobile="0912 345 678", title="Trưởng phòng")
    services.deactivate_focal_point(actor=manager, focal_point=focal)
    return focal


def test_the_units_viewer_reads_the_history_newest_first(api_for, viewer, manager, org_a, history):
    response = api_for(viewer, scopes=["read"]).get(url(org_a))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    rows = body["results"]
    assert [r["change"] for r in rows] == ["deactivated", "updated", "added"]
    assert {r["focal_point"] for r in rows} == {history.pk} and rows[0]["focal_point_name"] == "Đỗ Văn Mới"
    assert sorted(rows[1]["changed_fields"]) == ["mobile", "title"]  # which fields, not their values
    assert rows[2]["actor"] == str(manager) and "0912" not in response.content.decode()


def test_the_history_pages_like_the_lists(api_for, coordinator, org_a, history):
    client = api_for(coordinator)
    assert client.get(url(org_a), {"page": 1}).json()["count"] == 3
    assert client.get(url(org_a), {"page": 2}).status_code == 404  # past the last page, as the lists
    assert client.get(url(org_a), {"page": 0}).status_code == 400


def test_an_outsider_is_told_it_is_not_there(api_for, outsider, org_a, history):
    response = api_for(outsider).get(url(org_a))
    assert response.status_code == 404 and "Đỗ Văn Mới" not in response.content.decode()
    assert api_for(outsider).get(url(org_a), {"what": 1}).status_code == 404  # the object answers first


def test_unknown_parameters_and_a_token_without_read(api_for, viewer, org_a, history):
    unknown = api_for(viewer).get(url(org_a), {"change": "added"})
    assert unknown.status_code == 400 and "change" in unknown.json()
    narrow = api_for(viewer, scopes=["report"]).get(url(org_a))
    assert narrow.status_code == 403 and "read" in narrow.json()["detail"]
    assert api_for(viewer).post(url(org_a)).status_code == 405
