"""MISP events of an incident's (or an advisory's) indicators, built with pymisp's object model.

Offline only: the event is a file (MISP's JSON) a MISP instance imports; no MISP server is contacted.
Uuids are UUIDv5 like the STIX ids (stix.stable_id), so a second export updates the same event in MISP.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from pymisp import MISPAttribute, MISPEvent

from ungcuu.advisories.models import Advisory, IndicatorKind
from ungcuu.incidents.models import Incident
from ungcuu.intel import tlp

# Our kinds as MISP attribute types, with the category MISP expects for them.
ATTRIBUTE_TYPES: dict[str, tuple[str, str]] = {
    IndicatorKind.IPV4: ("ip-dst", "Network activity"),
    IndicatorKind.IPV6: ("ip-dst", "Network activity"),
    IndicatorKind.DOMAIN: ("domain", "Network activity"),
    IndicatorKind.URL: ("url", "Network activity"),
    IndicatorKind.EMAIL: ("email-src", "Payload delivery"),
    IndicatorKind.MD5: ("md5", "Payload delivery"),
    IndicatorKind.SHA1: ("sha1", "Payload delivery"),
    IndicatorKind.SHA256: ("sha256", "Payload delivery"),
}
# MISP's threat levels: 1 high, 2 medium; analysis 2 = completed, 1 = ongoing.
THREAT_LEVEL = {Incident.Severity.SERIOUS: 1, Incident.Severity.NORMAL: 2}


def _uuid(key: str) -> str:
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL.rstrip("/") + "/misp/")
    return str(uuid.uuid5(namespace, key))


def _event(key: str, info: str, date, tlp_label: str, *, threat_level: int, analysis: int) -> MISPEvent:
    event = MISPEvent()
    event.uuid = _uuid(key)
    event.info = info[:255]
    event.date = date
    event.threat_level_id = threat_level
    event.analysis = analysis
    event.distribution = 0  # "your organisation only": the receiving MISP's owner widens it, not us
    event.add_tag(tlp.MISP_TAGS[tlp_label])
    return event


def _add_indicators(event: MISPEvent, links, tlp_label: str) -> None:
    for link in links:
        indicator = link.indicator
        attribute_type, category = ATTRIBUTE_TYPES[indicator.kind]
        attribute = MISPAttribute()
        attribute.from_dict(
            type=attribute_type,
            category=category,
            value=indicator.value,
            to_ids=True,
            uuid=_uuid(f"{event.uuid}:{indicator.kind}:{indicator.value}"),
            comment=getattr(link, "note", "") or "",
            distribution=5,  # inherit the event's
        )
        attribute.add_tag(tlp.MISP_TAGS[tlp_label])
        event.attributes.append(attribute)


def incident_event(incident: Incident) -> MISPEvent:
    closed = incident.status in (Incident.Status.CLOSED, Incident.Status.REJECTED, Incident.Status.MERGED)
    event = _event(
        f"incident:{incident.pk}",
        f"{incident.reference} {incident.title}",
        incident.detected_at.date(),
        incident.tlp,
        threat_level=THREAT_LEVEL[Incident.Severity(incident.severity)],
        analysis=2 if closed else 1,
    )
    links = incident.indicator_links.select_related("indicator").order_by("added_at", "id")
    _add_indicators(event, links, incident.tlp)
    return event


def advisory_event(advisory: Advisory) -> MISPEvent:
    event = _event(
        f"advisory:{advisory.pk}",
        f"{advisory.reference} {advisory.title}",
        (advisory.published_at or advisory.created_at).date(),
        advisory.tlp,
        threat_level=2,
        analysis=2,
    )
    for cve in advisory.cve_ids:
        event.add_attribute(
            "vulnerability",
            cve,
            category="External analysis",
            to_ids=False,
            uuid=_uuid(f"{event.uuid}:{cve}"),
        )
    links = advisory.indicator_links.select_related("indicator").order_by("added_at", "id")
    _add_indicators(event, links, advisory.tlp)
    return event


def serialize(event: MISPEvent) -> str:
    """MISP's import format: {"Event": {...}}."""
    return json.dumps({"Event": json.loads(event.to_json())}, indent=2, ensure_ascii=False)
