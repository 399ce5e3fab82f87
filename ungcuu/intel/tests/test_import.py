"""Importing STIX bundles and MISP events: bad input refused whole, unknown types listed, no duplicates."""

import json

import pytest
import stix2
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pymisp import MISPEvent

from ungcuu.advisories.models import AdvisoryIndicator, IncidentIndicator, Indicator
from ungcuu.incidents.tests.factories import reported
from ungcuu.intel import misp, services
from ungcuu.intel.models import IntelImport
from ungcuu.intel.parsing import TooLarge

pytestmark = pytest.mark.django_db


def indicator(pattern: str, **extra) -> stix2.v21.Indicator:
    return stix2.v21.Indicator(
        pattern=pattern,
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
        name="ioc",
        description="d",
        **extra,
    )


def bundle_bytes(*objects) -> bytes:
    return stix2.v21.Bundle(objects=list(objects), allow_custom=True).serialize().encode()


@pytest.fixture
def fresh(responder, org_a):
    return reported(responder, org_a, "Tấn công lừa đảo Alpha")


def test_bundle_of_indicators_imported_once(fresh, responder):
    raw = bundle_bytes(
        indicator("[ipv4-addr:value = '198.51.100.9']"),
        indicator("[domain-name:value = 'Bad.Example.'] OR [url:value = 'hxxp://bad[.]example/x']"),
        indicator("[file:hashes.'SHA-256' = '" + "A" * 64 + "']"),
        stix2.v21.Identity(name="Someone", identity_class="organization"),
    )
    first = services.import_indicators(actor=responder, format="stix", raw=raw, incident=fresh)
    assert first.added == 4
    assert {(i.kind, i.value) for i in fresh.indicators.all()} == {
        ("ipv4", "198.51.100.9"),
        ("domain", "bad.example"),
        ("url", "http://bad.example/x"),
        ("sha256", "a" * 64),
    }
    assert [s["type"] for s in first.skipped] == ["identity"]
    again = services.import_indicators(actor=responder, format="stix", raw=raw, incident=fresh)
    assert (again.added, again.already_imported) == (0, 3)
    assert IncidentIndicator.objects.filter(incident=fresh).count() == 4
    assert fresh.timeline.filter(data__intel_import=first.pk).exists()


def test_unknown_types_and_unsupported_patterns_are_listed_not_fatal(fresh, responder):
    raw = json.dumps(
        {
            "type": "bundle",
            "id": "bundle--6b6e3a4e-8b50-4b23-9f3b-2f7f3c0a1d11",
            "objects": [
                {
                    "type": "x-acme-widget",
                    "id": "x-acme-widget--0a6c4a0b-0d3e-4f63-9d7e-8c3e0f5f2a11",
                    "spec_version": "2.1",
                },
                json.loads(indicator("[process:name = 'evil.exe']").serialize()),
                json.loads(indicator("[ipv4-addr:value = '10.0.0.0/8']").serialize()),
                json.loads(indicator("[ipv4-addr:value = '192.0.2.1']").serialize()),
            ],
        }
    ).encode()
    result = services.import_indicators(actor=responder, format="stix", raw=raw, incident=fresh)
    assert result.added == 1
    assert [s["type"] for s in result.skipped] == ["x-acme-widget", "indicator", "indicator"]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "not valid JSON"),
        (b'["a"]', "not a STIX 2.1 bundle"),
        (b'{"type": "indicator"}', "not a STIX 2.1 bundle"),
        (b"\xff\xfe\x00", "not valid JSON"),
    ],
)
def test_malformed_input_refused_nothing_written(fresh, responder, raw, message):
    with pytest.raises(ValidationError) as caught:
        services.import_indicators(actor=responder, format="stix", raw=raw, incident=fresh)
    assert message in " ".join(caught.value.messages)
    assert not IntelImport.objects.exists()


def test_invalid_pattern_refuses_the_whole_bundle(fresh, responder):
    good = json.loads(indicator("[ipv4-addr:value = '192.0.2.7']").serialize())
    bad = {**good, "id": "indicator--1f0b3c6a-6f2a-4b4e-8a52-1c6f0e7a9b10", "pattern": "[ipv4-addr:value = "}
    raw = json.dumps(
        {"type": "bundle", "id": "bundle--1f0b3c6a-6f2a-4b4e-8a52-1c6f0e7a9b11", "objects": [good, bad]}
    )
    with pytest.raises(ValidationError) as caught:
        services.import_indicators(actor=responder, format="stix", raw=raw.encode(), incident=fresh)
    assert "indicator--1f0b3c6a-6f2a-4b4e-8a52-1c6f0e7a9b10" in " ".join(caught.value.messages)
    assert not Indicator.objects.filter(value="192.0.2.7").exists()
    assert not IncidentIndicator.objects.filter(incident=fresh).exists()


def test_a_hundred_thousand_indicators_refused_with_413(fresh, responder, client_for):
    one = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--00000000-0000-4000-8000-000000000000",
    }
    raw = json.dumps(
        {"type": "bundle", "id": "bundle--1f0b3c6a-6f2a-4b4e-8a52-1c6f0e7a9b12", "objects": [one] * 100_000}
    )
    with pytest.raises(TooLarge, match="100000 .*20000"):
        services.import_indicators(actor=responder, format="stix", raw=raw.encode(), incident=fresh)
    upload = SimpleUploadedFile("big.json", raw.encode(), content_type="application/json")
    url = reverse("intel:incident_import", args=[fresh.pk])
    response = client_for(responder).post(url, {"format": "stix", "file": upload})
    assert response.status_code == 413
    assert "Split it into smaller files" in response.content.decode()
    assert not IntelImport.objects.exists()


