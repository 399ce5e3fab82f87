"""TLP 2.0 in STIX 2.1: the five marking definitions OASIS publishes (cti-stix-common-objects,
extension-definition-specifications/tlp-2.0), by their official ids, so any consumer recognises them.

stix2's own TLP_WHITE/GREEN/AMBER/RED are TLP 1.0 (no CLEAR, no AMBER+STRICT); TLP 2.0 is carried by a
property extension on the marking definition instead of `definition_type: tlp`.
"""

from __future__ import annotations

import stix2

from ungcuu.incidents.models import Incident

Tlp = Incident.Tlp
EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
MARKING_IDS: dict[str, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# Most shareable first: where one indicator reaches a reader through several sources, the first one wins.
ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]
# MISP's taxonomy tags (tlp:clear … tlp:red), the same five labels.
MISP_TAGS: dict[str, str] = {tlp: f"tlp:{tlp.lower()}" for tlp in ORDER}


def marking(tlp: str) -> stix2.v21.MarkingDefinition:
    """The OASIS marking definition of a TLP 2.0 label, exactly as published."""
    return stix2.v21.MarkingDefinition(
        id=MARKING_IDS[Tlp(tlp)],
        created="2022-10-01T00:00:00.000Z",
        name=Tlp(tlp).label,
        extensions={EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.lower()}},
    )


def most_shareable(labels) -> str:
    return min(labels, key=ORDER.index)
