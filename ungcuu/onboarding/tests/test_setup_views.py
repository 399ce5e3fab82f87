"""The set-up page: superusers only, all or nothing, and what citizens then see on the public page."""

import pytest
from django.conf import settings
from django.urls import reverse

from ungcuu.accounts.models import User
from ungcuu.core.models import BodyName, PlatformSettings
from ungcuu.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("onboarding:setup")


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _post(**changes) -> dict:
    data = {
        "province_name": "Hà Nam",
        "reference_prefix": "HN",
        "intake_phone": "0226 3 113 113",
        "intake_email": "ungcuu@hanam.gov.vn",
        "default_from_email": "",
        "email_host": "",
        "email_port": "",
        "email_host_user": "",
        "email_host_password": "",
        "body-TOTAL_FORMS": "2",
        "body-INITIAL_FORMS": "0",
        "body-0-role": "SPECIALISED_UNIT",
        "body-0-name": "Sở Thông tin và Truyền thông",
        "body-0-valid_to": "2025-02-28",
        "body-1-role": "SPECIALISED_UNIT",
        "body-1-name": "Công an tỉnh Hà Nam (PA05)",
        "body-1-valid_from": "2025-03-01",
        "coordinator-TOTAL_FORMS": "2",
        "coordinator-INITIAL_FORMS": "0",
        "coordinator-0-username": "dieuphoi",
        "coordinator-0-email": "dieuphoi@hanam.gov.vn",
        "coordinator-0-full_name": "Trần Thị Điều Phối",
    }
    return {**data, **changes}


def _nothing_written():
    return (
        not PlatformSettings.objects.exists()
        and not BodyName.objects.exists()
        and not (User.objects.filter(username="dieuphoi").exists())
    )


def test_signed_out_is_sent_to_sign_in(client_for):
    response = client_for().get(URL)

    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["outsider", "viewer", "manager", "coordinator", "national"])
def test_everyone_but_a_superuser_is_forbidden_and_nothing_changes(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, _post()).status_code == 403
    assert _nothing_written()


def test_a_fresh_deployments_superuser_lands_on_set_up_after_sign_in(client_for, root):
    client = client_for(root)

    assert client.get(reverse("core:home")).url == URL
    page = client.get(URL)
    assert page.status_code == 200 and "Set up the province" in page.content.decode()


def test_the_page_sets_up_the_province_and_hands_out_one_time_links(client_for, root):
    client = client_for(root)

    response = client.post(URL, _post())

    page = response.content.decode()
    assert response.status_code == 200 and "/accounts/password/reset/" in page and "dieuphoi" in page
    assert PlatformSettings.objects.get().province_name == "Hà Nam"
    assert list(
        BodyName.objects.filter(role="SPECIALISED_UNIT").order_by("pk").values_list("name", flat=True)
    ) == [
        "Sở Thông tin và Truyền thông",
        "Công an tỉnh Hà Nam (PA05)",
    ]
    assert User.objects.get(username="dieuphoi").is_coordinator
    assert client.get(reverse("core:home")).status_code == 200  # set up: no more redirect
    settings_page = client.get(URL).content.decode()
    assert "Province settings" in settings_page and "Công an tỉnh Hà Nam (PA05)" in settings_page


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_half_written(client_for, root):
    client = client_for(root)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post(URL, _post(reference_prefix="H1", **{"body-1-valid_from": "2025-02-01"}))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tiền tố số hiệu gồm 2 đến 6 chữ cái" in page and "chồng lên nhau" in page
    assert 'value="Trần Thị Điều Phối"' in page  # what was typed survives
    assert _nothing_written()


def test_a_stored_mail_password_is_never_shown_again(client_for, root):
    client = client_for(root)
    client.post(URL, _post(email_host="mail.hanam.gov.vn", email_host_password="Bi-mat-SMTP-2026"))

    page = client.get(URL).content.decode()

    assert PlatformSettings.objects.get().email_host_password == "Bi-mat-SMTP-2026"
    assert "Bi-mat-SMTP-2026" not in page and "A mail password is stored" in page


def test_the_public_page_tells_citizens_the_24_7_contact_from_the_settings(client_for, root):
    client_for(root).post(URL, _post())

    page = client_for().get(reverse("public_report")).content.decode()

    assert "at any hour, day and night" in page
    assert 'href="tel:02263113113"' in page and "ungcuu@hanam.gov.vn" in page
    assert "<small>" in page.split("0226 3 113 113", 1)[1]  # the legal citation follows, smaller
