"""STIX 2.1 bundles of an incident or an advisory, every object built by the OASIS `stix2` library.

Who may ask is decided before this module is called (the incident's or advisory's gate); nothing here
reads a user. Ids are UUIDv5 of the platform's address and the row, so exporting the same incident twice
gives the same ids and a consumer updates instead of duplicating.

An incident becomes: the specialised unit's identity (the producer), the TLP 2.0 marking, an `incident`,
one `indicator` per indicator of compromise (a STIX pattern), one `observed-data` holding the observables
(the indicators' values and the SHA-256 of the evidence files that are not classified confidential) and
the relationships `indicator based-on observed-data`, `indicator related-to incident` and
`observed-data related-to incident` (STIX 2.1 names no closer type towards an incident).
An advisory becomes a `report` over its `vulnerability` objects (CVE ids), a `course-of-action` (the
recommended actions) that `mitigates` each of them, and its indicators.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import stix2
from django.conf import settings
from stix2 import EqualityComparisonExpression, ObjectPath, ObservationExpression, StringConstant

from ungcuu.advisories.models import Advisory, Indicator, IndicatorKind
from ungcuu.core import bodies
from ungcuu.evidence.models import Evidence
from ungcuu.incidents.models import Incident
from ungcuu.intel import tlp

# The Vietnamese legal framework's start (TT20 in force): a fixed creation date keeps the identity stable.
IDENTITY_CREATED = "2017-11-01T00:00:00Z"


@dataclass(frozen=True)
class Observable:
    """How one kind of indicator is written in STIX: its cyber-observable class and pattern path."""

    sco: type
    object_type: str
    path: tuple[str, ...]


OBSERVABLES: dict[str, Observable] = {
    IndicatorKind.IPV4: Observable(stix2.v21.IPv4Address, "ipv4-addr", ("value",)),
    IndicatorKind.IPV6: Observable(stix2.v21.IPv6Address, "ipv6-addr", ("value",)),
    IndicatorKind.DOMAIN: Observable(stix2.v21.DomainName, "domain-name", ("value",)),
    IndicatorKind.URL: Observable(stix2.v21.URL, "url", ("value",)),
    IndicatorKind.EMAIL: Observable(stix2.v21.EmailAddress, "email-addr", ("value",)),
    IndicatorKind.MD5: Observable(stix2.v21.File, "file", ("hashes", "MD5")),
    IndicatorKind.SHA1: Observable(stix2.v21.File, "file", ("hashes", "SHA-1")),
    IndicatorKind.SHA256: Observable(stix2.v21.File, "file", ("hashes", "SHA-256")),
}


def stable_id(object_type: str, key: str) -> str:
    """`<type>--<UUID>` derived from this platform's address and `key`: the same row always has the same id.

    STIX 2.1 wants version-4 UUIDs for SDOs and SROs: the name-based (v5) digest is re-stamped as version
    4, which keeps it deterministic and is still 122 bits that no other producer will pick.
    """
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL.rstrip("/") + "/stix/")
    return f"{object_type}--{uuid.UUID(bytes=uuid.uuid5(namespace, key).bytes, version=4)}"


def producer() -> stix2.v21.Identity:
    """The specialised unit, the body that speaks for the platform (its name as configured today)."""
    return stix2.v21.Identity(
        id=stable_id("identity", "producer"),
        created=IDENTITY_CREATED,
        modified=IDENTITY_CREATED,
        name=bodies.body_name("SPECIALISED_UNIT"),
        description=bodies.province_name(),
        identity_class="organization",
    )


def pattern_for(indicator: Indicator) -> str:
    """The STIX pattern matching the indicator's value (quoting done by the library)."""
    observable = OBSERVABLES[indicator.kind]
    path = ObjectPath(observable.object_type, list(observable.path))
    return str(ObservationExpression(EqualityComparisonExpression(path, StringConstant(indicator.value))))


def observable_for(indicator: Indicator, marking_id: str):
    observable = OBSERVABLES[indicator.kind]
    if observable.object_type == "file":
        return stix2.v21.File(hashes={observable.path[1]: indicator.value}, object_marking_refs=[marking_id])
    return observable.sco(value=indicator.value, object_marking_refs=[marking_id])


def indicator_sdo(indicator: Indicator, *, marking_id: str, creator_id: str, description: str, valid_from):
    return stix2.v21.Indicator(
        id=stable_id("indicator", f"indicator:{indicator.kind}:{indicator.value}"),
        created=indicator.created_at,
        modified=indicator.created_at,
        name=f"{indicator.get_kind_display()}: {indicator.value}"[:250],
        description=description,
        indicator_types=["malicious-activity"],
        pattern=pattern_for(indicator),
        pattern_type="stix",
        valid_from=max(valid_from, indicator.created_at),
        created_by_ref=creator_id,
        object_marking_refs=[marking_id],
    )


def _reference(kind: str, obj) -> dict:
    # No URL: the validator asks a URL to come with a hash of what it points to, and the page is behind
    # sign-in anyway; the reference number is what people quote.
    return {"source_name": "ungcuu", "external_id": obj.reference, "description": kind}


# --- incident ---------------------------------------------------------------------------------------


