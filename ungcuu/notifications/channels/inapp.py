"""In-app notifications: the row in the recipient's inbox is the delivery."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ungcuu.notifications.models import Notification


def send(notification: Notification) -> None:
    """Nothing to transmit; only a row without a recipient cannot be delivered."""
    if notification.recipient_user_id is None:
        raise ValueError("an in-app notification needs a recipient user")
