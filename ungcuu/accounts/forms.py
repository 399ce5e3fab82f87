from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from ungcuu.accounts.models import TokenScope, User


class ProfileForm(forms.ModelForm):
    """Asks the name in Vietnamese order (core.names): family and middle names first, then the given name."""

    class Meta:
        model = User
        fields = ["last_name", "first_name", "email", "title", "phone"]
        labels = {"last_name": _("Family and middle names"), "first_name": _("Given name")}
        help_texts = {"last_name": _("E.g. “Tạ Quang” for Tạ Quang Huy."), "first_name": _("E.g. “Huy”.")}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. “SIEM import”.")
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))],
        initial=90,
    )
    # Issue 16: a token for a reporting tool needs no right to coordinate; all three by default, as before.
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        choices=TokenScope.choices,
        initial=TokenScope.values,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Read: see what you see. Report: report incidents, upload evidence, file reports and "
            "acknowledgements. Coordinate: every other change."
        ),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("The password is not right."))
        return self.cleaned_data["password"]


class AccountPasswordResetForm(PasswordResetForm):
    """Also serves accounts created by a manager without a password: this link is how they set one."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")
