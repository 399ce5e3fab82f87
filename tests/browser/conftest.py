"""Browser-test plumbing: Debian's chromium through Playwright, a live server, and the personas.

Playwright's own browser download is never used (no network here); `executable_path` points at the
chromium that the system package manager installed.
"""

import base64
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from ungcuu.accounts.models import User
from ungcuu.accounts.tests.helpers import authenticator, fresh_code
from ungcuu.interop.tests.servers import Dovecot
from ungcuu.organizations.models import FocalPoint, Kind, Membership, Organization
from ungcuu.organizations.services import add_focal_point
from ungcuu.systems import services as systems

# Playwright's sync API keeps an asyncio event loop running in this thread, so Django's "async-unsafe"
# guard refuses ORM calls from the test body. Nothing here runs concurrently with the ORM: the test
# thread only reads and writes between browser steps, so the guard's worry does not apply.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "Mat-khau-thu-nghiem-2026"
# Steps that wait on the server fail fast. A step takes well under a second alone; 10 s leaves room for
# the suite's other worker on CI's two cores (a PDF download's first build loads WeasyPrint, 2-4 s). A
# shared, overloaded machine (several test runs on two cores) may raise it with UNGCUU_BROWSER_TIMEOUT_MS.
TIMEOUT_MS = int(os.environ.get("UNGCUU_BROWSER_TIMEOUT_MS", "10000"))
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def vietnamese_catalog() -> None:
    """The journeys assert Vietnamese wording, which needs the compiled catalog (.mo), not just the .po."""
    with translation.override("vi"):
        if translation.gettext("Information systems") == "Information systems":
            pytest.fail("The Vietnamese catalog is not compiled: run `make messages` first.")


@pytest.fixture(scope="session")
def browser(vietnamese_catalog) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """A fresh browser context per person (cookies, language): one test may open several."""
    opened: list[BrowserContext] = []
    _count_requests(live_server)

    def make(**options) -> BrowserContext:
        # A browser in Vietnam asks for Vietnamese; LocaleMiddleware honours Accept-Language.
        options = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 900}, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()
    _wait_until_the_server_is_idle(live_server)


def _count_requests(live_server) -> None:
    """Count the requests the live server is answering (installed once; the server lives for the run)."""
    httpd = live_server.thread.httpd
    if hasattr(httpd, "ungcuu_in_flight"):
        return
    httpd.ungcuu_in_flight, lock, app = 0, threading.Lock(), httpd.get_app()

    def counted(environ, start_response):
        with lock:
            httpd.ungcuu_in_flight += 1
        try:
            return app(environ, start_response)
        finally:
            with lock:
                httpd.ungcuu_in_flight -= 1

    httpd.set_app(counted)


def _wait_until_the_server_is_idle(live_server, seconds: float = 60) -> None:
    """A journey that failed on a step timeout leaves its request running in the live server's thread;
    the flush after the test would race it and the request would write into the next test's database (one
    timeout then failed the next three tests with unrelated IntegrityErrors). Wait for it to finish."""
    httpd, deadline = live_server.thread.httpd, time.monotonic() + seconds
    while httpd.ungcuu_in_flight and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
def shot(request) -> Callable[[Page, str], None]:
    """Full-page screenshot to screenshots/<test>-<step>.png."""

    def take(page: Page, step: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}-{step}.png", full_page=True)

    return take


