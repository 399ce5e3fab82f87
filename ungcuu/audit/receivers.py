"""Sign-ins and failed sign-ins, from django.contrib.auth's signals (web, admin and API token)."""

from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event


def signed_in(sender, request, user, **kwargs):
    record_event(actor=user, action=AuditEvent.Action.SIGN_IN, request_meta=request_meta(request))


def sign_in_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (that is what an investigation needs); the password never is.
    record_event(
        actor=None,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        actor_name=str(credentials.get("username", "")),
        request_meta=request_meta(request),
    )
