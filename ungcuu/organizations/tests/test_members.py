"""Membership management by managers/coordinator, and the first-password e-mail for new accounts."""

import pytest
from django.core import mail
from django.test import Client

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import force_login
from ungcuu.organizations.models import Kind, Membership, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    unit = Organization.objects.create(code="SO-YTE", name="Sở Y tế", kind=Kind.OPERATOR)
    other = Organization.objects.create(code="SO-TC", name="Sở Tài chính", kind=Kind.OPERATOR)
    manager = User.objects.create_user("manager", password="pw-123456789")
    viewer = User.objects.create_user("viewer", password="pw-123456789")
    outsider = User.objects.create_user("outsider", password="pw-123456789")
    Membership.objects.create(user=manager, organization=unit, role="manager")
    Membership.objects.create(user=viewer, organization=unit, role="viewer")
    Membership.objects.create(user=outsider, organization=other, role="manager")
    return {"unit": unit, "manager": manager, "viewer": viewer, "outsider": outsider}


def client_for(user):
    client = Client()
    force_login(client, user)
    return client


NEW = {"username": "tranthib", "full_name": "Trần Thị B", "email": "b@example.vn", "role": "responder"}


def test_manager_adds_a_new_person_who_sets_a_password_by_email(team):
    response = client_for(team["manager"]).post(f"/organizations/{team['unit'].pk}/members/", NEW)
    assert response.status_code == 302
    user = User.objects.get(username="tranthib")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "responder"
    Client().post("/accounts/password/reset/", {"email": "b@example.vn"})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body


def test_new_username_needs_name_and_email(team):
    client_for(team["manager"]).post(f"/organizations/{team['unit'].pk}/members/", {**NEW, "email": ""})
    assert not User.objects.filter(username="tranthib").exists()


def test_viewer_cannot_add_members(team):
    response = client_for(team["viewer"]).post(f"/organizations/{team['unit'].pk}/members/", NEW)
    assert response.status_code == 403
    assert not User.objects.filter(username="tranthib").exists()


def test_outsider_gets_404_and_nothing_changes(team):
    response = client_for(team["outsider"]).post(f"/organizations/{team['unit'].pk}/members/", NEW)
    assert response.status_code == 404
    assert not User.objects.filter(username="tranthib").exists()


def test_manager_cannot_remove_own_membership(team):
    own = Membership.objects.get(user=team["manager"])
    client_for(team["manager"]).post(f"/organizations/{team['unit'].pk}/members/{own.pk}/remove/")
    assert Membership.objects.filter(pk=own.pk).exists()


def test_manager_removes_a_member(team):
    viewer = Membership.objects.get(user=team["viewer"])
    client_for(team["manager"]).post(f"/organizations/{team['unit'].pk}/members/{viewer.pk}/remove/")
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def _answer(user, unit, data):
    """The page the manager lands on after posting the member form, reduced to its messages."""
    response = client_for(user).post(f"/organizations/{unit.pk}/members/", data, follow=True)
    return response.redirect_chain[-1][1], [str(m) for m in response.context["messages"]]


def test_invite_does_not_reveal_whether_a_username_exists(team):
    """Issue 10, leak 8: "this username is new" answered for unknown names, and an existing account from
    another organization was added (its name then shown) on its username alone."""
    unit, manager = team["unit"], team["manager"]
    elsewhere = {"username": "outsider", "full_name": "", "email": "", "role": "viewer"}
    unknown = {**elsewhere, "username": "khongaico"}
    assert _answer(manager, unit, elsewhere) == _answer(manager, unit, unknown)
    assert not Membership.objects.filter(user=team["outsider"], organization=unit).exists()
    assert not User.objects.filter(username="khongaico").exists()
    # With a name and an e-mail: an account elsewhere joins only with the e-mail registered on it.
    User.objects.filter(pk=team["outsider"].pk).update(email="ngoai@example.vn")
    guessed = {**elsewhere, "full_name": "Ai Đó", "email": "doan@example.vn"}
    assert _answer(manager, unit, guessed)[1][0].startswith("Không dùng được tên đăng nhập này.")
    assert not Membership.objects.filter(user=team["outsider"], organization=unit).exists()
    _answer(manager, unit, {**guessed, "email": "NGOAI@example.vn"})
    assert Membership.objects.get(user=team["outsider"], organization=unit).role == "viewer"


def test_manager_changes_a_members_role_by_username_alone(team):
    data = {"username": "viewer", "full_name": "", "email": "", "role": "responder"}
    _answer(team["manager"], team["unit"], data)
    assert Membership.objects.get(user=team["viewer"], organization=team["unit"]).role == "responder"
    url = f"/organizations/{team['unit'].pk}/members/"
    assert client_for(team["viewer"]).post(url, {**data, "role": "manager"}).status_code == 403
    assert Membership.objects.get(user=team["viewer"], organization=team["unit"]).role == "responder"
