from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from ungcuu.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "title", "phone"]


class TokenForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand the old token stops working"), required=True)


class AccountPasswordResetForm(PasswordResetForm):
    """Also serves accounts created by a manager without a password: this link is how they set one."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")
