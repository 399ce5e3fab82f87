import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ungcuu.organizations.tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")


def test_login_page_speaks_vietnamese_by_default(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text


def test_browser_language_is_ignored_but_the_chosen_one_is_kept(db):
    assert '<html lang="vi">' in Client(headers={"accept-language": "en"}).get(LOGIN).text

    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert '<html lang="en">' in client.get(LOGIN).text


def test_login_with_the_right_password_goes_to_the_dashboard(client_for, viewer):
    client = client_for()
    response = client.post(LOGIN, {"username": "viewer", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_login_with_a_wrong_password_is_refused(client_for, viewer):
    client = client_for()
    response = client.post(LOGIN, {"username": "viewer", "password": "wrong-password"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("core:home")).status_code == 302


def test_disabled_account_cannot_log_in(client_for, viewer):
    viewer.is_active = False
    viewer.save()
    response = client_for().post(LOGIN, {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_returns_to_the_page_asked_for(client_for, viewer):
    target = reverse("systems:list")
    response = client_for().post(
        f"{LOGIN}?next={target}", {"username": "viewer", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_login_refuses_to_redirect_off_site(client_for, viewer):
    response = client_for().post(
        LOGIN, {"username": "viewer", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_logout_needs_post(client_for, viewer):
    client = client_for(viewer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_profile_lists_memberships_and_saves_details(client_for, viewer, org_a):
    client = client_for(viewer)
    page = client.get(reverse("accounts:profile"))
    assert org_a.name in page.text

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Vân",
            "last_name": "Trần",
            "email": "van@example.gov.vn",
            "title": "Chuyên viên",
            "phone": "0909",
        },
    )

    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.last_name, viewer.title) == ("Trần", "Chuyên viên")


def test_profile_cannot_raise_the_platform_role(client_for, viewer):
    client_for(viewer).post(
        reverse("accounts:profile"),
        {
            "first_name": "V",
            "last_name": "T",
            "email": "",
            "platform_role": "coordinator",
            "is_superuser": "on",
        },
    )
    viewer.refresh_from_db()
    assert (viewer.platform_role, viewer.is_superuser) == ("", False)


def test_profile_needs_a_login(client_for):
    response = client_for().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_password_change(client_for, viewer):
    client = client_for(viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password("a-much-longer-secret-42")


def test_password_change_refuses_a_short_password(client_for, viewer):
    response = client_for(viewer).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)


@pytest.mark.parametrize("email", ["viewer@example.gov.vn", "VIEWER@example.gov.vn"])
def test_password_reset_mails_a_link(client_for, viewer, email):
    viewer.email = "viewer@example.gov.vn"
    viewer.save()
    response = client_for().post(reverse("accounts:password_reset"), {"email": email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["viewer@example.gov.vn"]


def test_password_reset_does_not_reveal_unknown_addresses(client_for, db):
    UserFactory(email="someone@example.gov.vn", is_active=False)
    response = client_for().post(reverse("accounts:password_reset"), {"email": "someone@example.gov.vn"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
