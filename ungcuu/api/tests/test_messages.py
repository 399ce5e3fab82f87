"""Issue 12: the API answers in Vietnamese (the default language), DRF's own messages included."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


def test_drf_messages_answer_in_vietnamese(api_for, manager):
    assert vietnamese(APIClient()).get("/api/v1/incidents/").json() == {
        "detail": "Chưa cung cấp thông tin xác thực."
    }
    client = vietnamese(api_for(manager))
    assert client.get("/api/v1/incidents/?page=999").json() == {"detail": "Trang không hợp lệ."}
    assert client.get("/api/v1/incidents/?page=abc").json() == {"page": ["Cần một số nguyên hợp lệ."]}
    body = client.post("/api/v1/incidents/", {"title": "x" * 400, "description": None}, format="json").json()
    assert body["title"] == ["Trường này không được dài quá 300 ký tự."]
    assert body["description"] == ["Trường này không được để null."]


def test_missing_object_is_the_one_translated_not_found(api_for, manager):
    response = vietnamese(api_for(manager)).get("/api/v1/incidents/999999/")
    assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy."}


def test_scope_and_idempotency_refusals_in_vietnamese(api_for, manager, org_a):
    client = vietnamese(api_for(manager, scopes=["read"]))
    response = client.post("/api/v1/focal-points/", {"organization": org_a.pk}, format="json")
    assert response.json()["detail"] == "Mã API này không có phạm vi “coordinate” mà thao tác này cần."
