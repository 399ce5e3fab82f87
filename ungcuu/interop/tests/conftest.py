"""The intake mailbox (dovecot) and the outgoing mail server (aiosmtpd), started once per session."""

import tempfile
from pathlib import Path

import pytest
from django.utils import timezone

from ungcuu.incidents.services import assign_handler
from ungcuu.incidents.tests.factories import reported
from ungcuu.interop.models import InboundMessage
from ungcuu.interop.tests.servers import Dovecot, SmtpSink, cleanup


@pytest.fixture(scope="session")
def dovecot():
    root = Path(tempfile.mkdtemp(prefix="ungcuu-dovecot-"))
    server = Dovecot.start(root)
    yield server
    server.stop()
    cleanup(root)


@pytest.fixture
def mailbox(dovecot, settings, tmp_path):
    """An empty INBOX and the settings that point the intake at it; evidence files under tmp_path."""
    dovecot.empty()
    settings.MAIL_INTAKE_HOST = "127.0.0.1"
    settings.MAIL_INTAKE_PORT = dovecot.port
    settings.MAIL_INTAKE_USER = dovecot.user
    settings.MAIL_INTAKE_PASSWORD = dovecot.password
    settings.MAIL_INTAKE_TLS = "none"
    settings.MAIL_INTAKE_FOLDER = "INBOX"
    settings.MAIL_INTAKE_ADDRESS = "tbsc@ungcuu.example.gov.vn"
    settings.DEFAULT_FROM_EMAIL = "Ứng Cứu <noreply@ungcuu.example.gov.vn>"
    settings.MEDIA_ROOT = tmp_path
    return dovecot


@pytest.fixture(scope="session")
def smtp_server():
    sink = SmtpSink.start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """Django's SMTP backend pointed at the local aiosmtpd; the list of received messages starts empty."""
    smtp_server.received.clear()
    settings.SITE_URL = "https://ungcuu.example.gov.vn"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "timeout": 10},
        }
    }
    return smtp_server


# --- the intake log (its page and its API) ------------------------------------------------------------


def _logged(incident=None, **fields):
    return InboundMessage.objects.create(
        message_id=fields.pop("message_id"),
        sender=fields.pop("sender", "alpha@example.gov.vn"),
        received_at=timezone.now(),
        incident=incident,
        **fields,
    )


@pytest.fixture
def log(manager, org_a, coordinator, national):
    ordinary = reported(manager, org_a, "Thay đổi giao diện Alpha")
    secret = reported(manager, org_a, "Rò rỉ hồ sơ Alpha", confidential=True)
    assign_handler(actor=coordinator, incident=secret, handler=coordinator)
    _logged(ordinary, message_id="<a@x>", subject="[TBSC] Thay đổi giao diện Alpha", outcome="created")
    _logged(secret, message_id="<b@x>", subject="Rò rỉ hồ sơ Alpha", outcome="threaded")
    _logged(message_id="<c@x>", subject="Out of office", outcome="ignored", reason="auto_reply")
    _logged(
        message_id="<d@x>",
        sender="bom@example.com",
        subject="spam",
        outcome="quarantined",
        reason="rate_limited",
    )
    return {"ordinary": ordinary, "secret": secret}