def test_a_bundle_above_the_old_limit_is_imported_in_a_bounded_number_of_queries(
    fresh, responder, django_assert_max_num_queries
):
    """3,000 plain indicators (the limit was 2,000): read by the fast path, written in batches."""
    objects = [
        {
            "type": "indicator",
            "spec_version": "2.1",
            "id": f"indicator--00000000-0000-4000-8000-{i:012d}",
            "created": "2026-01-01T00:00:00.000Z",
            "modified": "2026-01-01T00:00:00.000Z",
            "pattern": f"[ipv4-addr:value = '10.0.{i // 256}.{i % 256}']",
            "pattern_type": "stix",
            "valid_from": "2026-01-01T00:00:00Z",
        }
        for i in range(3000)
    ]
    objects[7]["pattern"] = "[domain-name:value = 'c2.example'] OR [url:value = 'http://c2.example/x']"
    raw = json.dumps(
        {"type": "bundle", "id": "bundle--1f0b3c6a-6f2a-4b4e-8a52-1c6f0e7a9b13", "objects": objects}
    )
    with django_assert_max_num_queries(150):  # batches of hundreds, never one query per object
        result = services.import_indicators(actor=responder, format="stix", raw=raw.encode(), incident=fresh)
    assert result.added == 3001
    assert IncidentIndicator.objects.filter(incident=fresh).count() == 3001
    again = services.import_indicators(actor=responder, format="stix", raw=raw.encode(), incident=fresh)
    assert (again.added, again.already_imported) == (0, 3000)


def test_viewer_403_outsider_404_nothing_changed(fresh, viewer, outsider, client_for):
    raw = bundle_bytes(indicator("[ipv4-addr:value = '198.51.100.9']"))
    with pytest.raises(PermissionDenied):
        services.import_indicators(actor=viewer, format="stix", raw=raw, incident=fresh)
    url = reverse("intel:incident_import", args=[fresh.pk])
    upload = SimpleUploadedFile("b.json", raw, content_type="application/json")
    assert client_for(viewer).post(url, {"format": "stix", "file": upload}).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert not IncidentIndicator.objects.filter(incident=fresh).exists()


def test_page_import_into_advisory(advisory, coordinator, client_for):
    raw = bundle_bytes(indicator("[email-addr:value = 'Boss@Evil.Example']"))
    url = reverse("intel:advisory_import", args=[advisory.pk])
    upload = SimpleUploadedFile("feed.json", raw, content_type="application/json")
    response = client_for(coordinator).post(url, {"format": "stix", "file": upload})
    assert response.status_code == 200
    assert AdvisoryIndicator.objects.filter(advisory=advisory, indicator__value="boss@evil.example").exists()


# --- MISP -------------------------------------------------------------------------------------------


def misp_event() -> MISPEvent:
    event = MISPEvent()
    event.info = "Phishing wave"
    event.add_attribute("ip-dst", "203.0.113.200", to_ids=True)
    event.add_attribute("domain", "Phish.Example", to_ids=True)
    event.add_attribute("filename|sha256", "a.exe|" + "b" * 64, to_ids=True)
    event.add_attribute("text", "a note", to_ids=False)
    event.add_tag("tlp:amber")
    return event


def test_misp_event_imported_once(fresh, responder):
    raw = misp_event().to_json().encode()
    first = services.import_indicators(actor=responder, format="misp", raw=raw, incident=fresh)
    assert first.added == 3
    assert [s["type"] for s in first.skipped] == ["text"]
    again = services.import_indicators(actor=responder, format="misp", raw=raw, incident=fresh)
    assert (again.added, again.already_imported) == (0, 3)


@pytest.mark.parametrize("raw", [b"[]", b'{"Event": []}', b'{"foo": 1}', b"nope"])
def test_bad_misp_input_refused(fresh, responder, raw):
    with pytest.raises(ValidationError):
        services.import_indicators(actor=responder, format="misp", raw=raw, incident=fresh)
    assert not IntelImport.objects.exists()


def test_misp_attribute_with_invalid_value_refuses_all(fresh, responder):
    event = misp_event()
    event.add_attribute("ip-src", "not-an-ip", to_ids=True)
    with pytest.raises(ValidationError):
        services.import_indicators(
            actor=responder, format="misp", raw=event.to_json().encode(), incident=fresh
        )
    assert not IncidentIndicator.objects.filter(incident=fresh).exists()


def test_misp_export_round_trips_through_pymisp(incident, responder, fresh):
    event = misp.incident_event(incident)
    loaded = MISPEvent()
    loaded.load(misp.serialize(event))
    assert loaded.info.startswith(incident.reference)
    assert {t.name for t in loaded.tags} == {"tlp:amber"}
    assert all(a.to_ids for a in loaded.attributes)
    assert {a.type for a in loaded.attributes} >= {
        "ip-dst",
        "domain",
        "url",
        "sha256",
        "md5",
        "sha1",
        "email-src",
    }
    result = services.import_indicators(
        actor=responder, format="misp", raw=misp.serialize(event).encode(), incident=fresh
    )
    assert result.added == incident.indicators.count()
