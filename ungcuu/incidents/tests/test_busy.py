"""A busy database (injected OperationalError) never loses a report: the intake runs again, or the page
keeps what was typed and says so in Vietnamese; the API answers 503 with Retry-After. Nothing half-written."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import bad_request, server_error

from ungcuu.core.models import ReferenceCounter
from ungcuu.incidents import services
from ungcuu.incidents.models import Incident
from ungcuu.incidents.tests.test_api import api, body
from ungcuu.incidents.tests.test_views import form03

pytestmark = pytest.mark.django_db

LOCKED = OperationalError("database is locked")


@pytest.fixture
def busy_routing(monkeypatch):
    """Routing (after the reference number was taken) fails with "database is locked" `times` times."""
    real, calls = services.routing.route, {"left": 0}

    def route(*args, **kwargs):
        if calls["left"]:
            calls["left"] -= 1
            raise LOCKED
        return real(*args, **kwargs)

    monkeypatch.setattr(services.routing, "route", route)
    return calls


def saved():
    return Incident.objects.count(), list(ReferenceCounter.objects.values_list("last", flat=True))


def test_a_busy_moment_during_intake_is_retried_and_its_number_given_back(province, client_for, busy_routing):
    busy_routing["left"] = 1

    response = client_for(province["manager"]).post("/incidents/report/", form03(province))

    assert response.status_code == 302 and busy_routing["left"] == 0
    assert Incident.objects.get().reference.endswith("-000001")  # the failed attempt's number came back


def test_form03_on_a_database_that_stays_busy_keeps_what_was_typed(province, client_for, busy_routing):
    busy_routing["left"] = 99
    client = client_for(province["manager"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    typed = form03(province, description="Trang chủ bị thay nội dung\nlúc 8 giờ sáng")

    response = client.post("/incidents/report/", typed)

    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Hệ thống đang bận" in page and "Lưu lại" in page
    assert 'name="title" value="Cổng thông tin bị thay đổi giao diện"' in page
    assert 'name="idempotency_key" value="k-1"' in page  # sending again cannot make a second incident
    assert saved() == (0, [])
    busy_routing["left"] = 0
    again = client.post("/incidents/report/", typed)
    assert again.status_code == 302 and Incident.objects.get().description == typed["description"]


def test_api_on_a_busy_database_is_503_with_retry_after_and_nothing_saved(province, busy_routing):
    busy_routing["left"] = 99

    response = api(province["responder"]).post("/api/v1/incidents/", body(province), format="json")

    assert response.status_code == 503 and response["Retry-After"] == "5" and response.json()["detail"]
    assert saved() == (0, [])


def test_other_database_errors_are_not_disguised_as_busy(province, client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such column: incidents_incident.nope")

    monkeypatch.setattr(services.routing, "route", broken)
    client = client_for(province["manager"])
    client.raise_request_exception = False

    assert client.post("/incidents/report/", form03(province)).status_code == 500


def test_the_500_page_is_vietnamese_and_needs_no_database(django_assert_num_queries):
    with translation.override("vi"), django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500 and "Lỗi máy chủ" in page and "Ứng Cứu" in page


def test_error_pages_speak_vietnamese_in_the_sites_layout():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    page = client.get("/no-such-page/").content.decode()

    assert "Không tìm thấy" in page and 'class="topbar"' in page


def test_400_and_429_pages_are_vietnamese_in_the_sites_layout():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override("vi"):
        bad = bad_request(request, SuspiciousOperation("bad")).content.decode()
        many = render_to_string("429.html", request=request)

    assert "Yêu cầu không hợp lệ" in bad and 'class="topbar"' in bad
    assert "Quá nhiều yêu cầu" in many and 'class="topbar"' in many
