"""The fast reading of plain STIX indicators agrees with stix2: what it accepts, stix2 accepts with the same
comparisons; whatever it is unsure of goes to stix2 (None), so refusals stay stix2's."""

import copy
import json

import pytest
import stix2
from stix2patterns.v21.pattern import Pattern

from ungcuu.intel import fast, parsing

BASE = {
    "type": "indicator",
    "spec_version": "2.1",
    "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
    "created": "2026-01-01T00:00:00.000Z",
    "modified": "2026-01-02T00:00:00.123456Z",
    "name": "C2",
    "description": "d",
    "indicator_types": ["malicious-activity"],
    "labels": ["apt"],
    "confidence": 80,
    "revoked": False,
    "lang": "vi",
    "created_by_ref": "identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
    "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
    "pattern": "[ipv4-addr:value = '198.51.100.1']",
    "pattern_type": "stix",
    "pattern_version": "2.1",
    "valid_from": "2026-01-01T00:00:00Z",
    "valid_until": "2027-01-01T00:00:00Z",
}

# Each: (a change to BASE, whether the fast reading may take it).
VARIANTS = [
    ({}, True),
    ({"pattern": "[ipv6-addr:value='2001:db8::1']"}, True),
    ({"pattern": "[ domain-name:value = 'Bad.Example.' ]"}, True),
    ({"pattern": "[url:value = 'http://x.example/it\\'s']"}, True),
    ({"pattern": "[email-addr:value = 'a@b.example']"}, True),
    ({"pattern": "[file:hashes.'SHA-256' = '" + "A" * 64 + "']"}, True),
    ({"pattern": "[file:hashes.MD5 = '" + "d" * 32 + "']"}, True),
    ({"pattern": "[file:hashes.'SHA-1' = '" + "e" * 40 + "']"}, True),
    ({"pattern": "[ipv4-addr:value = '10.0.0.0/8']"}, True),
    ({"pattern": "[file:hashes.'SHA-256' = 'abc']"}, False),  # stix2: not a valid SHA-256 hash
    ({"pattern": "[ipv4-addr:value = '1.2.3.4'] OR [url:value = 'http://x']"}, False),
    ({"pattern": "[ipv4-addr:value = "}, False),
    ({"pattern": "[process:name = 'evil.exe']"}, False),
    ({"pattern": "[ipv4-addr:value\t= '1.2.3.4']"}, False),
    ({"pattern_version": "2.0"}, False),
    ({"pattern_type": "sigma", "pattern": "title: x"}, False),
    ({"spec_version": "2.0"}, False),
    ({"id": "indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"}, False),
    ({"id": "indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f"}, False),  # not the RFC 4122 variant
    ({"id": "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}, False),
    ({"created": "2026-02-30T00:00:00Z"}, False),
    ({"created": "2026-01-01 00:00:00Z"}, False),
    ({"created": "2026-01-01T00:00:00.1234567Z"}, False),
    ({"valid_until": "2025-01-01T00:00:00Z"}, False),
    ({"labels": []}, False),
    ({"labels": ["a", 1]}, False),
    ({"confidence": True}, False),
    ({"revoked": "no"}, False),
    ({"name": None}, False),
    ({"name": 5}, False),
    ({"created_by_ref": "identity--nope"}, False),
    ({"object_marking_refs": ["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"]}, False),
    ({"x_acme_score": 3}, False),
    ({"external_references": [{"source_name": "x"}]}, False),
]


def _stix2_comparisons(obj: dict):
    indicator = stix2.parse(copy.deepcopy(obj), allow_custom=True, version="2.1")
    comparisons = Pattern(indicator.pattern).inspect().comparisons
    return {t: [(tuple(p), op, v) for p, op, v in items] for t, items in comparisons.items()}


@pytest.mark.parametrize("change, taken", VARIANTS)
def test_fast_reading_takes_only_what_stix2_accepts_and_reads_it_the_same(change, taken):
    obj = {**BASE, **change}
    found = fast.comparisons(obj)
    assert (found is not None) == taken
    if found is not None:
        assert found == _stix2_comparisons(obj)


def test_without_valid_until_or_optional_properties_still_fast():
    plain = {k: BASE[k] for k in ("type", "spec_version", "id", "pattern", "pattern_type", "valid_from")}
    assert fast.comparisons(plain) == _stix2_comparisons(plain)
    assert fast.comparisons({k: v for k, v in plain.items() if k != "valid_from"}) is not None


def test_a_bundle_reads_the_same_by_either_path(monkeypatch):
    objects = [{**BASE, **change} for change, _taken in VARIANTS if "pattern" in change or not change]
    objects = [o for o in objects if o["pattern"] not in ("[ipv4-addr:value = ",)]
    for n, obj in enumerate(objects):
        obj["id"] = f"indicator--8e2e2d2b-17d4-4cbf-938f-{n:012d}"
    raw = json.dumps({"type": "bundle", "id": "bundle--" + BASE["id"][11:], "objects": objects}).encode()
    quick = parsing.parse_stix(raw)
    monkeypatch.setattr(fast, "comparisons", lambda obj: None)  # every object through stix2
    slow = parsing.parse_stix(raw)
    assert quick == slow
    # Refused by either path alike: the short SHA-256 (stix2's pattern validator), and "http://x" (ours).
    assert quick.error_count == 2 and len(quick.candidates) == 10
