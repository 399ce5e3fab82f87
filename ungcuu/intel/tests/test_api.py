"""The API: STIX and MISP downloads and indicator import, with the incident's and advisory's gates."""

import pytest
import stix2
from django.core.files.uploadedfile import SimpleUploadedFile

from ungcuu.advisories.models import IncidentIndicator
from ungcuu.audit.models import AuditEvent
from ungcuu.incidents.models import Incident
from ungcuu.incidents.tests.factories import reported
from ungcuu.intel.models import IntelImport
from ungcuu.intel.tests.helpers import assert_valid_stix

pytestmark = pytest.mark.django_db


def upload(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("feed.json", raw, content_type="application/json")


BUNDLE = stix2.v21.Bundle(
    objects=[
        stix2.v21.Indicator(
            pattern="[url:value = 'https://evil.example/login']",
            pattern_type="stix",
            valid_from="2026-01-01T00:00:00Z",
            name="u",
            description="d",
        )
    ]
).serialize()


def test_stix_and_misp_of_an_incident(api_for, incident, viewer, outsider):
    response = api_for(viewer).get(f"/api/v1/incidents/{incident.pk}/stix/")
    assert response.status_code == 200
    assert_valid_stix(response.json())
    assert api_for(viewer).get(f"/api/v1/incidents/{incident.pk}/misp/").json()["Event"]["Attribute"]
    assert api_for(outsider).get(f"/api/v1/incidents/{incident.pk}/stix/").status_code == 404
    assert api_for(None).get(f"/api/v1/incidents/{incident.pk}/stix/").status_code == 401


def test_import_by_api_once(api_for, responder, org_a):
    fresh = reported(responder, org_a, "Trang giả mạo Alpha")
    url = f"/api/v1/incidents/{fresh.pk}/import-indicators/"
    first = api_for(responder).post(
        url, {"format": "stix", "file": upload(BUNDLE.encode())}, format="multipart"
    )
    assert first.status_code == 201
    assert first.json()["added"] == 1
    again = api_for(responder).post(
        url, {"format": "stix", "file": upload(BUNDLE.encode())}, format="multipart"
    )
    assert (again.json()["added"], again.json()["already_imported"]) == (0, 1)
    assert IncidentIndicator.objects.filter(incident=fresh).count() == 1


def test_api_refusals(api_for, responder, viewer, outsider, org_a, settings):
    fresh = reported(responder, org_a, "Trang giả mạo Alpha")
    url = f"/api/v1/incidents/{fresh.pk}/import-indicators/"
    body = {"format": "stix", "file": upload(BUNDLE.encode())}
    assert api_for(viewer).post(url, body, format="multipart").status_code == 403
    body = {"format": "stix", "file": upload(BUNDLE.encode())}
    assert api_for(outsider).post(url, body, format="multipart").status_code == 404
    bad = api_for(responder).post(url, {"format": "stix", "file": upload(b"{oops")}, format="multipart")
    assert bad.status_code == 400
    assert "not valid JSON" in str(bad.json())
    settings.INTEL_IMPORT_MAX_OBJECTS = 0
    big = api_for(responder).post(
        url, {"format": "stix", "file": upload(BUNDLE.encode())}, format="multipart"
    )
    assert big.status_code == 413
    assert not IntelImport.objects.exists()


def test_advisory_import_is_for_coordinators(api_for, advisory, coordinator, viewer):
    url = f"/api/v1/advisories/{advisory.pk}/import-indicators/"
    body = {"format": "stix", "file": upload(BUNDLE.encode())}
    assert api_for(viewer).post(url, body, format="multipart").status_code == 403
    body = {"format": "stix", "file": upload(BUNDLE.encode())}
    assert api_for(coordinator).post(url, body, format="multipart").status_code == 201
    assert_valid_stix(api_for(viewer).get(f"/api/v1/advisories/{advisory.pk}/stix/").json())


def test_copies_of_a_confidential_incident_are_in_the_audit_trail(api_for, client_for, incident, responder):
    Incident.objects.filter(pk=incident.pk).update(confidential=True)
    assert api_for(responder).get(f"/api/v1/incidents/{incident.pk}/stix/").status_code == 200
    assert client_for(responder).get(f"/intel/incidents/{incident.pk}/misp.json").status_code == 200
    actions = set(
        AuditEvent.objects.filter(target_id=str(incident.pk), actor=responder).values_list(
            "action", flat=True
        )
    )
    assert {AuditEvent.Action.VIEW_CONFIDENTIAL, AuditEvent.Action.DOWNLOAD} <= actions
