"""The request side of the audit trail: what a view or middleware hands to `record_event`."""

from django.http import HttpRequest

from ungcuu.audit.services import RequestMeta
from ungcuu.core.clientip import client_ip


def request_meta(request: HttpRequest | None) -> RequestMeta:
    """IP, user agent and page name of a request (empty for the test client's bare requests)."""
    if request is None:
        return RequestMeta()
    match = getattr(request, "resolver_match", None)
    return RequestMeta(
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        view_name=match.view_name if match else "",
    )
