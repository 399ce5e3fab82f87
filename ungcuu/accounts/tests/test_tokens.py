"""API tokens: hashed, named, expiring, revocable, shown once, ended by a password change."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ungcuu.accounts import tokens
from ungcuu.accounts.models import ApiToken
from ungcuu.accounts.tests.helpers import authenticator, current_code, verify_session
from ungcuu.audit.models import AuditEvent
from ungcuu.organizations.tests.factories import PASSWORD

ORGS = "/api/v1/organizations/"
NEW_PASSWORD = "a-much-longer-secret-42"


def _api(api_for, secret):
    client = api_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _verified(client_for, user):
    client = client_for(user)
    verify_session(client, user)
    return client


def test_token_is_stored_only_as_a_digest(viewer):
    token, secret = tokens.create_token(actor=viewer, name="SIEM")
    assert secret not in [str(value) for row in ApiToken.objects.values_list() for value in row]
    assert token.prefix == secret[:8] and len(token.digest) == 64


def test_token_opens_the_api_until_revoked(api_for, client_for, viewer, org_a):
    token, secret = tokens.create_token(actor=viewer, name="SIEM")
    api = _api(api_for, secret)
    assert api.get(ORGS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    response = client_for(viewer).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    assert api.get(ORGS).status_code == 401


def test_expired_token_is_refused(api_for, viewer, org_a):
    _token, secret = tokens.create_token(actor=viewer, name="short", days=30)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert _api(api_for, secret).get(ORGS).status_code == 401


def test_lifetime_is_capped(settings, viewer):
    settings.API_TOKEN_MAX_DAYS = 10
    token, _secret = tokens.create_token(actor=viewer, name="long", days=365)
    assert token.expires_at - token.created_at < datetime.timedelta(days=10, minutes=1)


def test_password_change_ends_every_token(api_for, client_for, viewer, org_a):
    _token, secret = tokens.create_token(actor=viewer, name="SIEM")
    client_for(viewer).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert _api(api_for, secret).get(ORGS).status_code == 401


def test_password_reset_by_admin_ends_every_token_too(api_for, viewer, org_a):
    _token, secret = tokens.create_token(actor=viewer, name="SIEM")
    viewer.set_password("another-long-password-7")
    viewer.save()
    assert _api(api_for, secret).get(ORGS).status_code == 401


def test_disabled_account_token_is_refused(api_for, viewer, org_a):
    _token, secret = tokens.create_token(actor=viewer, name="SIEM")
    viewer.is_active = False
    viewer.save()
    assert _api(api_for, secret).get(ORGS).status_code == 401


def test_token_is_shown_once_and_never_on_the_profile(client_for, viewer):
    client = _verified(client_for, viewer)

    response = client.post(
        reverse("accounts:token_create"), {"name": "SIEM import", "days": "90", "scopes": ["read", "report"]}
    )

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret in response.text
    profile = client.get(reverse("accounts:profile")).text
    assert "SIEM import" in profile and secret[:8] in profile
    assert secret not in profile
    assert ApiToken.objects.get().scopes == "read report"  # what the person ticked, nothing more


def test_making_a_token_needs_a_verified_session(client_for, viewer):
    response = client_for(viewer).post(reverse("accounts:token_create"), {"name": "SIEM", "days": "90"})
    assert response.status_code == 302 and "/2fa/setup/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_token_form_refuses_a_bad_lifetime(client_for, viewer):
    response = _verified(client_for, viewer).post(
        reverse("accounts:token_create"), {"name": "x", "days": "9999"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_token_form_needs_a_scope(client_for, viewer):
    response = _verified(client_for, viewer).post(
        reverse("accounts:token_create"), {"name": "x", "days": "90"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_users_token(client_for, viewer, outsider):
    token, _secret = tokens.create_token(actor=viewer, name="SIEM")
    assert client_for(outsider).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_revoke_is_post_only(client_for, viewer):
    token, _secret = tokens.create_token(actor=viewer, name="SIEM")
    assert client_for(viewer).get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


# --- POST /api/v1/auth/token/ ------------------------------------------------------------------------


def test_token_can_be_obtained_with_username_and_password(api_for, viewer, org_a):
    response = api_for().post(
        reverse("api-token"), {"username": "viewer", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201
    secret = response.json()["token"]
    assert ApiToken.objects.get(user=viewer).digest == tokens.digest(secret)
    assert _api(api_for, secret).get(ORGS).status_code == 200
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN, actor=viewer)
    assert secret not in signed_in.detail and signed_in.detail.startswith("API token")


def test_token_obtain_refuses_an_overlong_username_with_a_400(api_for, viewer):
    """Found by the fuzz run on PostgreSQL: the lockout's failed-attempt row overflowed (500)."""
    body = {"username": "x" * 300, "password": "nope"}

    response = api_for().post(reverse("api-token"), body, format="json")

    assert response.status_code == 400 and "username" in response.json()
    assert not ApiToken.objects.exists()


def test_token_obtain_refuses_a_wrong_password(api_for, viewer):
    response = api_for().post(reverse("api-token"), {"username": "viewer", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("code", [None, "000000"])
def test_a_coordinators_token_needs_a_two_factor_code(api_for, coordinator, code):
    authenticator(coordinator)
    body = {"username": "coordinator", "password": PASSWORD} | ({"otp": code} if code else {})
    response = api_for().post(reverse("api-token"), body, format="json")
    assert response.status_code == 400 and "otp" in response.json()
    assert not ApiToken.objects.exists()


def test_a_coordinator_gets_a_token_with_the_current_code(api_for, coordinator):
    body = {"username": "coordinator", "password": PASSWORD, "otp": current_code(authenticator(coordinator))}
    response = api_for().post(reverse("api-token"), body, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=coordinator).count() == 1


def test_a_coordinator_without_a_device_is_sent_to_the_web(api_for, coordinator):
    response = api_for().post(
        reverse("api-token"), {"username": "coordinator", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_api_lists_and_revokes_only_the_callers_own_tokens(api_for, viewer, outsider):
    mine, _secret = tokens.create_token(actor=viewer, name="SIEM", scopes=["read"])
    theirs, _other = tokens.create_token(actor=outsider, name="Khác")
    client = api_for(viewer, scopes=["read"])
    listed = client.get("/api/v1/auth/tokens/").json()["results"]
    assert {row["name"] for row in listed} == {"SIEM", "tests"} and "digest" not in listed[0]
    assert client.post(f"/api/v1/auth/tokens/{theirs.pk}/revoke/").status_code == 404
    revoked = client.post(f"/api/v1/auth/tokens/{mine.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["usable"] is False
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
