"""Input shape of the federation pages; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ungcuu.core.periods import Period
from ungcuu.federation.models import Peer
from ungcuu.incidents.models import Incident

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StatusForm(forms.Form):
    status = forms.CharField(label=_("National status"), max_length=200)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RequestForm(forms.Form):
    required_actions = forms.CharField(
        label=_("Required actions"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    deadline = forms.DateTimeField(label=_("Answer due"), required=False, widget=DATETIME)


class AdvisoryForm(forms.Form):
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"),
        queryset=Peer.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    recommended_actions = forms.CharField(
        label=_("Recommended actions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadline = forms.DateTimeField(label=_("Remediation deadline"), widget=DATETIME)
    tlp = forms.ChoiceField(label="TLP", choices=Incident.Tlp.choices, initial=Incident.Tlp.AMBER)
    cve_ids = forms.CharField(label=_("CVE identifiers"), required=False, help_text=_("Separated by spaces"))

    def clean_cve_ids(self) -> list[str]:
        return self.cleaned_data["cve_ids"].replace(",", " ").split()


class StatisticsForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("e.g. 2026-H1 or 2026"))

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"].strip())
        except ValueError as error:
            raise forms.ValidationError(_("Unknown period.")) from error


class ShareEvidenceForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)
