"""Alerts as a monitoring system would send them, at a fixed clock (tests pin the time)."""

from __future__ import annotations

import datetime
import json

NOW = datetime.datetime(2026, 6, 1, 3, 0, tzinfo=datetime.UTC)


def alert(**fields) -> dict:
    base = {
        "source": "wazuh",
        "dedup_key": "rule-5710:203.0.113.10",
        "severity": "high",
        "title": "SSH brute force against the portal",
        "message": "Many failed logins",
        "detected_at": (NOW - datetime.timedelta(minutes=5)).isoformat(),
        "host": "203.0.113.10",
        "observables": [{"type": "ip", "value": "198.51.100.7"}],
    }
    return {**base, **fields}


def post(client, body, *, ndjson: bool = False, key: str = ""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    if ndjson:
        data = body if isinstance(body, str | bytes) else "\n".join(json.dumps(a) for a in body)
        return client.post("/api/v1/alerts/", data, content_type="application/x-ndjson", **headers)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/alerts/", data, content_type="application/json", **headers)
