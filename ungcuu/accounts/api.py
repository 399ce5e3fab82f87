"""POST /api/v1/auth/token/: username + password (+ a two-factor code where one applies) → a new token.

It authenticates through django-axes (a locked username+address gets 429) and has its own DRF throttle.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ungcuu.accounts import tokens, twofactor
from ungcuu.accounts.models import ApiToken, TokenScope, User
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
        # A form-encoded request without the field reads as an empty selection: that is the default too.
        allow_empty=True,
        help_text="What the token may do (default, also when empty: all three). read: GET; report: incident "
        "reports, evidence, filings, acknowledgements; coordinate: every other change.",
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


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as the profile page lists it: never the secret (only its first characters)."""

    scopes = serializers.SerializerMethodField()
    usable = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scopes",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "usable",
        ]
        read_only_fields = fields

    def get_scopes(self, token: ApiToken) -> list[str]:
        return token.scopes.split()

    def get_usable(self, token: ApiToken) -> bool:
        return tokens.is_usable(token)


class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens (the profile page's list); someone else's token is 404."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # names the model for the schema; get_queryset gives the rows
    # Revoking only takes access away: any of a person's tokens may cut off another (a leaked one).
    token_scopes = {"revoke": TokenScope.READ}

    def get_queryset(self):
        return (
            ApiToken.objects.filter(user=self.request.user)
            .select_related("user")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke one of the caller's tokens; it stops working at once (a token may revoke itself)."""
        token = self.get_object()
        tokens.revoke_token(actor=request.user, token_id=token.pk)
        token.refresh_from_db()
        return Response(ApiTokenSerializer(token).data)


ROUTES = [("auth/tokens", ApiTokenViewSet, "apitoken")]
