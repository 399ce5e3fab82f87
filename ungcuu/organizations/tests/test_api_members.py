"""Issue 16 part 5: an organization's members through the API, as on its page (managers and
coordinators only; outsider 404, viewer and national 403)."""

import pytest

from ungcuu.accounts.models import User
from ungcuu.organizations.models import Membership

pytestmark = pytest.mark.django_db


def members(org, tail=""):
    return f"/api/v1/organizations/{org.pk}/members/{tail}"


def test_manager_lists_adds_and_removes_members(api_for, manager, viewer, org_a):
    client = api_for(manager)
    listed = client.get(members(org_a))
    assert listed.status_code == 200
    assert {row["username"] for row in listed.json()} >= {manager.username, viewer.username}
    body = {"username": "moi", "full_name": "Người Mới", "email": "moi@example.vn", "role": "responder"}
    added = client.post(members(org_a), body, format="json")
    assert added.status_code == 201, added.content
    assert Membership.objects.get(user__username="moi", organization=org_a).role == "responder"
    membership = Membership.objects.get(user=viewer, organization=org_a)
    assert client.post(members(org_a, f"{membership.pk}/remove/")).status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_manager_cannot_remove_themselves(api_for, manager, org_a):
    own = Membership.objects.get(user=manager, organization=org_a)
    response = api_for(manager).post(members(org_a, f"{own.pk}/remove/"))
    assert response.status_code == 400 and Membership.objects.filter(pk=own.pk).exists()


def test_viewer_and_national_get_403_outsider_404(api_for, viewer, national, outsider, org_a):
    body = {"username": "moi", "email": "moi@example.vn", "role": "manager"}
    target = Membership.objects.get(user=viewer, organization=org_a)
    for user in (viewer, national):
        client = api_for(user)
        assert client.get(members(org_a)).status_code == 403
        assert client.post(members(org_a), body, format="json").status_code == 403
        assert client.post(members(org_a, f"{target.pk}/remove/")).status_code == 403
    client = api_for(outsider)
    assert client.get(members(org_a)).status_code == 404
    assert client.post(members(org_a), body, format="json").status_code == 404
    assert client.post(members(org_a, f"{target.pk}/remove/")).status_code == 404
    assert (
        not User.objects.filter(username="moi").exists() and Membership.objects.filter(pk=target.pk).exists()
    )


def test_coordinator_adds_any_account(api_for, coordinator, outsider, org_a):
    response = api_for(coordinator).post(
        members(org_a), {"username": outsider.username, "role": "viewer"}, format="json"
    )
    assert (
        response.status_code == 201 and Membership.objects.filter(user=outsider, organization=org_a).exists()
    )


def test_member_changes_need_the_coordinate_scope(api_for, manager, org_a):
    client = api_for(manager, scopes=["read", "report"])
    assert client.get(members(org_a)).status_code == 200
    body = {"username": "moi", "email": "moi@example.vn", "role": "manager"}
    assert client.post(members(org_a), body, format="json").status_code == 403
    assert not User.objects.filter(username="moi").exists()


def test_unknown_member_is_404(api_for, manager, org_a):
    assert api_for(manager).post(members(org_a, "999999/remove/")).status_code == 404
