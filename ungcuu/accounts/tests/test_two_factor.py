"""Two-factor sign-in: enrolment with a real TOTP code, recovery codes, who must use it, the admin."""

from binascii import unhexlify

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ungcuu.accounts import twofactor
from ungcuu.accounts.tests.helpers import authenticator, current_code, verify_session
from ungcuu.organizations.tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def signed_in(user) -> Client:
    """A client that typed the right password (and nothing more), as a person at the login page."""
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def app_code(client) -> str:
    """What the phone shows after scanning the QR code: computed from the secret the page gave out."""
    key = unhexlify(client.session[twofactor.PENDING_KEY_SESSION])
    return f"{totp(key):06d}"


def _recovery_codes(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_enrolment_with_a_real_code_turns_two_factor_on(viewer):
    client = signed_in(viewer)
    page = client.get(SETUP)
    assert page.status_code == 200 and "<svg" in page.text and page.context["secret"]
    assert not TOTPDevice.objects.exists()  # opening the page writes nothing

    response = client.post(SETUP, {"code": app_code(client)})

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.text for code in codes)
    assert TOTPDevice.objects.get(user=viewer).confirmed
    assert twofactor.is_enabled(viewer)
    assert client.get(HOME).status_code == 200


def test_enrolment_refuses_a_wrong_code(viewer):
    client = signed_in(viewer)
    client.get(SETUP)
    right = app_code(client)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 400
    assert "not right" in response.text
    assert not TOTPDevice.objects.exists() and not twofactor.is_enabled(viewer)


@pytest.mark.parametrize("persona", ["coordinator", "national"])
def test_required_roles_are_sent_to_enrolment_and_held_there(persona, request):
    user = request.getfixturevalue(persona)
    client = signed_in(user)

    for path in (HOME, reverse("incidents:list"), reverse("accounts:profile"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), path
    api = client.get("/api/v1/incidents/")
    assert api.status_code == 403 and "two-factor" in api.json()["detail"]

    client.get(SETUP)
    client.post(SETUP, {"code": app_code(client)})
    assert client.get(HOME).status_code == 200


def test_superuser_must_verify_before_the_admin(db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = authenticator(admin)
    client = Client()
    client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})

    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)

    client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_sign_in_with_the_current_code_returns_to_the_page_asked_for(coordinator):
    device = authenticator(coordinator)
    client = signed_in(coordinator)
    target = reverse("incidents:list")
    held = client.get(target)
    assert held["Location"] == f"{VERIFY}?next=%2Fincidents%2F"

    response = client.post(VERIFY, {"code": current_code(device), "next": target})

    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_sign_in_refuses_a_wrong_code_and_stays_held(coordinator):
    device = authenticator(coordinator)
    client = signed_in(coordinator)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})

    assert response.status_code == 400 and "not right" in response.text
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_a_code_cannot_be_used_twice(coordinator):
    device = authenticator(coordinator)
    code = current_code(device)
    assert signed_in(coordinator).post(VERIFY, {"code": code}).status_code == 302
    assert signed_in(coordinator).post(VERIFY, {"code": code}).status_code == 400


def test_a_recovery_code_signs_in_once(coordinator):
    authenticator(coordinator)
    codes = twofactor.new_recovery_codes(actor=coordinator)

    first = signed_in(coordinator)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get(HOME).status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9

    second = signed_in(coordinator)
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert second.get(HOME)["Location"].startswith(VERIFY)


def test_optional_user_without_two_factor_is_unaffected(viewer):
    client = signed_in(viewer)
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_optional_user_who_turned_it_on_must_verify(viewer):
    authenticator(viewer)
    client = signed_in(viewer)
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_a_password_alone_cannot_replace_the_device(viewer):
    device = authenticator(viewer)
    client = signed_in(viewer)

    response = client.get(SETUP)

    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=viewer)) == [device]


def test_optional_user_may_turn_it_off_with_the_password(client_for, viewer):
    authenticator(viewer)
    twofactor.new_recovery_codes(actor=viewer)
    client = client_for(viewer)  # verified: the viewer has a device

    wrong = client.post(reverse("accounts:two_factor_disable"), {"password": "nope"})
    assert wrong.status_code == 302 and twofactor.is_enabled(viewer)

    client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
    assert not twofactor.is_enabled(viewer)
    assert not StaticToken.objects.filter(device__user=viewer).exists()


def test_required_user_cannot_turn_it_off(client_for, coordinator):
    response = client_for(coordinator).post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
    assert response.status_code == 403
    assert twofactor.is_enabled(coordinator)


def test_new_recovery_codes_replace_the_old_ones(client_for, coordinator):
    old = twofactor.new_recovery_codes(actor=coordinator)
    client = client_for(coordinator)

    response = client.post(reverse("accounts:two_factor_recovery"))

    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(
        new
    )


def test_recovery_codes_need_a_verified_session(coordinator):
    authenticator(coordinator)
    old = twofactor.new_recovery_codes(actor=coordinator)
    response = signed_in(coordinator).post(reverse("accounts:two_factor_recovery"))
    assert response.status_code == 302
    assert set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)) == set(
        old
    )


def test_token_api_is_not_affected_by_two_factor(api_for, coordinator, org_a):
    assert api_for(coordinator).get("/api/v1/organizations/").status_code == 200


def test_the_test_helper_marks_the_session_verified(client_for, coordinator):
    client = Client()
    client.force_login(coordinator)
    assert client.get(HOME).status_code == 302
    verify_session(client, coordinator)
    assert client.get(HOME).status_code == 200
