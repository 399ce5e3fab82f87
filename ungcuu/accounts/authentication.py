"""DRF authentication with the hashed ApiToken: `Authorization: Token <secret>`, as before."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from ungcuu.accounts import tokens


class ApiTokenAuthentication(TokenAuthentication):
    """Same header as DRF's TokenAuthentication; the lookup is by digest and checks expiry, revocation
    and the password stamp. Two-factor does not apply here: a token is the machine door, and making one
    from the web needs a verified session."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = tokens.authenticate_secret(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return (token.user, token)