def incident_bundle(incident: Incident) -> stix2.v21.Bundle:
    """The incident as a STIX 2.1 bundle (see the module's docstring for what is in it)."""
    marking = tlp.marking(incident.tlp)
    identity = producer()
    common = {"created_by_ref": identity.id, "object_marking_refs": [marking.id]}
    sdo = stix2.v21.Incident(
        id=stable_id("incident", f"incident:{incident.pk}"),
        created=incident.created_at,
        modified=max(incident.updated_at, incident.created_at),
        name=f"{incident.reference} {incident.title}"[:250],
        description=incident.description,
        external_references=[_reference("incident", incident)],
        **common,
    )
    objects: list = [marking, identity, sdo]
    links = list(incident.indicator_links.select_related("indicator").order_by("added_at", "id"))
    indicators = [
        indicator_sdo(
            link.indicator,
            marking_id=marking.id,
            creator_id=identity.id,
            description=f"Observed in incident {incident.reference}.",
            valid_from=link.added_at,
        )
        for link in links
    ]
    observables = [observable_for(link.indicator, marking.id) for link in links]
    observables += [_evidence_file(e, marking.id) for e in _shareable_evidence(incident)]
    objects += indicators
    objects += [_relate(i, "related-to", sdo, common, i.created) for i in indicators]
    if observables:
        observed = _observed_data(incident, observables, common)
        objects += [*_unique(observables), observed]
        objects.append(_relate(observed, "related-to", sdo, common, observed.created))
        objects += [_relate(i, "based-on", observed, common, i.created) for i in indicators]
    return stix2.v21.Bundle(objects=objects)


def _shareable_evidence(incident: Incident):
    """Evidence files whose classification allows telling others they exist (not 'confidential')."""
    return Evidence.objects.filter(incident=incident).exclude(
        classification=Evidence.Classification.CONFIDENTIAL
    )


def _evidence_file(evidence: Evidence, marking_id: str) -> stix2.v21.File:
    return stix2.v21.File(
        name=evidence.original_name,
        size=evidence.size,
        hashes={"SHA-256": evidence.sha256},
        object_marking_refs=[marking_id],
    )


def _observed_data(incident: Incident, observables: list, common: dict) -> stix2.v21.ObservedData:
    first = incident.detected_at
    last = max([first, incident.updated_at])
    return stix2.v21.ObservedData(
        id=stable_id("observed-data", f"incident:{incident.pk}:observed"),
        created=incident.created_at,
        modified=max(incident.updated_at, incident.created_at),
        first_observed=first,
        last_observed=last,
        number_observed=1,
        object_refs=sorted({o.id for o in observables}),
        **common,
    )


def _relate(source, relationship_type: str, target, common: dict, at) -> stix2.v21.Relationship:
    """A relationship with a stable id (its ends and type) and a fixed creation time (`at`)."""
    return stix2.v21.Relationship(
        id=stable_id("relationship", f"{source.id}|{relationship_type}|{target.id}"),
        created=at,
        modified=at,
        relationship_type=relationship_type,
        source_ref=source.id,
        target_ref=target.id,
        **common,
    )


def _unique(objects: Iterable) -> list:
    """SCO ids are derived from their values: the same value twice is the same object, listed once."""
    seen: dict[str, object] = {}
    for obj in objects:
        seen.setdefault(obj.id, obj)
    return list(seen.values())


# --- advisory ---------------------------------------------------------------------------------------


def advisory_bundle(advisory: Advisory) -> stix2.v21.Bundle:
    """The advisory as a STIX 2.1 report with its vulnerabilities, course of action and indicators."""
    marking = tlp.marking(advisory.tlp)
    identity = producer()
    common = {"created_by_ref": identity.id, "object_marking_refs": [marking.id]}
    created = advisory.created_at
    modified = max(advisory.updated_at, created)
    vulnerabilities = [
        stix2.v21.Vulnerability(
            id=stable_id("vulnerability", cve),
            created=created,
            modified=created,
            name=cve,
            description=f"{cve} ({advisory.reference})",
            external_references=[{"source_name": "cve", "external_id": cve}],
            **common,
        )
        for cve in advisory.cve_ids
    ]
    action = stix2.v21.CourseOfAction(
        id=stable_id("course-of-action", f"advisory:{advisory.pk}:actions"),
        created=created,
        modified=modified,
        name=f"{advisory.reference}: recommended actions",
        description=advisory.recommended_actions,
        **common,
    )
    links = advisory.indicator_links.select_related("indicator").order_by("added_at", "id")
    indicators = [
        indicator_sdo(
            link.indicator,
            marking_id=marking.id,
            creator_id=identity.id,
            description=f"Listed in advisory {advisory.reference}.",
            valid_from=link.added_at,
        )
        for link in links
    ]
    mitigates = [_relate(action, "mitigates", v, common, created) for v in vulnerabilities]
    report = stix2.v21.Report(
        id=report_id(advisory),
        created=created,
        modified=modified,
        published=advisory.published_at or created,
        name=f"{advisory.reference} {advisory.title}"[:250],
        description=advisory.summary,
        report_types=["vulnerability"] if vulnerabilities else ["threat-report"],
        object_refs=[o.id for o in [*vulnerabilities, action, *indicators, *mitigates]],
        external_references=[_reference("advisory", advisory)],
        **common,
    )
    objects = [marking, identity, report, *vulnerabilities, action, *indicators, *mitigates]
    return stix2.v21.Bundle(objects=objects)


def report_id(advisory: Advisory) -> str:
    return stable_id("report", f"advisory:{advisory.pk}")


def serialize(bundle: stix2.v21.Bundle) -> str:
    return bundle.serialize(pretty=True, ensure_ascii=False)
