"""Both ends of a federation in one test database: a province (the suite's personas) and the national
instance (the `national` persona), switched by settings around each side's act. Messages travel through
the real endpoint by the Django test client (`loopback`), never over the network."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client, override_settings

from ungcuu.federation import peers
from ungcuu.federation.delivery import INBOX_PATH
from ungcuu.federation.models import Peer
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.tests.factories import reported
from ungcuu.organizations.models import Kind
from ungcuu.organizations.tests.factories import OrganizationFactory

SECRET = "s3cret-shared-by-province-and-national-0123"


@pytest.fixture
def federation(settings, db):
    settings.FEDERATION_INSTANCE = "province"
    settings.FEDERATION_CODE = "NB"
    settings.FEDERATION_NATIONAL_URL = "http://national.test"
    settings.FEDERATION_NATIONAL_CODE = "VN"
    settings.FEDERATION_NATIONAL_NAME = "Trung tâm quốc gia"
    settings.FEDERATION_SECRET = SECRET
    settings.FEDERATION_RETRY_BACKOFF = "5,30"
    # The national instance's registration of this province (same table, the national side reads it).
    return Peer.objects.create(code="NB", name="Ninh Bình", base_url="http://province.test", secret=SECRET)


def as_national():
    return override_settings(FEDERATION_INSTANCE="national", FEDERATION_CODE="VN")


def as_province():
    return override_settings(FEDERATION_INSTANCE="province", FEDERATION_CODE="NB")


def loopback(side):
    """A transport that posts to this test server's endpoint as `side` (as_national / as_province)."""
    client = Client()

    def transport(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int, str]:
        assert url.endswith(INBOX_PATH)
        with side():
            response = client.post(INBOX_PATH, body, content_type="application/json", headers=headers)
        return response.status_code, response.content.decode()

    return transport


def signed_post(envelope: dict | bytes, *, code="NB", secret=SECRET, timestamp=None):
    """Post `envelope` to the national instance's endpoint, signed as province `code`."""
    body = envelope if isinstance(envelope, bytes) else json.dumps(envelope).encode()
    peer = peers.PeerInfo(code, code, "", secret)
    headers = peers.headers(peer, body, now=timestamp)
    headers[peers.PEER_HEADER] = code
    with as_national():
        return Client().post(INBOX_PATH, body, content_type="application/json", headers=headers)


# --- form 05 as a province sends it (the national pages' tests and journey) ---

FORM05_NUMBERS = ("count", "self_handled", "domestic_help", "foreign_help", "national_asked", "damage_vnd")


def row(code: str, label: str, *values: int) -> dict:
    return {"code": code, "label": label, **dict(zip(FORM05_NUMBERS, values, strict=True))}


def form05(organization: str, *rows: dict) -> dict:
    total = row("TOTAL", "Tổng cộng", *(sum(r[n] for r in rows) for n in FORM05_NUMBERS))
    return {
        "organization": organization,
        "member_code": "",
        "address": "",
        "parent_body": "",
        "rows": [*rows, total],
        "helpers_domestic": [],
        "helpers_foreign": [],
    }


def statistics_message(origin: str, period: str, figures: dict, seq: int = 1) -> dict:
    return {
        "message_id": str(uuid.uuid4()),
        "origin": origin,
        "stream": "statistics",
        "seq": seq,
        "kind": "statistics",
        "payload": {"period": period, "label": period, "figures": figures},
    }


def down(url, body, headers, timeout):
    raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def serious(federation, coordinator, responder, org_a):
    """A serious incident escalated in the province (classification → emergency reporting)."""
    OrganizationFactory(code="VNCERT", name="VNCERT/CC", kind=Kind.NATIONAL_COORDINATOR)
    incident = reported(responder, org_a, "Tấn công mã hoá dữ liệu cổng dịch vụ công")
    incident_services.acknowledge(actor=coordinator, incident=incident)
    return incident_services.classify(
        actor=coordinator,
        incident=incident,
        category="ATTACK.MALWARE",
        harms=["service_disruption"],
        exceeds_capacity=False,
        override_severity="SERIOUS",
        override_reason="Dữ liệu toàn tỉnh bị mã hoá",
    )
