"""Input validation for organization and focal-point pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffLine
from ungcuu.organizations.services import PROFILE_FIELDS, STAFF_LINE_FIELDS


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "members_see_children",
            "is_active",
            *PROFILE_FIELDS,
        ]
        widgets = {"capacity_summary": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if self.instance.would_cycle_under(parent):
            raise forms.ValidationError(
                _("An organization cannot be placed under itself or its own children.")
            )
        return parent


class OrganizationProfileForm(forms.ModelForm):
    """What a unit's manager may edit about their own organization: the form 01 profile, not its place."""

    class Meta:
        model = Organization
        fields = ["short_name", *PROFILE_FIELDS]
        widgets = {"capacity_summary": forms.Textarea(attrs={"rows": 3})}


class FocalPointForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = [
            "full_name",
            "title",
            "duty",
            "office_phone",
            "mobile",
            "email",
            "is_24x7",
            "pgp_fingerprint",
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data  # (typed: Form.clean() may return None)
        if not any(data.get(f) for f in ("office_phone", "mobile", "email")):
            raise forms.ValidationError(
                _("Give at least one way to reach this person: phone, mobile or e-mail.")
            )
        return data


class MemberForm(forms.Form):
    username = forms.SlugField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    # Whether the username exists is the service's question, answered alike for unknown and hidden names.


class StaffLineForm(forms.ModelForm):
    """One person of form 01's staff annex; the name is asked family name first, as it is written."""

    expert_groups = forms.MultipleChoiceField(
        label=_("Experienced in (expert groups)"),
        choices=StaffLine.ExpertGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StaffLine
        fields = STAFF_LINE_FIELDS

    def clean_graduation_year(self):
        year = self.cleaned_data.get("graduation_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The graduation year cannot be in the future."))
        return year

    def clean_expert_groups(self):
        return list(self.cleaned_data.get("expert_groups") or [])
