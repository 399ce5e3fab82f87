"""Login, logout, password change (Django's views) and the profile page with the API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from ungcuu.accounts.forms import ProfileForm
from ungcuu.organizations.models import Membership


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile")
    token = Token.objects.filter(user=request.user).first()
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return render(
        request, "accounts/profile.html", {"form": form, "token": token, "memberships": memberships}
    )


@login_required
@require_POST
def regenerate_token(request):
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was created; the old one no longer works."))
    return redirect("accounts:profile")