def log_in(context: BrowserContext, user: User, shot: Callable[[Page, str], None] | None = None) -> Page:
    """Log in through the (Vietnamese) login page, as a person would, and land on the dashboard.

    A user with two-factor sign-in (every coordinator) then types the code their phone app shows, which
    the test computes from the device's secret; one who must use it and has no device yet enrols first.
    """
    page = context.new_page()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    if shot:
        shot(page, "00-login")
    page.fill("[name=username]", user.username)
    page.fill("[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/accounts/2fa/setup/" in page.url:
        enrol_two_factor(page)
        page.click("text=Tôi đã lưu, tiếp tục")
    elif "/accounts/2fa/verify/" in page.url:
        expect(page.locator("h1")).to_have_text("Xác thực hai lớp")
        page.fill("[name=code]", fresh_code(TOTPDevice.objects.get(user=user, confirmed=True)))
        page.click("main form button[type=submit]")
    page.wait_for_url("/")
    return page


def enrol_two_factor(page: Page) -> list[str]:
    """On the set-up page: read the key as a person would type it into the app, enter the app's code;
    returns the recovery codes shown once."""
    expect(page.locator("h1")).to_have_text("Thiết lập xác thực hai lớp")
    key = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.fill("[name=code]", f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Mã khôi phục")
    return page.locator("#recovery-codes code").all_inner_texts()


def with_authenticator(user: User) -> User:
    """The state after a finished enrolment: a confirmed authenticator on the user's phone."""
    authenticator(user)
    return user


# --- Personas (STYLE: set up through models and services, as a person's actions would) ---------------
# These shadow the root conftest's manager/coordinator/outsider on purpose: the journeys need the real
# shape of a province (People's Committee as owner, Sở Y tế as operator) and realistic Vietnamese names
# in the screenshots.


def _user(username: str, first: str, last: str, **fields) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last, **fields
    )


@pytest.fixture
def province(transactional_db) -> Organization:
    return Organization.objects.create(
        code="UBND-NB", name="Ủy ban nhân dân tỉnh Ninh Bình", kind=Kind.PROVINCE_PC
    )


@pytest.fixture
def specialised_unit(province) -> Organization:
    return Organization.objects.create(
        code="SO-KHCN", name="Sở Khoa học và Công nghệ", kind=Kind.SPECIALISED_UNIT, parent=province
    )


@pytest.fixture
def health_dept(province) -> Organization:
    return Organization.objects.create(code="SO-YT", name="Sở Y tế", kind=Kind.OPERATOR, parent=province)


@pytest.fixture
def finance_dept(province) -> Organization:
    return Organization.objects.create(code="SO-TC", name="Sở Tài chính", kind=Kind.OPERATOR, parent=province)


@pytest.fixture
def coordinator(specialised_unit) -> User:
    user = _user("dieuphoi", "Lan", "Trần Thị", platform_role=User.PlatformRole.COORDINATOR)
    Membership.objects.create(user=user, organization=specialised_unit, role=Membership.Role.MANAGER)
    return with_authenticator(user)


@pytest.fixture
def manager(health_dept) -> User:
    user = _user("quanly.syt", "Minh", "Nguyễn Văn")
    Membership.objects.create(user=user, organization=health_dept, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def outsider(finance_dept) -> User:
    user = _user("quanly.stc", "Hùng", "Lê Quốc")
    Membership.objects.create(user=user, organization=finance_dept, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def health_contact(manager, health_dept) -> FocalPoint:
    return add_focal_point(
        actor=manager,
        organization=health_dept,
        full_name="Phạm Thu Hà",
        title="Chuyên viên CNTT",
        mobile="0912 345 678",
        email="ha.pt@syt.example.gov.vn",
    )


@pytest.fixture
def finance_system(outsider, finance_dept, province):
    """A system the search must not return for "cong thong tin"."""
    return systems.register_system(
        actor=outsider,
        name="Hệ thống quản lý ngân sách",
        owner=province,
        operator=finance_dept,
        security_level=2,
    )


@pytest.fixture
def mailbox(settings, tmp_path):
    """A real IMAP mailbox (dovecot) for the mail journeys, and the intake pointed at it: a sender's third
    message in an hour is held in quarantine (a journey may lower the limit); evidence under tmp_path."""
    root = Path(tempfile.mkdtemp(prefix="ungcuu-dovecot-"))
    server = Dovecot.start(root)
    settings.MAIL_INTAKE_HOST, settings.MAIL_INTAKE_PORT = "127.0.0.1", server.port
    settings.MAIL_INTAKE_USER, settings.MAIL_INTAKE_PASSWORD = server.user, server.password
    settings.MAIL_INTAKE_TLS, settings.MAIL_INTAKE_ADDRESS = "none", "tbsc@ungcuu.example.gov.vn"
    settings.MAIL_INTAKE_PER_SENDER_PER_HOUR = 2
    settings.MEDIA_ROOT = tmp_path
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)
