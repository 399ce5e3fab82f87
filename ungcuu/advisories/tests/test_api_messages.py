"""API refusals speak the caller's language like the pages do (Vietnamese first)."""

from django.conf import settings

from ungcuu.advisories.models import Indicator


def test_indicator_without_advisory_or_incident_is_refused_in_vietnamese(api_for, coordinator):
    client = api_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post("/api/v1/indicators/", {"value": "198.51.100.7"}, format="json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Hãy chọn một cảnh báo hoặc một sự cố."]
    assert not Indicator.objects.exists()


def test_unknown_indicator_kind_is_refused_in_vietnamese(api_for, coordinator, advisory):
    client = api_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post(
        "/api/v1/indicators/",
        {"value": "198.51.100.7", "kind": "nope", "advisory": advisory.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["kind"][0].startswith("Chọn một trong: ")
    assert not Indicator.objects.exists()
