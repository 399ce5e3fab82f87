"""A real province starts: its first administrator signs in to an empty deployment, lands on the set-up
page, is told in Vietnamese what is wrong, sets the province up, hands a coordinator the one-time link;
the coordinator signs in (two-factor enrolment first) and citizens see the 24/7 contact."""

import pytest
from playwright.sync_api import Page, expect

from ungcuu.accounts.models import User
from ungcuu.core.bodies import body_name
from ungcuu.core.models import BodyName, PlatformSettings
from ungcuu.organizations.models import Organization

from .conftest import PASSWORD, enrol_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "Mat-khau-dieu-phoi-2026"


@pytest.fixture
def root(transactional_db) -> User:
    return User.objects.create_superuser("quantri", "quantri@hanam.gov.vn", PASSWORD)


def _sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.click("main form button[type=submit]")


def _fill_setup(page: Page, prefix: str) -> None:
    page.fill("[name=province_name]", "Hà Nam")
    page.fill("[name=reference_prefix]", prefix)
    page.fill("[name=intake_phone]", "0226 3 113 113")
    page.fill("[name=intake_email]", "ungcuu@hanam.gov.vn")
    # The specialised unit was Sở TT&TT until the 2025 reorganisation, the police (PA05) since.
    row = page.locator("#bodies tbody tr").filter(
        has=page.locator("select option:checked[value=SPECIALISED_UNIT]")
    )
    row.locator("input[name$=-name]").fill("Sở Thông tin và Truyền thông")
    row.locator("input[name$=-valid_to]").fill("2025-02-28")
    spare = page.locator("#bodies tbody tr").last
    spare.locator("select").select_option("SPECIALISED_UNIT")
    spare.locator("input[name$=-name]").fill("Công an tỉnh Hà Nam (PA05)")
    spare.locator("input[name$=-valid_from]").fill("2025-03-01")
    page.fill("[name=default_from_email]", "ungcuu@hanam.gov.vn")
    page.fill("[name=email_host]", "mail.hanam.gov.vn")
    page.fill("[name=email_port]", "587")
    page.fill("[name=email_host_password]", "Bi-mat-SMTP-2026")
    page.check("[name=email_use_tls]")
    page.fill("[name=coordinator-0-username]", "dieuphoi")
    page.fill("[name=coordinator-0-email]", "dieuphoi@hanam.gov.vn")
    page.fill("[name=coordinator-0-full_name]", "Trần Thị Lan")


def test_new_administrator_sets_up_the_province_and_a_coordinator_signs_in(
    new_context, root, shot, live_server
):
    page = new_context().new_page()
    _sign_in(page, "quantri", PASSWORD)
    enrol_two_factor(page)  # a superuser answers for everything: two-factor before anything else
    page.click("text=Tôi đã lưu, tiếp tục")
    # An empty deployment sends its administrator to the set-up page.
    expect(page).to_have_url(f"{live_server.url}/onboarding/setup/")
    expect(page.locator("h1")).to_have_text("Thiết lập tỉnh")
    shot(page, "01-first-run")

    _fill_setup(page, prefix="H1")
    page.click("#setup-save")
    expect(page.locator(".field.has-error")).to_contain_text("Tiền tố số hiệu gồm 2 đến 6 chữ cái A-Z")
    expect(page.locator("[name=coordinator-0-full_name]")).to_have_value("Trần Thị Lan")
    expect(page.locator("[name=email_host_password]")).to_have_value("")  # a password is never echoed
    shot(page, "02-refused")
    assert not PlatformSettings.objects.exists() and not BodyName.objects.exists()
    assert not Organization.objects.exists() and not User.objects.filter(username="dieuphoi").exists()

    page.fill("[name=reference_prefix]", "HN")
    page.fill("[name=email_host_password]", "Bi-mat-SMTP-2026")
    page.click("#setup-save")
    expect(page.locator("h1")).to_have_text("Đã tạo tài khoản điều phối")
    link = page.locator("#setup-links code").inner_text()
    shot(page, "03-links")
    assert body_name("SPECIALISED_UNIT") == "Công an tỉnh Hà Nam (PA05)"
    assert PlatformSettings.objects.get().email_host_password == "Bi-mat-SMTP-2026"

    page.goto("/onboarding/setup/")  # afterwards: the province's settings page
    expect(page.locator("h1")).to_have_text("Cấu hình của tỉnh")
    expect(page.locator("body")).not_to_contain_text("Bi-mat-SMTP-2026")
    shot(page, "04-settings")

    # The coordinator opens the one-time link, chooses a password, signs in and must enrol two-factor.
    coordinator = new_context().new_page()
    coordinator.goto(link)
    coordinator.fill("[name=new_password1]", NEW_PASSWORD)
    coordinator.fill("[name=new_password2]", NEW_PASSWORD)
    coordinator.click("main form button.primary")
    _sign_in(coordinator, "dieuphoi", NEW_PASSWORD)
    enrol_two_factor(coordinator)
    coordinator.click("text=Tôi đã lưu, tiếp tục")
    expect(coordinator).to_have_url(f"{live_server.url}/")
    expect(coordinator.locator("header")).to_contain_text("Hà Nam")
    expect(coordinator.locator("footer")).to_contain_text("Công an tỉnh Hà Nam (PA05)")
    shot(coordinator, "05-coordinator-home")

    # Citizens see the 24/7 contact in plain words, the legal basis after it in small print.
    citizen = new_context().new_page()
    citizen.goto("/report/")
    contact = citizen.locator("#intake-contact")
    expect(contact).to_contain_text("vào mọi giờ, cả ngày lẫn đêm")
    expect(contact.locator("a[href='tel:02263113113']")).to_have_text("0226 3 113 113")
    expect(contact.locator("a[href='mailto:ungcuu@hanam.gov.vn']")).to_be_visible()
    expect(contact.locator("small")).to_contain_text("Quyết định 05/2017/QĐ-TTg")
    shot(citizen, "06-public-contact")
