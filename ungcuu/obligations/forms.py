"""Input shape for the obligations UI: mark done, waive, calendar filters, and the definition editor."""

from __future__ import annotations

import datetime
import os
import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core.templatetags.dates import day_months
from ungcuu.obligations.models import DEFINITION_FIELDS, EvidenceKind, ObligationDefinition
from ungcuu.organizations.models import Kind, Organization

# What a unit uploads as proof: office documents, scans, images, archives, plain logs.
DEFAULT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "png",
    "jpg",
    "jpeg",
    "zip",
    "7z",
    "txt",
    "log",
    "csv",
)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The UI offers the proofs a person attaches by hand; drills, scans and plans are linked by their apps.
HAND_KINDS = (EvidenceKind.FILE, EvidenceKind.LINK, EvidenceKind.OTHER)


def check_evidence_file(upload) -> None:
    """The proof's type and size limits, for the page's form and the API alike."""
    allowed = getattr(settings, "OBLIGATION_EVIDENCE_EXTENSIONS", DEFAULT_EXTENSIONS)
    if os.path.splitext(upload.name)[1].lower().lstrip(".") not in allowed:
        raise forms.ValidationError(
            _("Files of this type are not accepted. Use one of: %(list)s.") % {"list": ", ".join(allowed)}
        )
    limit = getattr(settings, "OBLIGATION_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than the %(limit)s limit.") % {"limit": filesizeformat(limit)}
        )


class DoneForm(forms.Form):
    """What proves an occurrence done: a file, a link or a note (the kind follows from what is given)."""

    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_done_on(self) -> datetime.date:
        return self.cleaned_data["done_on"] or timezone.localdate()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_evidence_file(upload)
        return upload


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for waiving"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CalendarFilterForm(forms.Form):
    """Month, view and organization of the calendar; bad values fall back to the defaults."""

    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False)
    view = forms.ChoiceField(choices=[("month", _("Month")), ("list", _("List"))], required=False)
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("Organization"),
        empty_label=_("All my organizations"),
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            field = self.fields["organization"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organizations

    def value(self, name: str, default=None):
        if not self.is_bound or not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def _month_day(text: str) -> str:
    day, slash, month = text.partition("/")
    if slash and day.isdigit() and month.isdigit():
        return f"{int(month):02d}-{int(day):02d}"
    return text  # month-day as stored, or a typo the model's clean() names


class DefinitionForm(forms.ModelForm):
    """The coordinator's editor; the model's clean() refuses a duty with no period, date or event."""

    fixed_dates = forms.CharField(
        label=_("Fixed due dates"),
        required=False,
        help_text=_("Day/month, comma separated, e.g. 20/06, 15/12 (form 05)."),
    )
    lead_times = forms.CharField(
        label=_("Reminder lead times (days)"),
        initial="30, 7, 1",
        help_text=_("Days before the due date, comma separated."),
    )
    applies_to_kinds = forms.MultipleChoiceField(
        label=_("Organization types"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_kinds = forms.MultipleChoiceField(
        label=_("Evidence that fulfils it"), choices=EvidenceKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ObligationDefinition
        fields = DEFINITION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True  # occurrences and other apps refer to it
            self.initial["fixed_dates"] = day_months(self.instance.fixed_dates)
            self.initial["lead_times"] = ", ".join(map(str, self.instance.lead_times or []))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,59}", code):
            raise forms.ValidationError(_("Use capital letters, digits and underscores, e.g. ANNUAL_AUDIT."))
        return code

    def clean_fixed_dates(self) -> list[str]:
        """Typed as dd/mm like every date on the platform; stored month-first ("06-20"), which sorts.
        The stored form is still accepted, so an old bookmark or a script keeps working."""
        return sorted({_month_day(part) for part in _split(self.cleaned_data["fixed_dates"])})

    def clean_lead_times(self) -> list[int]:
        parts = _split(self.cleaned_data["lead_times"])
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Lead times are whole numbers of days, e.g. 30, 7, 1."))
        return sorted({int(p) for p in parts}, reverse=True)
