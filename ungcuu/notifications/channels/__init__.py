"""Delivery channels: one module per kind, each with `send(notification)` that raises on failure.

Add a channel by writing `channels/<kind>.py` and naming it here; lookups have no side effects.
"""

from collections.abc import Callable

from ungcuu.notifications.channels import email, inapp

CHANNELS: dict[str, Callable] = {
    "email": email.send,
    "inapp": inapp.send,
}
