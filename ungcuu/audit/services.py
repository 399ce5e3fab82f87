"""Services never see `request`: callers pass its IP and user agent (RequestMeta)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ungcuu.audit.models import AuditEvent
from ungcuu.organizations.models import Organization


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from, as the audit trail records it."""

    ip_address: str | None = None
    user_agent: str = ""
    view_name: str = ""


NO_REQUEST = RequestMeta()


def record_event(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organization: Organization | None = None,
    detail: str = "",
    actor_name: str = "",
    request_meta: RequestMeta = NO_REQUEST,
) -> AuditEvent:
    """Append one row to the trail; the target's organization is found unless one is given."""
    signed_in = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_name=(actor.get_username() if signed_in else actor_name)[:150],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=safe_label(target)[:200],
        detail=detail[:300],
        organization=organization or organization_of(target),
        view_name=request_meta.view_name[:120],
        ip_address=request_meta.ip_address,
        user_agent=request_meta.user_agent[:300],
    )


def safe_label(target: models.Model | None) -> str:
    """A label that discloses nothing the trail's readers should not see: a reference, a code, a
    username, or the object's kind and number; never a title or a description."""
    if target is None:
        return ""
    for field in ("reference", "code", "username"):
        value = getattr(target, field, None)
        if isinstance(value, str) and value:
            return value
    return f"{target._meta.verbose_name} #{target.pk}"


def organization_of(target: models.Model | None) -> Organization | None:
    """The organization a target belongs to: itself, its own, its operator's, or its incident's."""
    if target is None or isinstance(target, Organization):
        return target
    for field in ("organization", "operator", "owner"):
        value = getattr(target, field, None)
        if isinstance(value, Organization):
            return value
    for parent in ("incident", "plan", "advisory", "drill", "request"):
        value = getattr(target, parent, None)
        if isinstance(value, models.Model):
            return organization_of(value)
    return None
