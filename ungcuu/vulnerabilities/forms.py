"""Input shape for uploads, host assignment, finding decisions and the findings filters."""

from __future__ import annotations

import datetime

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.vulnerabilities.access import importing_organizations, triageable_systems
from ungcuu.vulnerabilities.models import Tool
from ungcuu.vulnerabilities.uploads import max_bytes


class ScanUploadForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        help_text=_("The unit the scan was made for or by."),
    )
    # Empty files pass here so that the service gives its one "empty" message (UI and API alike).
    file = forms.FileField(label=_("Scan report"), allow_empty_file=True)
    tool = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Detect from the file")), *Tool.choices],
        required=False,
    )
    is_full = forms.BooleanField(
        label=_("Full scan of these hosts"),
        required=False,
        initial=True,
        help_text=_("A full scan closes, as fixed, the findings it no longer sees on the hosts it covered."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = importing_organizations(user)
        self.fields["organization"].queryset = organizations
        # Preselect the uploader's own unit (the coordinator's is the specialised unit).
        own = organizations.filter(memberships__user=user).order_by("pk").first()
        self.fields["organization"].initial = own or (
            organizations.get() if organizations.count() == 1 else None
        )
        self.fields["file"].help_text = _(
            "OpenVAS/Greenbone XML report, Nessus .nessus (v2) file or Nmap XML (-oX). At most %(max)s."
        ) % {"max": filesizeformat(max_bytes())}
        self.fields["file"].widget.attrs["accept"] = ".xml,.nessus"


class AssignHostForm(forms.Form):
    system = forms.ModelChoiceField(label=_("Information system"), queryset=InformationSystem.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = triageable_systems(user).order_by("operator__name", "name")
        self.fields["system"].label_from_instance = lambda s: f"{s.name} — {s.operator}"


class AcceptRiskForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the risk is accepted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Compensating controls, planned replacement, why it cannot be fixed now."),
    )
    expires_on = forms.DateField(
        label=_("Accepted until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("After this date the finding is open again."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=90)


class FalsePositiveForm(forms.Form):
    reason = forms.CharField(
        label=_("How you checked"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Required.")
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OwnerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Responsible person"), queryset=None, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
