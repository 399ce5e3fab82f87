"""STIX 2.1 export: every bundle passes the OASIS validator (strict), and follows the incident's gate."""

import json

import pytest
import stix2
from django.urls import reverse

from ungcuu.incidents.models import Incident
from ungcuu.intel import stix, tlp
from ungcuu.intel.tests.conftest import VALUES
from ungcuu.intel.tests.helpers import assert_valid_stix, of_type

pytestmark = pytest.mark.django_db


def test_incident_bundle_is_valid_stix_with_every_observable(incident):
    bundle = assert_valid_stix(stix.serialize(stix.incident_bundle(incident)))
    assert len(of_type(bundle, "incident")) == 1
    patterns = {o["pattern"] for o in of_type(bundle, "indicator")}
    assert "[ipv4-addr:value = '203.0.113.66']" in patterns
    assert (
        "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"
        in patterns
    )
    assert len(patterns) == len(VALUES)
    observed = of_type(bundle, "observed-data")[0]
    files = [o for o in of_type(bundle, "file") if o.get("name") == "access.log"]
    assert files and files[0]["id"] in observed["object_refs"]  # the evidence file's SHA-256
    kinds = {
        (r["relationship_type"], r["source_ref"].split("--")[0], r["target_ref"].split("--")[0])
        for r in of_type(bundle, "relationship")
    }
    assert kinds == {
        ("related-to", "indicator", "incident"),
        ("based-on", "indicator", "observed-data"),
        ("related-to", "observed-data", "incident"),
    }


@pytest.mark.parametrize("label", list(tlp.MARKING_IDS))
def test_every_tlp_label_is_the_oasis_tlp2_marking(incident, label):
    Incident.objects.filter(pk=incident.pk).update(tlp=label)
    incident.refresh_from_db()
    bundle = assert_valid_stix(stix.serialize(stix.incident_bundle(incident)))
    (marking,) = of_type(bundle, "marking-definition")
    assert marking["id"] == tlp.MARKING_IDS[label]
    assert marking["extensions"][tlp.EXTENSION]["tlp_2_0"] == label.lower()
    for obj in bundle["objects"]:
        if obj["type"] not in ("marking-definition", "identity"):
            assert obj["object_marking_refs"] == [marking["id"]]


def test_export_is_stable_across_runs(incident):
    first = stix.incident_bundle(incident)
    second = stix.incident_bundle(incident)
    assert sorted(o.id for o in first.objects) == sorted(o.id for o in second.objects)


def test_advisory_bundle_is_a_valid_report(advisory):
    bundle = assert_valid_stix(stix.serialize(stix.advisory_bundle(advisory)))
    (report,) = of_type(bundle, "report")
    (vulnerability,) = of_type(bundle, "vulnerability")
    assert vulnerability["external_references"] == [{"source_name": "cve", "external_id": "CVE-2023-44487"}]
    assert vulnerability["id"] in report["object_refs"]
    assert {o["pattern"] for o in of_type(bundle, "indicator")} == {
        "[ipv4-addr:value = '198.51.100.23']",
        "[domain-name:value = 'login-gov.evil.example']",
    }
    assert of_type(bundle, "relationship")[0]["relationship_type"] == "mitigates"


def test_parsed_back_by_stix2(incident):
    parsed = stix2.parse(stix.serialize(stix.incident_bundle(incident)), allow_custom=False)
    assert parsed.type == "bundle"


# --- pages: the incident's gate ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["intel:incident_stix", "intel:incident_misp"])
def test_reader_downloads_outsider_gets_404(client_for, incident, viewer, outsider, name):
    url = reverse(name, args=[incident.pk])
    response = client_for(viewer).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to the sign-in page


def test_confidential_incident_not_exported_to_its_organizations_viewer(
    client_for, incident, viewer, responder
):
    Incident.objects.filter(pk=incident.pk).update(confidential=True)
    url = reverse("intel:incident_stix", args=[incident.pk])
    assert client_for(viewer).get(url).status_code == 404  # not the reporter, not a handler
    assert client_for(responder).get(url).status_code == 200  # the reporter reads it


def test_advisory_download_follows_the_advisory_gate(client_for, advisory, viewer, outsider):
    url = reverse("intel:advisory_stix", args=[advisory.pk])
    assert client_for(viewer).get(url).status_code == 200  # org A is targeted
    assert client_for(outsider).get(url).status_code == 404  # TLP:AMBER, org B not targeted
    assert_valid_stix(client_for(viewer).get(url).content.decode())
