"""Personas and shared fixtures (after Healthchecks' alice/bob).

Org A is an operating unit with a `manager`, a `responder` and a read-only `viewer`; org B is another
unit whose manager is the `outsider`. The `coordinator` works at the specialised unit and sees and
decides province-wide; `national` (the national coordinator) sees everything and may change nothing.
Org A's names all contain "Alpha" and org B's "Beta", so a page can be checked for leaks by one word.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from ungcuu.accounts import tokens
from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import force_login
from ungcuu.core import config_cache
from ungcuu.organizations import services as org_services
from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import OrganizationFactory, UserFactory, member
from ungcuu.systems import services as system_services

Role = Membership.Role


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast hasher keeps persona creation cheap; the immediate backend runs jobs inline (STYLE).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Figures counted live unless a test is about the kept snapshots (reports/tests/test_snapshots.py).
    settings.UNGCUU_FIGURES_MAX_AGE = 0
    # PDFs and charts in-process: no fork server per test process (ungcuu/core/tests/test_apart.py runs them
    # apart and checks the same bytes come back).
    settings.RENDER_APART = False
    settings.PDF_CACHE_DIR = None  # each test lays its PDF out (test_pdf_cache.py keeps them in tmp_path)
    # Rate-limit and API-throttle counters live in the cache: no test inherits another's.
    cache.clear()
    # Nor the process's copy of intake's configuration: a test that changes a rule with a bulk UPDATE (no
    # signal) must not meet a copy an earlier test loaded under the same token (rolled back to it).
    config_cache.forget()


# --- organizations ----------------------------------------------------------------------------------


@pytest.fixture
def org_a(db):
    return OrganizationFactory(
        code="SO-ALPHA", name="Sở Thử nghiệm Alpha", short_name="Alpha", kind=Kind.OPERATOR
    )


@pytest.fixture
def org_b(db):
    return OrganizationFactory(
        code="SO-BETA", name="Sở Thử nghiệm Beta", short_name="Beta", kind=Kind.OPERATOR
    )


@pytest.fixture
def specialised_unit(db):
    return OrganizationFactory(code="SO-KHCN", name="Sở Khoa học và Công nghệ", kind=Kind.SPECIALISED_UNIT)


# --- personas ---------------------------------------------------------------------------------------


@pytest.fixture
def manager(org_a):
    return member(org_a, Role.MANAGER, username="manager", first_name="Mai", last_name="Quản Lý")


@pytest.fixture
def responder(org_a):
    return member(org_a, Role.RESPONDER, username="responder", first_name="Rồng", last_name="Ứng Cứu")


@pytest.fixture
def viewer(org_a):
    return member(org_a, Role.VIEWER, username="viewer", first_name="Vân", last_name="Chỉ Xem")


@pytest.fixture
def coordinator(specialised_unit):
    return member(
        specialised_unit,
        Role.MANAGER,
        username="coordinator",
        first_name="Điều",
        last_name="Phối",
        platform_role=User.PlatformRole.COORDINATOR,
    )


@pytest.fixture
def national(db):
    return UserFactory(
        username="national", first_name="Quốc", last_name="Gia", platform_role=User.PlatformRole.NATIONAL
    )


@pytest.fixture
def outsider(org_b):
    return member(org_b, Role.MANAGER, username="outsider", first_name="Người", last_name="Ngoài")


# --- org A's and org B's objects, set up through the services -----------------------------------------


@pytest.fixture
def focal_a(org_a, manager):
    return org_services.add_focal_point(
        actor=manager,
        organization=org_a,
        full_name="Nguyễn Văn Alpha",
        title="Trưởng phòng",
        mobile="0912 000 001",
        email="alpha@example.gov.vn",
    )


@pytest.fixture
def system_a(org_a, manager):
    return system_services.register_system(
        actor=manager,
        name="Cổng thông tin điện tử Alpha",
        owner=org_a,
        operator=org_a,
        security_level=3,
        domains=["alpha.example.gov.vn"],
        public_ips=["203.0.113.10"],
    )


@pytest.fixture
def focal_b(org_b, outsider):
    return org_services.add_focal_point(
        actor=outsider, organization=org_b, full_name="Lê Thị Beta", email="beta@example.gov.vn"
    )


@pytest.fixture
def system_b(org_b, outsider):
    return system_services.register_system(
        actor=outsider, name="Hệ thống một cửa Beta", owner=org_b, operator=org_b, security_level=2
    )


# --- clients ----------------------------------------------------------------------------------------


@pytest.fixture
def client_for(db):
    """`client_for(user)`: a Django test client logged in as `user` (anonymous for None), set to English
    (`language="vi"` reads the pages as a person does, in the default language).

    A user who must use two-factor sign-in (coordinator, national, superuser) gets a device and a session
    that passed it, as after a real sign-in; `verified=False` leaves the session at the code prompt."""

    def make(user=None, *, verified: bool = True, language: str = "en") -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the browser's Accept-Language is ignored
        if user is not None:
            if verified:
                force_login(client, user)
            else:
                client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(db):
    """`api_for(user)`: a DRF client authenticating with a new API token of `user` (anonymous for None);
    `scopes=["read"]` narrows the token (default: every scope)."""

    def make(user=None, *, scopes=None) -> APIClient:
        client = APIClient()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            _token, secret = tokens.create_token(actor=user, name="tests", scopes=scopes)
            client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Serialized rollback must reach the connection a browser test really uses.

    Django keeps database connections per thread, but per event loop once one runs (asgiref's Local is
    "thread critical" for connections). Playwright's sync API runs its loop in the test thread, so from the
    first browser test on, the ORM opens a second connection object to the same in-memory SQLite database.
    The serialized contents (what migrations seeded: routing rules, deadline policies, duties) were stored
    on the first object only, so `serialized_rollback=True` silently restored nothing and each browser
    test's flush left the next one without them: late rows and notifications vanished in a full run.
    Every connection object of this one-database suite gets the same contents.
    """
    from django.db import connections

    assert list(connections) == ["default"], "the contents below are per database"
    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        type(connections["default"])._test_serialized_contents = contents


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (its hook renames the items)
def pytest_collection_modifyitems(items):
    """Groups for `pytest -n` (scripts/run-pytest, `--dist loadgroup`), then the serialized-rollback check.

    The browser journeys share one worker: two chromiums and two live servers on CI's two cores made each
    step slower than the journeys' step timeout. A system test module under tests/ stays on one worker, so
    a world built once per module (the access and confidential walks, the API fuzz) is built once, not on
    every worker. Unit tests are spread one by one.
    """
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif item.nodeid.startswith("tests/"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    _check_serialized_rollback(items)


def _check_serialized_rollback(items):
    """Every transactional test must use serialized_rollback: a plain one's flush deletes what migrations
    seeded and recreates the content types under new keys, so a later serialized test's restore collides
    with them (IntegrityError) and the tests between them run without the seeded rules."""
    wrong = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & set(getattr(item, "fixturenames", ()))
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            wrong.append(item.nodeid)
    if wrong:
        raise pytest.UsageError(
            "transactional tests need django_db(serialized_rollback=True):\n  " + "\n  ".join(wrong)
        )
