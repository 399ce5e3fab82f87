"""A TAXII 2.1 server (read-only) under /taxii2/: discovery, one API root, two collections.

Collections: `indicators` (every indicator of compromise the token's user receives through incidents and
advisories, access.feed_incidents / feed_advisories, TLP 2.0 applied) and `advisories` (each issued
advisory the user may see, as a STIX report with its vulnerabilities, course of action and indicators).
Objects come from stix.py, built by the `stix2` library, one version each (the current one).

Authentication is the API token, as `Authorization: Token <secret>` or HTTP Basic with the account's
user name and the token as password (what most TAXII clients send). Paging: `limit` (at most
TAXII_MAX_PAGE_SIZE) and an opaque `next` cursor (date added, then id), `more` in the envelope;
`added_after`, `match[id]`, `match[type]` and `match[version]` filter. Plain Django views: TAXII has its
own specification (OASIS), so these endpoints are not part of the /api/ OpenAPI schema.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from stix2.utils import parse_into_datetime

from ungcuu.accounts import tokens
from ungcuu.advisories.models import AdvisoryIndicator, IncidentIndicator, Indicator
from ungcuu.core import bodies
from ungcuu.intel import access, stix, tlp

TAXII = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"


class TaxiiError(Exception):
    def __init__(self, status: int, title: str, description: str = ""):
        super().__init__(title)
        self.status, self.title, self.description = status, title, description


def _json(data: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=TAXII)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(exc: TaxiiError) -> HttpResponse:
    body = {"title": exc.title, "description": exc.description, "http_status": str(exc.status)}
    headers = {"WWW-Authenticate": 'Basic realm="TAXII", charset="UTF-8"'} if exc.status == 401 else None
    return _json(body, exc.status, headers)


def _user(request):
    """The active user of a live API token (Token or Basic header), else None."""
    scheme, _sep, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    username = None
    if scheme.lower() == "basic":
        try:
            username, _sep, credentials = base64.b64decode(credentials, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
    elif scheme.lower() != "token":
        return None
    token = tokens.authenticate_secret(credentials.strip()) if credentials.strip() else None
    if token is None or not token.user.is_active:
        return None
    if username is not None and username != token.user.get_username():
        return None
    return token.user


def _accepts_taxii(request) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return not accept or any(
        part.split(";")[0].strip() in ("application/taxii+json", "*/*", "application/*")
        for part in accept.split(",")
    )


def taxii_view(view: Callable) -> Callable:
    """Authentication, method, Accept and errors in TAXII's shape, for every endpoint."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            if request.method not in ("GET", "HEAD"):
                raise TaxiiError(405, "Method not allowed", "This TAXII server is read-only.")
            user = _user(request)
            if user is None:
                raise TaxiiError(401, "Unauthorized", "Send an API token (Token or Basic authentication).")
            if not _accepts_taxii(request):
                raise TaxiiError(406, "Not acceptable", f"This server answers {TAXII}.")
            return view(request, user, *args, **kwargs)
        except TaxiiError as exc:
            return _error(exc)

    return wrapped


# --- collections ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One object of a collection: enough to filter and page before the object is built."""

    id: str
    date_added: datetime.datetime
    version: str
    build: Callable[[], dict]


def _stamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _indicator_entries(user) -> list[Entry]:
    """Each indicator the user receives: first date it reached them, the most shareable TLP it came with."""
    incidents = access.feed_incidents(user).values("pk")
    advisories = access.feed_advisories(user).values("pk")
    reached: dict[int, tuple[datetime.datetime, str]] = {}
    rows = [
        *IncidentIndicator.objects.filter(incident__in=incidents).values_list(
            "indicator_id", "added_at", "incident__tlp"
        ),
        *AdvisoryIndicator.objects.filter(advisory__in=advisories).values_list(
            "indicator_id", "added_at", "advisory__tlp"
        ),
    ]
    for indicator_id, added_at, label in rows:
        first, shared = reached.get(indicator_id, (added_at, label))
        reached[indicator_id] = (min(first, added_at), tlp.most_shareable([shared, label]))
    indicators = Indicator.objects.in_bulk(list(reached))
    producer = stix.producer()  # one lookup of the body's name per request, not one per object
    creator, description = producer.id, f"Indicator of compromise shared by {producer.name}."
    entries = []
    for pk, (added_at, label) in reached.items():
        indicator = indicators[pk]
        sdo_id = stix.stable_id("indicator", f"indicator:{indicator.kind}:{indicator.value}")
        entries.append(
            Entry(
                sdo_id,
                added_at,
                _stamp(indicator.created_at),
                _indicator_builder(indicator, label, creator, description),
            )
        )
    return entries


def _indicator_builder(
    indicator: Indicator, label: str, creator: str, description: str
) -> Callable[[], dict]:
    def build() -> dict:
        sdo = stix.indicator_sdo(
            indicator,
            marking_id=tlp.MARKING_IDS[label],
            creator_id=creator,
            description=description,
            valid_from=indicator.created_at,
        )
        return json.loads(sdo.serialize())

    return build


def _advisory_entries(user) -> list[Entry]:
    entries: dict[str, Entry] = {}
    for advisory in access.feed_advisories(user).order_by("published_at", "id"):
        added = advisory.published_at or advisory.created_at
        for obj in stix.advisory_bundle(advisory).objects:
            data = json.loads(obj.serialize())
            version = data.get("modified") or data.get("created")
            entries.setdefault(obj.id, Entry(obj.id, added, version, _constant(data)))
    return list(entries.values())


