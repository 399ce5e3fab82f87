"""The alert body's OpenAPI description, made from `intake.AlertIn` itself so the two cannot drift."""

from __future__ import annotations

from typing import Any

import msgspec
from django.conf import settings

from ungcuu.alerts.intake import AlertIn


def _openapi(node: Any, defs: dict) -> Any:
    """JSON Schema (msgspec) → OpenAPI 3.0: references inlined, `null` as `nullable`, enums typed."""
    if isinstance(node, list):
        return [_openapi(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _openapi(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    out = {k: _openapi(v, defs) for k, v in node.items() if k not in ("title", "$defs")}
    options = out.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [o for o in options if o != {"type": "null"}]
        out.pop("anyOf")
        out = (
            {**rest[0], **out, "nullable": True}
            if len(rest) == 1
            else {**out, "anyOf": rest, "nullable": True}
        )
    if "enum" in out and "type" not in out:
        out["type"] = "string"
    return out


def alert_schema() -> dict:
    raw = msgspec.json.schema(AlertIn)
    return _openapi(raw, raw.get("$defs", {}))


def request_body() -> dict:
    """One alert, or a batch: a JSON array, or NDJSON (one alert per line; documented as its items)."""
    alert = alert_schema()
    batch = {
        "type": "array",
        "minItems": 1,
        "maxItems": settings.ALERTS_MAX_ITEMS,
        # Each item is judged by itself against the alert shape: a bad one is listed in a 207 answer,
        # it does not refuse the batch. So the array's schema accepts any item; `Alert` is what counts.
        "items": {"anyOf": [alert, {}]},
    }
    return {
        "application/json": {"oneOf": [alert, batch]},
        "application/x-ndjson": {**alert, "description": "One alert (JSON object) per line."},
    }
