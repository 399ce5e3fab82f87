from django import forms
from django.utils.translation import gettext_lazy as _

from ungcuu.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "title", "phone"]


class TokenForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand the old token stops working"), required=True)
