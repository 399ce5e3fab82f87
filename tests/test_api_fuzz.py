"""Fuzz the whole API from its OpenAPI schema (schemathesis), as a unit's responder and as the coordinator.

Every operation in /api/schema/ gets a fixed number of generated requests, valid and invalid (the
schema's negative cases: wrong types, unknown query parameters, missing fields). The checks are what the
schema promises a client: never a 5xx, only documented status codes and content types, and bodies that
validate against the documented response schema. Generation is derandomized, so a run is repeatable and a
failure reproduces with the same command.

Bounded in time: EXAMPLES generated requests per operation and persona, plus schemathesis' coverage
phase (every boundary of every parameter) for the reads. Raise it locally with `UNGCUU_FUZZ_EXAMPLES=100`
to dig deeper; failures print a curl command that reproduces them.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.test_access_walk import _build_world

EXAMPLES = int(os.environ.get("UNGCUU_FUZZ_EXAMPLES", "20"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One of each of org A's objects (the access walk's world), so generated ids sometimes hit rows."""
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("fuzz-media"),
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client detaches `close_old_connections` from the request signals so a request does not
    close the test's connection (and its open transaction); calling the WSGI app directly needs the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _load(phases: list[str]):
    """The schema as the app serves it (an anonymous GET: no database), bound to the WSGI app: no network,
    and every request runs inside the test's own transaction."""
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    loaded.config.generation.update(max_examples=EXAMPLES, deterministic=True, allow_x00=False)
    loaded.config.phases.update(phases=phases)
    return loaded


# The coverage phase enumerates every boundary of every field: 800 requests for one PATCH, minutes per
# persona. Every operation gets examples and bounded fuzzing (valid and invalid data); the reads, where
# query parameters live (huge ids, unknown names, repeated ones, wrong types), also get the coverage phase.
# Documents (forms, reports, bulletins, registry workbook, plan .docx) render a whole PDF/Office file per
# request: they get examples and fuzzing like every operation, not the coverage phase's hundreds of
# boundary requests each (their few query parameters are enumerated in their own tests).
DOCUMENTS = r"/(form0[1-5]|unit-report|province-report|bulletin|docx|dispatch|template|export)/$"
schema = _load(["examples", "fuzzing"])
reads = _load(["coverage"]).include(method="GET").exclude(path_regex=DOCUMENTS)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _call(case, api_for, user) -> None:
    credentials = api_for(user)._credentials  # the same token header every API test uses
    case.call_and_validate(
        headers={"Authorization": credentials["HTTP_AUTHORIZATION"], "Accept-Language": "en"},
        checks=CHECKS,
    )


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_answers_a_unit_responder_within_its_schema(case, api_for, fuzz_world):
    _call(case, api_for, fuzz_world["responder"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_answers_the_coordinator_within_its_schema(case, api_for, fuzz_world):
    _call(case, api_for, fuzz_world["coordinator"])


@reads.parametrize()
@FUZZ_SETTINGS
def test_every_boundary_of_every_read_is_answered_within_the_schema(case, api_for, fuzz_world):
    _call(case, api_for, fuzz_world["coordinator"])
