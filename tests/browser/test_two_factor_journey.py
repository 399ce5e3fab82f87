"""Two-factor sign-in as a person meets it: the national coordinator's first sign-in enrols an
authenticator app (the test reads the key off the page and computes the app's code), then a later
sign-in asks for the code, and a wrong code is refused in Vietnamese."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import fresh_code

from .conftest import PASSWORD, _user, enrol_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def national(transactional_db) -> User:
    return _user("quocgia", "Hòa", "Phạm Văn", platform_role=User.PlatformRole.NATIONAL)


def test_first_sign_in_enrols_and_the_next_one_asks_for_the_code(new_context, national, shot):
    page = new_context().new_page()
    page.goto("/accounts/login/")
    page.fill("[name=username]", "quocgia")
    page.fill("[name=password]", PASSWORD)
    page.click("main form button[type=submit]")

    # Password alone is not enough: the whole province is behind this account.
    expect(page).to_have_url("/accounts/2fa/setup/?next=%2F")
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.goto("/incidents/")  # nothing else opens until enrolment is done
    expect(page).to_have_url("/accounts/2fa/setup/?next=%2Fincidents%2F")
    shot(page, "01-setup")

    page.fill("[name=code]", "000000")
    page.click("main form button[type=submit]")
    expect(page.locator(".error")).to_contain_text("Mã không đúng")
    codes = enrol_two_factor(page)
    assert len(codes) == 10
    shot(page, "02-recovery-codes")
    page.click("text=Tôi đã lưu, tiếp tục")
    expect(page).to_have_url("/incidents/")
    assert TOTPDevice.objects.get(user=national).confirmed

    page.click("details.usermenu summary")  # log out sits under the person's name
    page.click("details.usermenu form button.link")
    page.goto("/accounts/login/")
    page.fill("[name=username]", "quocgia")
    page.fill("[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Xác thực hai lớp")
    page.fill("[name=code]", fresh_code(TOTPDevice.objects.get(user=national)))
    shot(page, "03-verify")
    page.click("main form button[type=submit]")
    expect(page).to_have_url("/")

    page.goto("/accounts/profile/")
    expect(page.locator("#two-factor + p .badge")).to_have_text("Đang bật")
    shot(page, "04-profile")
