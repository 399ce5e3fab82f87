"""Issue 16: token scopes (read / report / coordinate) and Idempotency-Key on every POST."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from ungcuu.accounts.models import ApiToken
from ungcuu.api.models import IdempotencyKey
from ungcuu.api.urls import router
from ungcuu.organizations.models import FocalPoint, Membership

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def focal_body(org, name="Nguyễn Văn An"):
    return {"organization": org.pk, "full_name": name, "email": "an@example.vn", "phone": "0912345678"}


def test_read_token_reads_but_may_not_change(api_for, manager, org_a):
    client = api_for(manager, scopes=["read"])
    assert client.get("/api/v1/organizations/").status_code == 200
    response = client.post("/api/v1/focal-points/", focal_body(org_a), format="json")
    assert response.status_code == 403
    assert "coordinate" in response.json()["detail"]
    assert not FocalPoint.objects.filter(full_name="Nguyễn Văn An").exists()


def test_report_token_reports_but_may_not_coordinate(api_for, manager, org_a):
    client = api_for(manager, scopes=["report"])
    assert client.get("/api/v1/organizations/").status_code == 403  # no read scope
    assert client.post("/api/v1/focal-points/", focal_body(org_a), format="json").status_code == 403


def test_all_scopes_token_may_change(api_for, manager, org_a):
    response = api_for(manager).post("/api/v1/focal-points/", focal_body(org_a), format="json")
    assert response.status_code == 201, response.content


def test_scope_never_widens_the_users_rights(api_for, viewer, org_a):
    response = api_for(viewer, scopes=["coordinate"]).post(
        "/api/v1/focal-points/", focal_body(org_a), format="json"
    )
    assert (
        response.status_code in (400, 403)
        and not FocalPoint.objects.filter(full_name="Nguyễn Văn An").exists()
    )


def test_expired_token_is_401(api_for, manager):
    with time_machine.travel(NOW, tick=False):
        client = api_for(manager, scopes=["read"])
    with time_machine.travel(NOW + datetime.timedelta(days=400), tick=False):
        assert client.get("/api/v1/organizations/").status_code == 401


def test_token_endpoint_makes_a_narrow_token(manager):
    manager.set_password("pw-1234567890-x")
    manager.save()
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": manager.username, "password": "pw-1234567890-x", "scopes": ["read"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["scopes"] == ["read"]
    assert ApiToken.objects.get(user=manager).scopes == "read"


def test_token_endpoint_refuses_an_unknown_scope(manager):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": manager.username, "password": "x", "scopes": ["admin"]},
        format="json",
    )
    assert response.status_code == 400 and "scopes" in response.json()


def test_same_key_same_body_returns_the_first_answer(api_for, manager, org_a):
    client = api_for(manager)
    first = client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert FocalPoint.objects.filter(full_name="Nguyễn Văn An").count() == 1


def test_a_no_content_answer_is_replayed_too(api_for, manager, viewer, org_a):
    """A removal answers 204 with no body: its retry gets the 204 again, not a 404 for what is gone."""
    client = api_for(manager)
    membership = Membership.objects.get(user=viewer, organization=org_a)
    url = f"/api/v1/organizations/{org_a.pk}/members/{membership.pk}/remove/"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="k-204")
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="k-204")
    assert first.status_code == again.status_code == 204
    assert again["Idempotent-Replayed"] == "true" and again.content == b"" and "Content-Type" not in again
    assert client.post(url).status_code == 404  # without the key it is a new request: the member is gone


def test_same_key_other_body_is_422(api_for, manager, org_a):
    client = api_for(manager)
    client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post(
        "/api/v1/focal-points/", focal_body(org_a, "Trần Thị Bình"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]
    assert not FocalPoint.objects.filter(full_name="Trần Thị Bình").exists()


def test_key_is_per_user(api_for, manager, outsider, org_a, org_b):
    api_for(manager).post(
        "/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    response = api_for(outsider).post(
        "/api/v1/focal-points/", focal_body(org_b, "Lê Văn Cường"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 201 and response.json()["full_name"] == "Lê Văn Cường"


def test_failed_request_frees_its_key(api_for, manager, org_a):
    client = api_for(manager)
    bad = client.post(
        "/api/v1/focal-points/", {"organization": org_a.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k-4"
    )
    assert bad.status_code == 400 and not IdempotencyKey.objects.exists()
    good = client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert good.status_code == 201


def test_running_key_is_409(api_for, manager, org_a):
    client = api_for(manager)
    client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    IdempotencyKey.objects.filter(key="k-5").update(status_code=None, created_at=timezone.now())
    response = client.post(
        "/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-5"
    )
    assert response.status_code == 409


def test_malformed_key_is_400(api_for, manager, org_a):
    response = api_for(manager).post(
        "/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="x" * 101
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()


def test_keys_expire(api_for, manager, org_a):
    client = api_for(manager)
    with time_machine.travel(NOW, tick=False):
        client.post("/api/v1/focal-points/", focal_body(org_a), format="json", HTTP_IDEMPOTENCY_KEY="k-6")
    with time_machine.travel(NOW + datetime.timedelta(hours=25), tick=False):
        client = api_for(manager)
        response = client.post(
            "/api/v1/focal-points/",
            focal_body(org_a, "Phạm Văn Dũng"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-6",
        )
    assert response.status_code == 201


def test_every_post_documents_its_key_and_every_operation_its_scope():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        if path.endswith("/auth/token/"):
            continue
        for method, operation in methods.items():
            assert operation.get("x-token-scope") in {"read", "report", "coordinate"}, (path, method)
            if method == "post":
                names = {p["name"] for p in operation.get("parameters", [])}
                assert "Idempotency-Key" in names and "422" in operation["responses"], path


def test_declared_scopes_name_real_operations():
    """A misspelt action in `token_scopes` would silently fall back to the default scope."""
    standard = {"list", "create", "retrieve", "update", "partial_update", "destroy"}
    for prefix, viewset, _basename in router.registry:
        actions = set(standard)
        for extra in viewset.get_extra_actions():
            actions.update(extra.mapping.values())
        unknown = set(getattr(viewset, "token_scopes", {})) - actions
        assert not unknown, (prefix, unknown)
