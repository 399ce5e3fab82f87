"""Saved filters: kept per user, cleaned through the list's FilterSet, re-applied for whoever opens them
(issue 15)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from ungcuu.accounts import savedfilters
from ungcuu.accounts.models import SavedFilter

pytestmark = pytest.mark.django_db


def save(user, query, name="Nghiêm trọng đang mở", page="incidents"):
    return savedfilters.save_filter(actor=user, page=page, name=name, data=QueryDict(query))


def test_a_filter_is_kept_without_paging_unknown_keys_or_empty_values(coordinator):
    saved = save(coordinator, "status=open&severity=SERIOUS&page=3&q=&evil=1&per_page=50&sort=-reported_at")
    assert QueryDict(saved.query) == QueryDict("status=open&severity=SERIOUS&per_page=50&sort=-reported_at")
    assert savedfilters.url_of(saved).startswith("/incidents/?")


def test_the_same_name_replaces_the_filter(coordinator):
    save(coordinator, "status=open")
    save(coordinator, "status=logged")
    assert SavedFilter.objects.get().query == "status=logged"


def test_a_filter_the_list_refuses_is_not_saved(coordinator):
    with pytest.raises(ValidationError):
        save(coordinator, "status=nonsense")
    with pytest.raises(ValidationError):
        save(coordinator, "status=open", name="  ")
    with pytest.raises(ValidationError):
        save(coordinator, "status=open", page="nowhere")
    assert not SavedFilter.objects.exists()


def test_an_organization_the_user_cannot_see_cannot_be_saved(manager, org_b):
    with pytest.raises(ValidationError):
        savedfilters.save_filter(
            actor=manager, page="systems", name="B", data=QueryDict(f"organization={org_b.pk}")
        )


def test_saved_filters_are_listed_only_to_their_owner(client_for, coordinator, viewer, outsider):
    save(coordinator, "status=open")
    page = client_for(coordinator).get("/incidents/").content.decode()
    assert "Nghiêm trọng đang mở" in page and 'href="/incidents/?status=open"' in page
    assert "Nghiêm trọng đang mở" not in client_for(viewer).get("/incidents/").content.decode()


def test_saving_from_the_list_page_and_from_htmx(client_for, viewer):
    client = client_for(viewer)
    response = client.post(
        "/accounts/filters/save/", {"list": "incidents", "name": "Quá hạn", "query": "overdue=on"}
    )
    assert response.status_code == 302 and response["Location"] == "/incidents/?overdue=on"
    htmx = client.post(
        "/accounts/filters/save/",
        {
            "list": "incidents",
            "name": "Chờ tiếp nhận",
            "status": "logged",
            "query": "stale=1",
            "csrfmiddlewaretoken": "x",
        },
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == "/incidents/?status=logged"
    assert sorted(SavedFilter.objects.filter(user=viewer).values_list("name", flat=True)) == [
        "Chờ tiếp nhận",
        "Quá hạn",
    ]


def test_another_users_filter_cannot_be_deleted(client_for, coordinator, outsider):
    saved = save(coordinator, "status=open")
    assert client_for(outsider).post(f"/accounts/filters/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert client_for(coordinator).post(f"/accounts/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_an_unknown_list_is_404_and_anonymous_is_sent_to_log_in(client_for, viewer):
    assert (
        client_for(viewer).post("/accounts/filters/save/", {"list": "nowhere", "name": "x"}).status_code
        == 404
    )
    assert (
        client_for(None).post("/accounts/filters/save/", {"list": "incidents", "name": "x"}).status_code
        == 302
    )
    assert not SavedFilter.objects.exists()
