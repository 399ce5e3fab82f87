"""Sending a delivery again by hand, from the delivery log (the organisation's managers).

A re-send is one more attempt of the same delivery: the same `X-UngCuu-Delivery` id (a receiver that
already acted on it answers 2xx without acting again), a fresh signature and timestamp, and the payload
built and gated when it is sent, as every attempt is. Refused before anything changes when the
organisation may no longer read the object (an incident turned confidential is never re-sent), when the
subscription is switched off, or when the delivery is still waiting to be sent.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.audit.services import NO_REQUEST, RequestMeta
from ungcuu.core.errors import Conflict
from ungcuu.organizations.access import require
from ungcuu.webhooks import jobs, payloads, services
from ungcuu.webhooks.access import can_manage, readable
from ungcuu.webhooks.models import Delivery, Subscription

FINAL = [Delivery.State.DELIVERED, Delivery.State.FAILED, Delivery.State.WITHHELD, Delivery.State.CANCELLED]


@transaction.atomic
def resend_delivery(
    *, actor, subscription: Subscription, delivery: Delivery, meta: RequestMeta = NO_REQUEST
) -> Delivery:
    """Queue `delivery` for one more attempt now; the job sends it after commit."""
    require(can_manage(actor, subscription.organization))
    row = Delivery.objects.select_for_update().get(pk=delivery.pk, subscription=subscription)
    if row.state not in FINAL:
        raise Conflict(_("This delivery is still waiting to be sent."))
    if not (subscription.is_active and subscription.organization.is_active):
        raise Conflict(_("The subscription is switched off: switch it on before re-sending."))
    obj = payloads.EVENT_MODELS[row.event]._default_manager.filter(pk=row.object_id).first()
    if obj is None or not readable(subscription.organization, obj):
        raise Conflict(_("Not re-sent: the organisation may no longer read what this delivery is about."))
    row.state, row.next_attempt_at, row.delivered_at = Delivery.State.PENDING, timezone.now(), None
    row.save(update_fields=["state", "next_attempt_at", "delivered_at"])
    services.audit(actor, subscription, f"delivery {row.uuid} re-sent", meta)
    transaction.on_commit(lambda: jobs.deliver_webhook.enqueue(row.pk))
    return row
