"""Settings precedence (env default < the set-up page's row) and the mailer that follows it."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from ungcuu.core import platform
from ungcuu.core.mail import PlatformMailBackend
from ungcuu.core.models import PlatformSettings

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_a_stored_field_wins_and_a_blank_one_keeps_the_env_default(settings):
    settings.INTAKE_PHONE = "0229 1 111 111"
    PlatformSettings.objects.create(pk=1, province_name="Hà Nam", intake_email="a@hanam.gov.vn")

    now = platform.current()

    assert (now.province_name, now.intake_email, now.intake_phone) == (
        "Hà Nam",
        "a@hanam.gov.vn",
        "0229 1 111 111",
    )
    assert now.reference_prefix == settings.INCIDENT_REFERENCE_PREFIX and not now.completed


def test_without_a_stored_server_mail_goes_through_the_deployments_backend(settings):
    backend = PlatformMailBackend(backend=LOCMEM, alias="default")

    sent = backend.send_messages([EmailMessage("s", "b", None, ["x@hanam.gov.vn"])])

    assert sent == 1 and mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL


def test_a_stored_server_and_sender_take_over_without_a_restart(monkeypatch):
    PlatformSettings.objects.create(
        pk=1, email_host="mail.hanam.gov.vn", email_port=587, email_use_tls=True,
        email_host_user="ungcuu", email_host_password="bi-mat", default_from_email="ungcuu@hanam.gov.vn",
    )  # fmt: skip
    opened = {}

    class FakeSMTP:
        def __init__(self, **options):
            opened.update(options)

        def send_messages(self, messages):
            opened["from"] = [m.from_email for m in messages]
            return len(messages)

    monkeypatch.setattr("ungcuu.core.mail.SMTPBackend", FakeSMTP)

    PlatformMailBackend(backend=LOCMEM, alias="default").send_messages(
        [EmailMessage("s", "b", None, ["x@hanam.gov.vn"])]
    )

    assert (opened["host"], opened["port"], opened["use_tls"]) == ("mail.hanam.gov.vn", 587, True)
    assert (opened["username"], opened["password"], opened["from"]) == (
        "ungcuu",
        "bi-mat",
        ["ungcuu@hanam.gov.vn"],
    )
    assert mail.outbox == []
