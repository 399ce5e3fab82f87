"""The receiver's refusals, shared by the inbound dispatcher and each side's appliers."""

from __future__ import annotations

from django.utils.translation import gettext as _


class Refused(Exception):
    """The message is well formed but not this sender's to send (403)."""


class OutOfOrder(Exception):
    """An earlier message of the stream has not arrived yet (409); the sender retries later."""

    def __init__(self, expected: int):
        super().__init__(
            _("Message out of order: the stream expects sequence number %(n)s first.") % {"n": expected}
        )
        self.expected = expected
