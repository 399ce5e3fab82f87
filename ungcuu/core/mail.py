"""The default mailer: the deployment's backend, unless the set-up page stored an SMTP server.

A page-edited mail setting has to take effect without a restart and without every sender knowing about
it, so the choice is made here, once per connection: with `PlatformSettings.email_host` set, mail goes by
SMTP with the stored server, account and TLS choice; otherwise through the backend of MAILERS' OPTIONS
(console by default). Messages sent "from the default sender" take the stored sender address.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.utils.module_loading import import_string

from ungcuu.core import platform


class PlatformMailBackend(BaseEmailBackend):
    """Delegates each batch to the backend the platform's settings choose at that moment."""

    def __init__(
        self, *, backend: str, options: dict | None = None, fail_silently=False, alias=None, **kwargs
    ):
        super().__init__(alias=alias, **kwargs)
        self.fail_silently = fail_silently
        self.mailer = alias or "default"  # the delegates are this mailer's connections, not new mailers
        self.fallback, self.fallback_options = backend, options or {}

    def _delegate(self, chosen: platform.Platform) -> BaseEmailBackend:
        if platform.stored().email_host:
            return SMTPBackend(
                host=chosen.email_host,
                port=chosen.email_port,
                username=chosen.email_host_user,
                password=chosen.email_host_password,
                use_tls=chosen.email_use_tls,
                timeout=float(str(settings.EMAIL_SMTP_DEFAULTS.get("timeout") or 15)),
                fail_silently=self.fail_silently,
                alias=self.mailer,
            )
        # Django's own backends refuse fail_silently=False passed through to their base class.
        quiet = {"fail_silently": True} if self.fail_silently else {}
        return import_string(self.fallback)(alias=self.mailer, **self.fallback_options, **quiet)

    def send_messages(self, email_messages):
        chosen = platform.current()
        for message in email_messages:
            if message.from_email == settings.DEFAULT_FROM_EMAIL:
                message.from_email = chosen.default_from_email
        return self._delegate(chosen).send_messages(email_messages)
