"""Issue 16: a coordinator makes a narrow API token on the profile page for a reporting tool (read and
report, no coordinate) and the API holds the tool to it."""

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from ungcuu.accounts.models import ApiToken

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_coordinator_makes_a_report_only_token_on_the_profile(new_context, coordinator, health_dept, shot):
    page = log_in(new_context(), coordinator)
    page.goto("/accounts/profile/")
    page.fill("[name=name]", "Công cụ báo cáo SIEM")
    scopes = page.locator("#id_scopes")
    expect(scopes.get_by_label("Đọc")).to_be_checked()
    scopes.get_by_label("Điều phối").uncheck()
    shot(page, "01-profile-form")
    page.get_by_role("button", name="Tạo mã truy cập").click()

    expect(page.locator("#token-scopes")).to_have_text("Đọc, Báo cáo")
    secret = page.locator("#token-secret").inner_text()
    shot(page, "02-token-shown-once")
    assert ApiToken.objects.get(user=coordinator).scopes == "read report"

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/organizations/").status_code == 200
    refused = client.post("/api/v1/organizations/", {"code": "MOI", "name": "Mới"}, format="json")
    assert refused.status_code == 403 and "coordinate" in refused.json()["detail"]

    page.goto("/accounts/profile/")
    expect(page.locator("td.token-scopes")).to_have_text("Đọc, Báo cáo")
    shot(page, "03-profile-lists-scopes")
