"""The set-up page's input (shape only: the rules are in onboarding.setup)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ungcuu.core.actions import add_errors
from ungcuu.onboarding.setup import ROLES, BodyPeriod, Coordinator, SetupInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SettingsForm(forms.Form):
    province_name = forms.CharField(label=_("Province name"), max_length=100)
    intake_phone = forms.CharField(
        label=_("Intake phone, answered 24/7"),
        max_length=50,
        help_text=_("Shown to citizens on the public report page; answered at any hour."),
    )
    intake_email = forms.EmailField(label=_("Intake e-mail, read 24/7"))
    reference_prefix = forms.CharField(
        label=_("Reference prefix"), max_length=6, help_text=_("2 to 6 letters: HN gives HN-2026-000123.")
    )
    default_from_email = forms.EmailField(label=_("Sender address"), required=False)
    email_host = forms.CharField(label=_("Mail server (SMTP)"), max_length=200, required=False)
    email_port = forms.IntegerField(label=_("Port"), required=False, min_value=1, max_value=65535)
    email_host_user = forms.CharField(label=_("Mail account"), max_length=200, required=False)
    email_host_password = forms.CharField(
        label=_("Mail password"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_password = forms.BooleanField(label=_("Remove the stored mail password"), required=False)
    email_use_tls = forms.BooleanField(label=_("Use TLS (STARTTLS)"), required=False)


class BodyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *ROLES.items()], required=False)
    name = forms.CharField(label=_("Body name"), max_length=255, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Valid until"), required=False, widget=DATE)

    def period(self) -> BodyPeriod | None:
        data = self.cleaned_data
        if not data.get("name") and not data.get("role"):
            return None  # an empty spare row
        return BodyPeriod(
            data.get("role") or "", data.get("name") or "", data.get("valid_from"), data.get("valid_to")
        )


class CoordinatorForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)

    def coordinator(self) -> Coordinator | None:
        data = self.cleaned_data
        if not any(data.get(k) for k in ("username", "email", "full_name")):
            return None
        return Coordinator(data.get("username", ""), data.get("email", ""), data.get("full_name", ""))


BodyFormSet = forms.formset_factory(BodyForm, extra=2)
CoordinatorFormSet = forms.formset_factory(CoordinatorForm, extra=2)


class SetupForms:
    """The page's three parts, validated and turned into the service's input together."""

    def __init__(self, data=None, *, initial: SetupInput):
        settings_initial = {k: v for k, v in vars(initial).items() if k != "bodies"}
        self.settings = SettingsForm(data, initial=settings_initial)
        self.bodies = BodyFormSet(data, prefix="body", initial=[vars(b) for b in initial.bodies])
        self.coordinators = CoordinatorFormSet(data, prefix="coordinator")
        self.body_errors: list[str] = []
        self.coordinator_errors: list[str] = []

    def is_valid(self) -> bool:
        return all([self.settings.is_valid(), self.bodies.is_valid(), self.coordinators.is_valid()])

    @property
    def has_errors(self) -> bool:
        bound = self.settings.is_bound
        return bound and (not self.is_valid() or bool(self.body_errors or self.coordinator_errors))

    def setup_input(self) -> SetupInput:
        data = self.settings.cleaned_data
        return SetupInput(
            province_name=data["province_name"],
            intake_phone=data["intake_phone"],
            intake_email=data["intake_email"],
            reference_prefix=data["reference_prefix"],
            default_from_email=data["default_from_email"],
            email_host=data["email_host"],
            email_port=data["email_port"],
            email_host_user=data["email_host_user"],
            email_use_tls=data["email_use_tls"] if data["email_host"] else None,
            email_host_password=data["email_host_password"] or None,
            clear_password=data["clear_password"],
            bodies=tuple(p for form in self.bodies.forms if (p := form.period())),
        )

    def coordinator_input(self) -> tuple[Coordinator, ...]:
        return tuple(c for form in self.coordinators.forms if (c := form.coordinator()))

    def add_errors(self, exc: ValidationError) -> None:
        """The service's refusal, put where the person will look for it: the two lists' errors above their
        formsets, the rest on the settings form as every page does (`core.actions.add_errors`)."""
        errors = dict(exc.message_dict)
        self.body_errors += errors.pop("bodies", [])
        self.coordinator_errors += errors.pop("coordinators", [])
        if errors:
            add_errors(self.settings, ValidationError(errors))
