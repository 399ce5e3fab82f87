import pytest
from django.core import mail
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.organizations.models import Membership
from ungcuu.organizations.tests.factories import FocalPointFactory

pytestmark = pytest.mark.django_db


def test_focal_points_get_an_account_and_a_one_time_link(
    coordinator, client_for, org_a, django_capture_on_commit_callbacks
):
    FocalPointFactory(organization=org_a, full_name="Lê Văn Mời", email="Moi@Example.gov.vn")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(reverse("onboarding:invite"), {"role": "responder"})

    assert response.status_code == 302
    user = User.objects.get(email="moi@example.gov.vn")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "responder"
    assert [m.to for m in mail.outbox] == [["moi@example.gov.vn"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]
    form = client_for().get(path, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()


def test_inviting_twice_sends_nothing_more(coordinator, client_for, org_a):
    FocalPointFactory(organization=org_a, email="hai@example.gov.vn")
    client = client_for(coordinator)
    client.post(reverse("onboarding:invite"), {"role": "viewer"})
    users = User.objects.count()

    client.post(reverse("onboarding:invite"), {"role": "viewer"})

    assert User.objects.count() == users


def test_members_cannot_invite(manager, client_for, org_a):
    FocalPointFactory(organization=org_a, email="ba@example.gov.vn")
    users = User.objects.count()

    assert client_for(manager).post(reverse("onboarding:invite"), {"role": "viewer"}).status_code == 403
    assert User.objects.count() == users
