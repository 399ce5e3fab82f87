"""Token scopes (issue 16): every API operation declares the scope a token needs for it.

A viewset names its operations' scopes in `token_scopes` ({action: TokenScope}); an operation it does not
name needs `read` when it only reads (GET/HEAD/OPTIONS) and `coordinate` when it changes anything, so a
new operation nobody thought about is closed to narrow tokens rather than open. A signed-in browser session
has no token and is not narrowed. Scopes never widen what the user may do: the access checks still apply.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions

from ungcuu.accounts.models import ApiToken, TokenScope


def required_scope(view, method: str) -> str:
    """The scope `view`'s current operation needs (also what the OpenAPI schema says)."""
    declared = getattr(view, "token_scopes", {}) or {}
    action = getattr(view, "action", None)
    if action in declared:
        return declared[action]
    return TokenScope.READ if method in permissions.SAFE_METHODS else TokenScope.COORDINATE


class TokenScopes(permissions.BasePermission):
    """403 when the request's token lacks the operation's scope (before the object or the body is read)."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        scope = required_scope(view, request.method)
        if token.allows(scope):
            return True
        self.message = _("This token does not have the “%(scope)s” scope this operation needs.") % {
            "scope": scope
        }
        return False
