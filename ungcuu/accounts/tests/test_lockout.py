"""Wrong passwords lock a username from an address (django-axes); an administrator lifts the lock."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from ungcuu.organizations.tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_thirty_wrong_passwords_are_not_all_answered(client_for, viewer):
    client = client_for()
    answers = [
        client.post(LOGIN, {"username": "viewer", "password": f"wrong-{n}"}).status_code for n in range(30)
    ]

    assert answers[:4] == [200] * 4  # the form again, with its error
    assert set(answers[4:]) == {429}
    # Locked: even the right password is refused until the cool-off or an unlock.
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_speaks_vietnamese(viewer):
    client = Client()
    for n in range(5):
        response = client.post(LOGIN, {"username": "viewer", "password": f"wrong-{n}"})
    assert response.status_code == 429
    assert "Đăng nhập tạm bị khóa" in response.text and "phút" in response.text


def test_the_lock_is_per_username_and_address(client_for, viewer, responder):
    client = client_for()
    for n in range(5):
        client.post(LOGIN, {"username": "viewer", "password": f"wrong-{n}"})
    assert client.post(LOGIN, {"username": "responder", "password": PASSWORD}).status_code == 302
    other_address = Client(REMOTE_ADDR="198.51.100.7")
    assert other_address.post(LOGIN, {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_an_administrator_unlocks_from_the_admin(client_for, viewer):
    client = client_for()
    for n in range(5):
        client.post(LOGIN, {"username": "viewer", "password": f"wrong-{n}"})
    attempt = AccessAttempt.objects.get(username="viewer")
    admin = client_for(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert client.post(LOGIN, {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_a_member_cannot_unlock(client_for, viewer, manager):
    client_for().post(LOGIN, {"username": "viewer", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="viewer")
    response = client_for(manager).post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_admin_login_locks_too(db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    answers = [
        client.post("/admin/login/", {"username": "root", "password": f"wrong-{n}"}).status_code
        for n in range(6)
    ]
    assert answers[-1] == 429
    assert client.post("/admin/login/", {"username": "root", "password": PASSWORD}).status_code == 429


def test_token_door_locks_with_a_json_answer(api_for, viewer):
    api = api_for()
    for n in range(5):
        response = api.post(
            reverse("api-token"), {"username": "viewer", "password": f"no-{n}"}, format="json"
        )
    assert response.status_code == 429 and "Too many failed sign-ins" in response.json()["detail"]
    response = api.post(reverse("api-token"), {"username": "viewer", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert not viewer.api_tokens.exists()


def test_token_door_is_throttled_per_address(api_for, db, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "3/minute")
    api = api_for()
    answers = [
        api.post(reverse("api-token"), {"username": f"u{n}", "password": "x"}, format="json").status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_api_users_are_throttled(api_for, viewer, org_a, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
    api = api_for(viewer)
    answers = [api.get("/api/v1/organizations/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_password_reset_is_rate_limited_per_address(client_for, viewer, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    viewer.email = "viewer@example.gov.vn"
    viewer.save()
    client = client_for()
    answers = [
        client.post(reverse("accounts:password_reset"), {"email": viewer.email}).status_code for _ in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
