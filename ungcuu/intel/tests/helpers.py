"""Checking bundles with the OASIS validator, strictly: warnings count as errors."""

import json

from stix2validator import ValidationOptions, print_results, validate_instance

STRICT = ValidationOptions(strict=True, version="2.1")


def assert_valid_stix(bundle: dict | str) -> dict:
    data = json.loads(bundle) if isinstance(bundle, str) else bundle
    result = validate_instance(data, STRICT)
    if not result.is_valid:
        print_results(result)
    assert result.is_valid
    return data


def of_type(bundle: dict, object_type: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == object_type]
