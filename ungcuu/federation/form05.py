"""Form 05 goes up by itself on TT20's dates (Art. 6: the half-year report before 20 June, the annual one
before 15 December; `core.periods` reads the dates from the taxonomy).

The scheduler runs `send_due_form05` hourly (registered in apps.py; `manage.py federation_send_form05`
does the same from cron). From a period's due date until the next period falls due, a province whose
national peer is configured sends that period's form 05 once, unless it was sent already (by hand from
the outbox page, or by an earlier run). The message is an ordinary outbox message (retried until
delivered); its id is derived from the period, so two schedulers at once cannot both write it (the id is
unique) and the national instance would take a repeat as a duplicate. Sending fulfils the province's form
05 duty for the period (`services.fulfil_form05`).

Due dates rather than the day the figures close: until then the coordinator may still complete the
period's incidents and send the form by hand; the scheduler is the safety net, and the due day itself
still counts as on time (an occurrence is overdue only after its due date).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ungcuu.core.periods import Period
from ungcuu.federation import peers, services
from ungcuu.federation.models import MessageKind, OutboxMessage

logger = logging.getLogger(__name__)
# uuid5 namespace of the automatic form 05 messages (any fixed UUID; never change it).
NAMESPACE = uuid.UUID("5b0f3c8e-05a1-4f20-9c1e-7d2b6a0f0505")


def due_period(today: datetime.date) -> Period:
    """The latest form 05 period whose due date is today or past: the one to send now."""
    for year, span in ((today.year, "RY"), (today.year, "R6"), (today.year - 1, "RY")):
        period = Period.reporting(year, span)
        if period.due <= today:  # type: ignore[operator]
            return period
    raise AssertionError("unreachable: last year's annual report is always due")


def message_id(destination: str, period: Period) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{settings.FEDERATION_CODE}>{destination} form05 {period.key}")


def already_sent(destination: str, period: Period) -> bool:
    """Any form 05 of the period in the outbox, whatever its state (a refused one waits for a person)."""
    return OutboxMessage.objects.filter(
        destination=destination, kind=MessageKind.STATISTICS, payload__period=period.key
    ).exists()


def send_due_form05(now: datetime.date | None = None) -> OutboxMessage | None:
    """The periodic job: the due period's form 05 to the national instance, once; None when nothing to do."""
    peer = peers.national()
    if peer is None:
        return None  # the national instance itself, or a province without federation
    today = now or timezone.localdate()
    period = due_period(today)
    if already_sent(peer.code, period):
        return None
    try:
        message = _send(peer.code, period, today)
    except IntegrityError:  # another scheduler wrote it a moment ago
        return None
    logger.info("form 05 of %s queued for %s", period.key, peer.code)
    return message


@transaction.atomic
def _send(destination: str, period: Period, today: datetime.date) -> OutboxMessage:
    message = services.put_statistics(
        destination=destination, period=period, message_id=message_id(destination, period)
    )
    services.fulfil_form05(actor=None, period=period, message=message, today=today)
    return message