def _constant(data: dict) -> Callable[[], dict]:
    def build() -> dict:
        return data

    return build


@dataclass(frozen=True)
class Collection:
    key: str
    title: str
    description: str
    entries: Callable[[object], list[Entry]]

    @property
    def id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL.rstrip("/") + "/taxii2/" + self.key))

    def resource(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "can_read": True,
            "can_write": False,
            "media_types": [STIX_MEDIA],
        }


COLLECTIONS = [
    Collection(
        "indicators",
        "Indicators of compromise",
        "Indicators from the incidents and advisories this token's account receives (TLP 2.0 applied).",
        _indicator_entries,
    ),
    Collection(
        "advisories",
        "Advisories",
        "Issued advisories as STIX reports, with their vulnerabilities, recommended actions and indicators.",
        _advisory_entries,
    ),
]


def _collection(collection_id: str) -> Collection:
    for collection in COLLECTIONS:
        if collection.id == collection_id:
            return collection
    raise TaxiiError(404, "Collection not found", "No collection has this id.")


# --- filtering and paging ---------------------------------------------------------------------------


def _selected(request, entries: list[Entry], object_id: str | None = None) -> list[Entry]:
    entries = sorted(entries, key=lambda e: (e.date_added, e.id))
    after = request.GET.get("added_after")
    if after:
        try:
            moment = parse_into_datetime(after)
        except ValueError as exc:
            raise TaxiiError(
                400, "Bad added_after", "Give a timestamp like 2026-01-31T00:00:00.000Z."
            ) from exc
        entries = [e for e in entries if e.date_added > moment]
    ids = _match(request, "id") or ([object_id] if object_id else [])
    if ids:
        entries = [e for e in entries if e.id in ids]
    types = _match(request, "type")
    if types:
        entries = [e for e in entries if e.id.split("--")[0] in types]
    return entries


def _match(request, field: str) -> list[str]:
    values = request.GET.getlist(f"match[{field}]")
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _limit(request) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return settings.TAXII_PAGE_SIZE
    try:
        limit = int(raw)
    except ValueError as exc:
        raise TaxiiError(400, "Bad limit", "limit is a positive whole number.") from exc
    if limit < 1:
        raise TaxiiError(400, "Bad limit", "limit is a positive whole number.")
    return min(limit, settings.TAXII_MAX_PAGE_SIZE)


def _cursor(entry: Entry) -> str:
    return base64.urlsafe_b64encode(f"{_stamp(entry.date_added)}|{entry.id}".encode()).decode()


def _page(request, entries: list[Entry]) -> tuple[list[Entry], str | None]:
    token = request.GET.get("next")
    if token:
        try:
            stamp, _sep, last_id = base64.urlsafe_b64decode(token.encode()).decode().partition("|")
            moment = parse_into_datetime(stamp)
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise TaxiiError(400, "Bad next", "next is the value a previous page gave.") from exc
        entries = [e for e in entries if (e.date_added, e.id) > (moment, last_id)]
    limit = _limit(request)
    page = entries[:limit]
    more = len(entries) > limit
    return page, (_cursor(page[-1]) if more and page else None)


def _date_headers(page: list[Entry]) -> dict:
    if not page:
        return {}
    return {
        "X-TAXII-Date-Added-First": _stamp(page[0].date_added),
        "X-TAXII-Date-Added-Last": _stamp(page[-1].date_added),
    }


# --- endpoints --------------------------------------------------------------------------------------


@taxii_view
def discovery(request, user):
    root = request.build_absolute_uri(reverse("taxii:api_root"))
    return _json(
        {
            "title": f"Ứng Cứu TAXII ({bodies.province_name()})",
            "description": "Indicators of compromise and advisories of the provincial response network.",
            "default": root,
            "api_roots": [root],
        }
    )


@taxii_view
def api_root(request, user):
    return _json(
        {
            "title": bodies.body_name("SPECIALISED_UNIT"),
            "versions": [TAXII],
            "max_content_length": settings.INTEL_IMPORT_MAX_BYTES,
        }
    )


@taxii_view
def collections(request, user):
    return _json({"collections": [c.resource() for c in COLLECTIONS]})


@taxii_view
def collection(request, user, collection_id: str):
    return _json(_collection(collection_id).resource())


@taxii_view
def objects(request, user, collection_id: str, object_id: str | None = None):
    entries = _selected(request, _collection(collection_id).entries(user), object_id)
    if object_id and not entries:
        raise TaxiiError(404, "Object not found", "No object with this id in the collection for you.")
    page, cursor = _page(request, entries)
    body: dict = {"more": cursor is not None, "objects": [e.build() for e in page]}
    if cursor:
        body["next"] = cursor
    return _json(body, headers=_date_headers(page))


@taxii_view
def manifest(request, user, collection_id: str):
    entries = _selected(request, _collection(collection_id).entries(user))
    page, cursor = _page(request, entries)
    records = [
        {"id": e.id, "date_added": _stamp(e.date_added), "version": e.version, "media_type": STIX_MEDIA}
        for e in page
    ]
    body: dict = {"more": cursor is not None, "objects": records}
    if cursor:
        body["next"] = cursor
    return _json(body, headers=_date_headers(page))


@taxii_view
def versions(request, user, collection_id: str, object_id: str):
    entries = _selected(request, _collection(collection_id).entries(user), object_id)
    if not entries:
        raise TaxiiError(404, "Object not found", "No object with this id in the collection for you.")
    return _json({"more": False, "versions": [entries[0].version]}, headers=_date_headers(entries[:1]))
