"""Production settings from the environment, and the headers every page carries (issue 10's baseline).

Settings are read once per process, so the production cases run Django in a subprocess with their own
environment: no UNGCUU_DEMO (which the test suite itself sets), and the documented production variables.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
# The production variables docs/security.md documents, with example values.
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 10 + "Qz8-x1VbN3mP0aL7wRt5YcJ2hG9eK4sD6fU0iO3pZ_qW8nM1vB5xC7",
    "ALLOWED_HOSTS": "ungcuu.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://ungcuu.example.gov.vn",
    "SITE_URL": "https://ungcuu.example.gov.vn",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "mail.example.gov.vn",
}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
)


def _django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("UNGCUU_") and k not in PRODUCTION_ENV}
    clean.pop("DEBUG", None)
    # Set by other tests in this process (the browser tests' live server); a deployment never has it.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean["DJANGO_SETTINGS_MODULE"] = "ungcuu.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _django(["-c", PRINT_SETTINGS], **{**PRODUCTION_ENV, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert "UNGCUU_DEMO=1" in result.stderr  # the message says what a developer should do


def test_production_refuses_the_key_published_in_the_repository():
    result = _django(
        ["-c", PRINT_SETTINGS], **{**PRODUCTION_ENV, "SECRET_KEY": "dev-only-insecure-key-change-me"}
    )

    assert result.returncode != 0
    assert "published in the repository" in result.stderr


def test_production_defaults_are_the_safe_ones():
    result = _django(["-c", PRINT_SETTINGS], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['ungcuu.example.gov.vn']", "True", "True", "31536000"]


def test_demo_mode_runs_on_plain_http_and_never_lists_testserver():
    result = _django(["-c", PRINT_SETTINGS], UNGCUU_DEMO="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['127.0.0.1',", "'localhost']", "False", "False", "0"]


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = _django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_complain_without_them():
    """Control: the clean run above is clean because of the variables, not because checks are off."""
    result = _django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**PRODUCTION_ENV, "UNGCUU_SSL_REDIRECT": "0", "UNGCUU_SECURE_COOKIES": "0"},
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


def test_signed_in_pages_are_never_stored(client_for, viewer):
    response = client_for(viewer).get(reverse("core:home"))

    assert "no-store" in response["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored(api_for, viewer):
    """The token is checked inside DRF's view, after the middleware ran its request half."""
    response = api_for(viewer).get(reverse("incident-list"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_are_left_to_the_default_caching(client_for, db):
    response = client_for().get(reverse("public_report"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_carry_a_policy_that_forbids_inline_script(client_for, viewer):
    policy = client_for(viewer).get(reverse("core:home"))["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["style-src"]
    assert directives["frame-ancestors"] == "'none'"


# Inline script, inline event handlers (incl. htmx's hx-on, which htmx evaluates), javascript: URLs, style
# attributes and <style> without the nonce would all be blocked by the policy: none may come back.
FORBIDDEN = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),
    "event handler attribute": re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> without the request's nonce": re.compile(r"<style(?![^>]*nonce)[^>]*>"),
}
# Our Redoc page extends drf-spectacular's, whose blocks it replaces (it is checked in a browser test).
# The e-mail template is read by mail programs, not served under our policy: they ignore <style> blocks
# and stylesheets, so its styles must be inline attributes.
NOT_BROWSER_PAGES = {"api/redoc.html", "notifications/email/message.html"}


def _templates():
    folder = ROOT / "ungcuu" / "templates"
    return sorted(p for p in folder.rglob("*.html") if str(p.relative_to(folder)) not in NOT_BROWSER_PAGES)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.name)
def test_no_template_needs_what_the_policy_forbids(path):
    text = path.read_text()

    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]

    assert found == [], f"{path}: {found}"


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.name)
def test_no_template_comment_spans_lines(path):
    """A `{# #}` comment is one line only: spread over two, it is printed on the page as text."""
    assert not re.search(r"\{#(?![^\n]*#\})", path.read_text()), path
