"""Issue 17 (threat intelligence), in Debian's chromium: the coordinator imports a STIX bundle from the
national feed into a unit's incident, sees what was added and what was skipped, and downloads the
incident as STIX 2.1."""

import json
from pathlib import Path

import pytest
import stix2
from playwright.sync_api import expect

from ungcuu.incidents.tests.factories import reported

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_import_then_export_from_the_incident_page(
    new_context, shot, coordinator, manager, health_dept, tmp_path
):
    incident = reported(manager, health_dept, "Lừa đảo qua thư điện tử giả danh cơ quan thuế")
    bundle = stix2.v21.Bundle(
        objects=[
            stix2.v21.Indicator(
                pattern="[domain-name:value = 'thue-gov.evil.example']",
                pattern_type="stix",
                valid_from="2026-01-01T00:00:00Z",
                name="phishing domain",
                description="from the national feed",
            ),
            stix2.v21.Identity(name="VNCERT/CC", identity_class="organization"),
        ]
    )
    feed = Path(tmp_path / "feed.json")
    feed.write_text(bundle.serialize())
    page = log_in(new_context(), coordinator)
    page.goto(f"/incidents/{incident.pk}/")
    page.click("#import-intel")
    page.select_option("select[name=format]", "stix")
    page.set_input_files("input[name=file]", str(feed))
    page.click("#import-submit")
    expect(page.locator("#import-result")).to_be_visible()
    expect(page.locator("#skipped")).to_contain_text("identity")
    shot(page, "01-imported")
    page.goto(f"/incidents/{incident.pk}/")
    expect(page.locator("#export-stix")).to_be_visible()
    shot(page, "02-incident")
    with page.expect_download() as download:
        page.click("#export-stix")
    exported = json.loads(Path(download.value.path()).read_text())
    patterns = [o["pattern"] for o in exported["objects"] if o["type"] == "indicator"]
    assert patterns == ["[domain-name:value = 'thue-gov.evil.example']"]
