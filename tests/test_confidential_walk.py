"""The access walk over a CONFIDENTIAL incident, for every persona (issue 10, "Proof").

`test_access_walk.py` proves the tenancy gate between organizations; this module proves confidentiality
inside it. One confidential incident of org A, reported by one of its members and handled by one
coordinator, carries a task, evidence, an indicator, routing notifications and a confidential coordination
request to an ISP. Every GET the project serves (pages, reports with their XLSX/DOCX downloads, the API,
searches, filters, the inbox) is then walked as anonymous, the outsider, org A's viewer, responder and
manager, another coordinator, the national coordinator, another ISP, the police, and the request's
recipient before and after the request is cancelled: none of them may meet the incident's text.
The reporter and the handler walk the same URLs as the control: they must meet it, so the check is live.

The routes come from `test_access_walk` (the URL resolver), so a new page is walked here by itself.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests.test_access_walk import ROUTES, _api_methods, _build_world, _url, _why_unclassified
from ungcuu.accounts.models import User
from ungcuu.advisories.indicators import add_indicator
from ungcuu.coordination import services as coordination_services
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents import services as incident_services
from ungcuu.incidents.models import Incident
from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, UserFactory, member

Role = Membership.Role

# Text only the confidential incident carries (ASCII, so it survives any encoding and XML escaping).
TITLE = "ZetaSecretTitle"
DESCRIPTION = "ZetaSecretBody"
REPORTER = "ZetaSecretReporter"
TASK = "ZetaSecretTask"
EVIDENCE = "ZetaSecretEvidence"
INDICATOR = "zetasecret.example"
SHARED = "ZetaSharedActions"  # what the coordination request shares with its recipient
MARKERS = [TITLE, DESCRIPTION, REPORTER, TASK, EVIDENCE, INDICATOR]

# Who may not read the incident. The coordinators and the request's recipient see the request, whose
# reference is the incident's with "-YCnn": for them the reference is part of what the request shares.
# The national coordinator is not blind: it is a legal addressee of every report (DOMAIN.md §d, QĐ05 Art.
# 11.1a), so confidentiality does not hide a report from it (see the test at the end).
BLIND = ["anonymous", "outsider", "viewer", "responder", "manager", "isp", "police"]
SEES_REQUEST = ["coordinator", "recipient", "recipient_after_cancel"]
READERS = ["reporter", "handler"]


@pytest.fixture(scope="module")
def secret_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The access walk's world plus the confidential incident and its personas, built once."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("secret-walk-media"),
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        world = _build_world()
        yield {**world, **_secret(world)}
        transaction.set_rollback(True)


def _secret(world) -> dict:
    objects = world["objects"]
    org_a, unit = objects["org"], world["coordinator"].memberships.get().organization
    isp = OrganizationFactory(code="WALK-ISP", name="Nhà mạng Gamma", kind=Kind.ISP)
    other_isp = OrganizationFactory(code="WALK-ISP2", name="Nhà mạng Delta", kind=Kind.ISP)
    police = OrganizationFactory(code="WALK-CA", name="Công an tỉnh", kind=Kind.POLICE)
    people = {
        "reporter": member(org_a, Role.VIEWER, username="walk-reporter"),
        "handler": member(
            unit, Role.MANAGER, username="walk-handler", platform_role=User.PlatformRole.COORDINATOR
        ),
        "national": UserFactory(username="walk-national", platform_role=User.PlatformRole.NATIONAL),
        "recipient": member(isp, Role.RESPONDER, username="walk-recipient"),
        "isp": member(other_isp, Role.MANAGER, username="walk-isp"),
        "police": member(police, Role.RESPONDER, username="walk-police"),
    }
    handler = people["handler"]
    incident = incident_services.submit_report(
        actor=people["reporter"],
        data=incident_services.ReportInput(
            channel="form",
            title=TITLE,
            description=DESCRIPTION,
            detected_at=timezone.now() - datetime.timedelta(hours=1),
            reporter_name=REPORTER,
            organization=org_a,
            system=objects["system"],
            confidential=True,
            crime_signs=True,  # brings the police into the routing
        ),
    ).incident
    incident_services.assign_handler(actor=handler, incident=incident)
    task = incident_services.add_task(actor=handler, incident=incident, title=TASK)
    evidence = evidence_services.add_evidence(
        actor=handler,
        incident=incident,
        uploaded_file=SimpleUploadedFile("secret.log", b"GET / 200\n", content_type="text/plain"),
        kind="log",
        classification="confidential",
        description=EVIDENCE,
    )
    add_indicator(actor=handler, value=INDICATOR, incident=incident)
    request = coordination_services.send_request(
        actor=handler, incident=incident, recipient=isp, kind="other", required_actions=SHARED
    )
    secret_objects = {
        **objects,
        "incident": incident,
        "task": task,
        "evidence": evidence,
        "coordination_request": request,
    }
    return {**people, "secret": incident, "request": request, "secret_objects": secret_objects}


# --- what is walked ---------------------------------------------------------------------------------


def _get_urls(world) -> list[str]:
    """Every GET the project serves with the confidential incident's objects in its parameters, the
    report pages' spreadsheet and document downloads, and the searches and filters that could find it."""
    objects, pk = world["secret_objects"], world["secret"].pk
    urls = []
    for route in ROUTES:
        if (
            route.is_public
            or _why_unclassified(route)
            or (route.is_api and "get" not in _api_methods(route)[0])
        ):
            continue
        url = _url(route, objects)
        urls.append(url)
        if route.namespace == "reports":
            urls += [f"{url}?download=xlsx", f"{url}?download=docx"]
    for list_url in ("/incidents/", "/api/v1/incidents/", "/coordination/", "/api/v1/coordination-requests/"):
        urls.append(f"{list_url}?q={TITLE[:-2]}")  # a part: the page echoes the query itself
    for api in ("indicators", "evidence", "coordination-requests"):
        urls.append(f"/api/v1/{api}/?incident={pk}")
    urls += [f"/api/v1/indicators/?q={INDICATOR[:-2]}", f"/advisories/indicators/?q={INDICATOR[:-2]}"]
    return sorted(set(urls))


