"""Managing an organisation's webhook subscriptions: create, change, rotate the secret, switch on or off,
and the automatic switch-off after repeated failures (with word to the people who own it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import NO_REQUEST, RequestMeta, record_event
from ungcuu.notifications.services import notify
from ungcuu.organizations import access as org_access
from ungcuu.organizations.models import Membership, Organization
from ungcuu.webhooks import signing, transport
from ungcuu.webhooks.access import can_manage
from ungcuu.webhooks.models import Delivery, Event, Subscription

WAITING = [Delivery.State.PENDING, Delivery.State.RETRYING]


def _clean(*, name: str, url: str, events: Iterable[str]) -> tuple[str, str, list[str]]:
    errors: dict[str, list[str]] = {}
    name, url = (name or "").strip(), (url or "").strip()
    chosen = [e for e in Event.values if e in set(events)]
    if not name:
        errors["name"] = [_("Give the subscription a name.")]
    try:
        transport.check_target(url)
    except transport.TargetRefused as error:
        errors["url"] = [_("This address cannot receive webhooks: %(reason)s") % {"reason": error}]
    if not chosen or len(chosen) != len(set(events)):
        errors["events"] = [_("Choose at least one event from the list.")]
    if errors:
        raise ValidationError(errors)
    return name, url, chosen


def audit(actor, subscription: Subscription, what: str, meta: RequestMeta) -> None:
    record_event(
        actor=actor,
        action=AuditEvent.Action.ORGANIZATION_UPDATED,
        target=subscription.organization,
        detail=f"webhook #{subscription.pk} {what}",
        request_meta=meta,
    )


@transaction.atomic
def create_subscription(
    *,
    actor,
    organization: Organization,
    name: str,
    url: str,
    events: Iterable[str],
    meta: RequestMeta = NO_REQUEST,
) -> tuple[Subscription, str]:
    """A new subscription and its secret, returned once: the caller shows it and forgets it."""
    org_access.require(can_manage(actor, organization))
    name, url, chosen = _clean(name=name, url=url, events=events)
    secret = signing.new_secret()
    subscription = Subscription.objects.create(
        organization=organization, name=name, url=url, events=chosen, secret=secret, created_by=actor
    )
    audit(actor, subscription, "created", meta)
    return subscription, secret


@transaction.atomic
def update_subscription(
    *,
    actor,
    subscription: Subscription,
    name: str,
    url: str,
    events: Iterable[str],
    is_active: bool,
    meta: RequestMeta = NO_REQUEST,
) -> Subscription:
    """Change the endpoint or the events; switching it back on starts the failure count afresh."""
    org_access.require(can_manage(actor, subscription.organization))
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.name, subscription.url, subscription.events = _clean(name=name, url=url, events=events)
    if is_active and not subscription.is_active:
        subscription.is_active, subscription.consecutive_failures = True, 0
        subscription.disabled_at, subscription.disabled_reason = None, ""
    elif not is_active and subscription.is_active:
        _switch_off(subscription, _("Switched off by %(user)s.") % {"user": actor.get_username()})
    subscription.save()
    audit(actor, subscription, "changed", meta)
    return subscription


@transaction.atomic
def rotate_secret(
    *, actor, subscription: Subscription, meta: RequestMeta = NO_REQUEST
) -> tuple[Subscription, str]:
    """A new secret, returned once; the old one keeps signing beside it for WEBHOOK_SECRET_GRACE_HOURS so
    the receiver can switch without losing a delivery."""
    org_access.require(can_manage(actor, subscription.organization))
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    now = timezone.now()
    secret = signing.new_secret()
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = now + datetime.timedelta(
        hours=settings.WEBHOOK_SECRET_GRACE_HOURS
    )
    subscription.secret, subscription.secret_rotated_at = secret, now
    subscription.save()
    audit(actor, subscription, "secret rotated", meta)
    return subscription, secret


def _switch_off(subscription: Subscription, reason: str) -> None:
    subscription.is_active = False
    subscription.disabled_at, subscription.disabled_reason = timezone.now(), reason[:300]
    subscription.deliveries.filter(state__in=WAITING).update(
        state=Delivery.State.CANCELLED, next_attempt_at=None
    )


@transaction.atomic
def disable_after_failures(subscription: Subscription) -> Subscription:
    """WEBHOOK_DISABLE_AFTER failed attempts in a row: stop, and tell the people who manage it."""
    subscription = (
        Subscription.objects.select_for_update().select_related("organization").get(pk=subscription.pk)
    )
    if not subscription.is_active:
        return subscription
    failures = subscription.consecutive_failures
    reason = _("Disabled after %(n)s failed attempts in a row.") % {"n": failures}
    _switch_off(subscription, reason)
    subscription.save()
    notify(
        event="webhook_disabled",
        subject=_("Webhook “%(name)s” was disabled") % {"name": subscription.name},
        body=reason
        + " "
        + _("Check the endpoint %(url)s, then switch the subscription back on.") % {"url": subscription.url},
        users=_owners(subscription),
        link=subscription.get_absolute_url(),
        dedupe_key=f"webhook-disabled:{subscription.pk}:{subscription.disabled_at:%Y%m%d%H%M%S}",
    )
    return subscription


def _owners(subscription: Subscription) -> list:
    """Whoever created it (if still active) and the organisation's managers."""
    managers = Membership.objects.filter(
        organization=subscription.organization, role=Membership.Role.MANAGER, user__is_active=True
    ).select_related("user")
    people = {m.user for m in managers}
    creator = subscription.created_by
    if creator is not None and creator.is_active:
        people.add(creator)
    return sorted(people, key=lambda u: u.pk)
