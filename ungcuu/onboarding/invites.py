"""Accounts in bulk: imported focal points get an account and a one-time link to set their password.

The link is Django's password-reset token (accounts:password_reset_confirm), the same door accounts made
by a manager already use: it stops working once the password is set, and after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ungcuu.accounts.models import User
from ungcuu.core.bodies import province_name
from ungcuu.organizations import access
from ungcuu.organizations import services as org_services
from ungcuu.organizations.models import FocalPoint, Membership


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already have an account


def set_password_link(user: User, *, site: str | None = None) -> str:
    """An absolute one-time link for `user` to choose a password (on `site`, default SITE_URL)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return (site or settings.SITE_URL).rstrip("/") + path


def uninvited_focal_points():
    """Active focal points with an e-mail that no account uses yet."""
    taken = User.objects.exclude(email="").values("email")
    return (
        FocalPoint.objects.filter(is_active=True, organization__is_active=True)
        .exclude(email="")
        .exclude(email__in=taken)
        .select_related("organization")
    )


@transaction.atomic
def invite_focal_points(*, actor, role: str = Membership.Role.RESPONDER) -> InviteReport:
    """Create an account (no password) for each uninvited focal point and mail the link after commit."""
    access.require(access.is_coordinator(actor))
    report = InviteReport()
    for focal in uninvited_focal_points():
        email = focal.email.lower()
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            report.skipped.append(email)  # two focal points sharing one address: the first one gets it
            continue
        membership = org_services.invite_member(
            actor=actor,
            organization=focal.organization,
            username=email,
            email=email,
            full_name=focal.full_name,
            role=role,
        )
        transaction.on_commit(partial(send_invitation, membership.user_id))
        report.invited.append(email)
    return report


def send_invitation(user_id: int) -> None:
    """The invitation e-mail; a new link each time, so sending again after a lost mail is harmless."""
    user = User.objects.get(pk=user_id)
    body = _(
        "An account on Ứng Cứu (%(province)s) has been created for you as a focal point of %(org)s.\n\n"
        "Your username is %(username)s. Choose your password with this one-time link:\n%(link)s\n\n"
        "The link stops working once used. If you did not expect this e-mail, tell the specialised unit."
    ) % {
        "province": province_name(),
        "org": ", ".join(m.organization.name for m in user.memberships.select_related("organization")),
        "username": user.username,
        "link": set_password_link(user),
    }
    send_mail(_("Your Ứng Cứu account"), body, None, [user.email])
