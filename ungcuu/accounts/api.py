"""POST /api/v1/auth/token/: username + password (+ a two-factor code where one applies) → a new token.

It authenticates through django-axes (a locked username+address gets 429) and has its own DRF throttle.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ungcuu.accounts import tokens, twofactor
from ungcuu.accounts.models import TokenScope, User
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.requests import request_meta
from ungcuu.audit.services import record_event


class TokenRequestSerializer(serializers.Serializer):
    # Bounded like the sign-in form: a longer name cannot exist, and the lockout's record of a failed
    # attempt keeps at most 255 characters (PostgreSQL refused a longer one with a 500).
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="Two-factor code, if required."
    )
    name = serializers.CharField(required=False, max_length=100)
    scopes = serializers.MultipleChoiceField(
        choices=TokenScope.choices,
        required=False,
        allow_empty=False,
        help_text="What the token may do (default: all three). read: GET; report: incident reports, "
        "evidence, filings, acknowledgements; coordinate: every other change.",
    )


class TokenThrottle(AnonRateThrottle):
    """Per client address, whatever the username: slows password guessing across many accounts."""

    scope = "token"


@extend_schema(
    request=TokenRequestSerializer,
    responses={
        201: inline_serializer(
            "TokenCreated",
            {
                "token": serializers.CharField(),
                "expires_at": serializers.DateTimeField(),
                "scopes": serializers.ListField(child=serializers.ChoiceField(TokenScope.choices)),
            },
        )
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([TokenThrottle])
def obtain_token(request):
    """A new named token, valid API_TOKEN_DEFAULT_DAYS; the secret is in this response only."""
    data = TokenRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    user = authenticate(request._request, username=fields["username"], password=fields["password"])
    if user is None:
        return Response({"detail": _("Wrong username or password.")}, status=status.HTTP_400_BAD_REQUEST)
    if twofactor.needs_verification(user):
        if not twofactor.is_enabled(user):
            message = _("Your role requires two-factor sign-in: set it up in the web interface first.")
            return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
        if twofactor.verify(user, fields.get("otp", "")) is None:
            return Response({"otp": [_("A valid two-factor code is required.")]}, status=400)
    token, secret = tokens.create_token(
        actor=user, name=fields.get("name") or "API", scopes=fields.get("scopes") or None
    )
    # DRF's door sends no user_logged_in signal: the sign-in is recorded here (the secret never is).
    record_event(
        actor=user,
        action=AuditEvent.Action.SIGN_IN,
        detail=f"API token {token.prefix}…",
        request_meta=request_meta(request._request),
    )
    answer = {"token": secret, "expires_at": token.expires_at, "scopes": token.scopes.split()}
    return Response(answer, status=status.HTTP_201_CREATED)