def _text(response) -> str:
    """The body as text; an Office file (XLSX/DOCX) is opened and its XML parts read."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    return content.decode("utf-8", errors="replace")


def _walk(client, urls) -> dict[str, str]:
    return {url: _text(client.get(url)) for url in urls}


def _persona(world, name: str):
    return None if name == "anonymous" else world[name.removesuffix("_after_cancel")]


def _found(pages: dict[str, str], markers: list[str]) -> list[str]:
    return [f"{url}: {marker}" for url, text in pages.items() for marker in markers if marker in text]


# --- the walk ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BLIND + SEES_REQUEST)
def test_the_confidential_incident_is_absent_for_who_may_not_read_it(name, secret_world, client_for, api_for):
    world = secret_world
    if name == "recipient_after_cancel":
        coordination_services.cancel_request(actor=world["handler"], request=world["request"], reason="x")
    user = _persona(world, name)
    markers = MARKERS + ([] if name in SEES_REQUEST else [world["secret"].reference])
    # One session client walks pages and API alike (the API accepts the session as it accepts a token).
    leaks = _found(_walk(client_for(user), _get_urls(world)), markers)
    assert leaks == [], "\n".join(leaks)
    if user is not None:  # the count the API answers leaves it out too
        listed = api_for(user).get("/api/v1/incidents/").json()["count"]
        assert listed == Incident.objects.visible_to(user).exclude(pk=world["secret"].pk).count()
        assert not Incident.objects.visible_to(user).filter(pk=world["secret"].pk).exists()


@pytest.mark.parametrize("name", ["recipient", "recipient_after_cancel"])
def test_the_recipient_reads_what_the_request_shares(name, secret_world, client_for):
    world = secret_world
    if name == "recipient_after_cancel":
        coordination_services.cancel_request(actor=world["handler"], request=world["request"], reason="x")
    page = client_for(world["recipient"]).get(f"/coordination/{world['request'].pk}/").content.decode()
    assert SHARED in page and TITLE not in page


@pytest.mark.parametrize("name", READERS)
def test_the_walk_would_see_the_incident(name, secret_world, client_for, api_for):
    """The control: those who may read it meet its text on the same walk, so absence above means hidden."""
    world = secret_world
    pages = _walk(client_for(world[name]), _get_urls(world))
    seen = {marker for marker in MARKERS if any(marker in text for text in pages.values())}
    assert seen == set(MARKERS)
    detail = api_for(world[name]).get(f"/api/v1/incidents/{world['secret'].pk}/")
    assert detail.status_code == 200 and detail.json()["title"] == TITLE


def test_national_coordinator_as_legal_addressee_opens_a_confidential_report_qd05_art_11_1a(
    secret_world, client_for, api_for
):
    """QĐ05 Art. 11.1a, TT20 Art. 9: confidentiality limits sharing beyond the legal chain, not the chain."""
    world = secret_world
    national, secret = world["national"], world["secret"]
    page = client_for(national).get(f"/incidents/{secret.pk}/")
    assert page.status_code == 200 and TITLE in page.content.decode()
    detail = api_for(national).get(f"/api/v1/incidents/{secret.pk}/")
    assert detail.status_code == 200 and detail.json()["title"] == TITLE
