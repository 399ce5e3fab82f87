"""API: the same gates and services as the pages; 404 hidden, 403 not allowed, 400 bad body, 409 state."""

import pytest

from ungcuu.advisories.indicators import add_indicator
from ungcuu.advisories.models import Advisory, AdvisorySystemState, AdvisoryTarget, Indicator

from .test_views import snapshot

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Lỗ hổng Zimbra",
    "summary": "Thực thi mã từ xa.",
    "recommended_actions": "Cập nhật bản vá.",
    "deadline": "2099-01-01T10:00:00+07:00",
    "cve_ids": ["CVE-2022-41352"],
    "products": [{"vendor": "Zimbra", "product": "Collaboration", "versions": "<8.8.15_P34"}],
    "new_indicators": ["hxxp://mail-login[.]example/"],
}


def test_coordinator_writes_targets_publishes(api_for, coordinator, tomcat_a, org_a):
    api = api_for(coordinator)
    created = api.post("/api/v1/advisories/", BODY, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["indicators"][0]["value"] == "http://mail-login.example/"

    fixed = api.patch(
        f"/api/v1/advisories/{pk}/",
        {"products": [{"vendor": "Apache", "product": "Tomcat", "versions": "<9.0.80"}]},
        format="json",
    )
    assert fixed.status_code == 200 and fixed.json()["products"][0]["product"] == "Tomcat"
    proposal = api.get(f"/api/v1/advisories/{pk}/proposal/").json()
    assert proposal == [
        {
            "organization": {"id": org_a.pk, "code": org_a.code, "name": org_a.name},
            "systems": [
                {
                    "id": tomcat_a.pk,
                    "name": tomcat_a.name,
                    "software": "Apache Tomcat 9.0.65",
                    "version_known": True,
                }
            ],
        }
    ]
    targets = api.post(f"/api/v1/advisories/{pk}/set-targets/", {"systems": [tomcat_a.pk]}, format="json")
    assert targets.status_code == 200 and targets.json()[0]["organization"] == org_a.pk
    assert api.post(f"/api/v1/advisories/{pk}/publish/").json()["status"] == "published"
    assert api.post(f"/api/v1/advisories/{pk}/publish/").status_code == 409
    assert api.post(f"/api/v1/advisories/{pk}/set-targets/", {}, format="json").status_code == 409


def test_bad_body_gets_field_messages(api_for, coordinator):
    response = api_for(coordinator).post(
        "/api/v1/advisories/", {**BODY, "cve_ids": ["CVE-1"], "new_indicators": ["nope"]}, format="json"
    )
    assert response.status_code == 400 and "cve_ids" in response.json()
    assert not Advisory.objects.exists()


def test_unit_acknowledges_and_reports_state(api_for, manager, advisory, target_a, state_a):
    api = api_for(manager)
    listed = api.get("/api/v1/advisory-targets/").json()["results"]
    assert [row["id"] for row in listed] == [target_a.pk]
    assert api.post(f"/api/v1/advisory-targets/{target_a.pk}/acknowledge/").json()["status"] == "acknowledged"
    patched = api.patch(
        f"/api/v1/advisory-system-states/{state_a.pk}/", {"status": "remediated"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["status"] == "remediated"
    assert api.get(f"/api/v1/advisory-targets/{target_a.pk}/").json()["status"] == "completed"
    bad = api.patch(
        f"/api/v1/advisory-system-states/{state_a.pk}/", {"status": "not_affected"}, format="json"
    )
    assert bad.status_code == 400 and "note" in bad.json()


def test_indicator_post_answers_seen_before(api_for, coordinator, manager, advisory, incident_a):
    add_indicator(actor=coordinator, value="198.51.100.7", advisory=advisory)
    response = api_for(manager).post(
        "/api/v1/indicators/", {"value": "198.51.100[.]7", "incident": incident_a.pk}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is False and body["attached"] is True
    assert body["seen_before"]["advisories"] == [
        {"id": advisory.pk, "reference": advisory.reference, "title": advisory.title}
    ]
    listed = api_for(manager).get("/api/v1/indicators/?q=198.51").json()["results"]
    assert (
        listed[0]["value"] == "198.51.100.7" and listed[0]["seen_in"]["incidents"][0]["id"] == incident_a.pk
    )
    bad = api_for(manager).post(
        "/api/v1/indicators/", {"value": "999.1.1.1", "incident": incident_a.pk}, format="json"
    )
    assert bad.status_code == 400 and "value" in bad.json()


@pytest.fixture
def objects(coordinator, manager, advisory, target_a, state_a, incident_a):
    add_indicator(actor=coordinator, value="198.51.100.5", advisory=advisory)
    add_indicator(actor=manager, value="198.51.100.5", incident=incident_a)
    return {
        "advisory": advisory,
        "target": target_a,
        "state": state_a,
        "indicator": Indicator.objects.get(),
        "incident": incident_a,
    }


def writes(o):
    a = o["advisory"].pk
    return [
        ("post", "/api/v1/advisories/", BODY),
        ("patch", f"/api/v1/advisories/{a}/", {"title": "Sửa"}),
        ("post", f"/api/v1/advisories/{a}/publish/", {}),
        ("post", f"/api/v1/advisories/{a}/close/", {}),
        ("post", f"/api/v1/advisories/{a}/set-targets/", {}),
        ("get", f"/api/v1/advisories/{a}/proposal/", None),
        ("post", f"/api/v1/advisory-targets/{o['target'].pk}/acknowledge/", {}),
        ("patch", f"/api/v1/advisory-system-states/{o['state'].pk}/", {"status": "remediated"}),
        ("post", "/api/v1/indicators/", {"value": "198.51.100.9", "incident": o["incident"].pk}),
    ]


def test_viewer_reads_but_every_write_is_403(api_for, viewer, objects):
    api, before = api_for(viewer), snapshot()
    for method, url, body in writes(objects):
        response = getattr(api, method)(url, body, format="json") if body is not None else api.get(url)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert snapshot() == before
    assert b"Alpha" in api.get("/api/v1/advisories/").content
    assert b"Alpha" in api.get("/api/v1/advisory-targets/").content
    assert b"Alpha" in api.get("/api/v1/advisory-system-states/").content
    assert b"Alpha" in api.get("/api/v1/indicators/").content


def test_outsider_gets_404_and_sees_nothing(api_for, outsider, objects):
    api, before = api_for(outsider), snapshot()
    for method, url, body in writes(objects):
        response = getattr(api, method)(url, body, format="json") if body is not None else api.get(url)
        expected = {"/api/v1/advisories/": 403, "/api/v1/indicators/": 400}.get(url, 404)
        assert response.status_code == expected, f"{method} {url}: {response.status_code}"
    for url in (
        "/api/v1/advisories/",
        "/api/v1/advisory-targets/",
        "/api/v1/advisory-system-states/",
        "/api/v1/indicators/",
    ):
        response = api.get(url)
        assert response.status_code == 200 and response.json()["results"] == [], url
    for url in (
        f"/api/v1/indicators/{objects['indicator'].pk}/",
        f"/api/v1/advisories/{objects['advisory'].pk}/",
    ):
        assert api.get(url).status_code == 404
    assert snapshot() == before


def test_refused_methods(api_for, coordinator, objects):
    api = api_for(coordinator)
    assert api.delete(f"/api/v1/advisories/{objects['advisory'].pk}/").status_code == 405
    assert api.post("/api/v1/advisory-targets/", {}, format="json").status_code == 405
    assert api.delete(f"/api/v1/indicators/{objects['indicator'].pk}/").status_code == 405
    assert AdvisoryTarget.objects.count() == 1 and AdvisorySystemState.objects.count() == 1


def test_indicator_post_does_not_reveal_a_hidden_incident(api_for, outsider, manager, incident_a, incident_b):
    """Issue 10 leak 4: `created: false` said the value was already on an incident the caller cannot open."""
    add_indicator(actor=manager, value="198.51.100.99", incident=incident_a)
    response = api_for(outsider).post(
        "/api/v1/indicators/", {"value": "198.51.100.99", "incident": incident_b.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["created"] is True and response.json()["seen_before"]["incidents"] == []


def test_indicator_list_filtered_by_a_hidden_incident_is_empty(
    api_for, outsider, manager, incident_a, incident_b
):
    """Issue 10 leak 4: `?incident=<hidden id>` listed the hidden incident's indicators."""
    add_indicator(actor=manager, value="198.51.100.98", incident=incident_a)
    add_indicator(actor=outsider, value="198.51.100.98", incident=incident_b)
    api = api_for(outsider)
    assert [
        r["value"] for r in api.get(f"/api/v1/indicators/?incident={incident_b.pk}").json()["results"]
    ] == ["198.51.100.98"]
    hidden = api.get(f"/api/v1/indicators/?incident={incident_a.pk}")
    missing = api.get("/api/v1/indicators/?incident=987654")
    assert hidden.status_code == missing.status_code == 200
    assert hidden.json()["results"] == missing.json()["results"] == []
