"""Input validation for the reports pages: the period and scope pickers, the periodic report forms, damage."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ungcuu.core.periods import Period
from ungcuu.organizations.models import Organization
from ungcuu.reports.access import default_organization, reportable_organizations, sees_province
from ungcuu.reports.models import IncidentDamage, PeriodicReport, ReportKind, Span

FIRST_YEAR = 2017  # TT20 came into force on 01/11/2017

# Quarters and runs of months make no sense for a profile; the bulletin is quarterly by nature.
HALVES_AND_YEARS = ["Y", "H1", "H2", "M"]
FORM05_SPANS = ["R6", "RY"]
SPANS = [
    ("Y", _("Whole year")),
    ("H1", _("First half (January-June)")),
    ("H2", _("Second half (July-December)")),
    ("Q1", _("Quarter I")),
    ("Q2", _("Quarter II")),
    ("Q3", _("Quarter III")),
    ("Q4", _("Quarter IV")),
    ("M", _("Months…")),
    # Form 05's periods with their cut-offs (TT20 Art. 6; core.periods.Period.reporting).
    ("R6", _("6 months (15 December - 14 June), due 20 June")),
    ("RY", _("Year (15 December - 14 December), due 15 December")),
]
MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


def year_choices() -> list[tuple[int, str]]:
    # Next year too: after 15 December the half-year report being prepared ends in the next year.
    return [(y, str(y)) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """Year and span (or a run of months); `period()` turns a valid form into a Period."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    span = forms.ChoiceField(label=_("Period"), choices=SPANS, initial="H1")
    from_month = forms.TypedChoiceField(label=_("From month"), coerce=int, choices=MONTHS, required=False)
    to_month = forms.TypedChoiceField(label=_("To month"), coerce=int, choices=MONTHS, required=False)

    def __init__(self, data=None, *, default: Period, spans: list[str] | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.default = default
        self.fields["year"].initial = default.end.year if default.is_reporting else default.start.year
        self.fields["span"].initial = default.span
        if spans is not None:
            self.fields["span"].choices = [c for c in SPANS if c[0] in spans]
            if "M" not in spans:
                del self.fields["from_month"], self.fields["to_month"]

    def clean(self):
        data = super().clean()
        if data.get("span") == "M":
            first, last = data.get("from_month"), data.get("to_month")
            if not first or not last or first > last:
                raise forms.ValidationError(_("Choose a first month that is not after the last month."))
        return data

    def period(self) -> Period:
        if not self.is_bound or not self.is_valid():
            return self.default
        year, span = self.cleaned_data["year"], self.cleaned_data["span"]
        if span == "M":
            return Period.months(year, self.cleaned_data["from_month"], self.cleaned_data["to_month"])
        return Period.parse(str(year) if span == "Y" else f"{year}-{span}")


class ScopeForm(PeriodForm):
    """A period and an organization among those the user sees; empty means the province (if allowed)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        field = self.fields["organization"]
        field.queryset = reportable_organizations(user).order_by("name")
        if sees_province(user):
            field.empty_label = _("Whole province")
        else:
            # A unit always reports on one of its organizations: none given means its own.
            field.empty_label = None
            field.initial = default_organization(user)

    def chosen_organization(self) -> Organization | None:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("organization"):
            return self.cleaned_data["organization"]
        return self.fields["organization"].initial


class StartReportForm(forms.Form):
    """Which report to draft: organization, kind and period."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices, initial=ReportKind.PROGRESS)
    span = forms.ChoiceField(label=_("Period"), choices=Span.choices, initial=Span.HALF_YEAR)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    half = forms.TypedChoiceField(
        label=_("Half of the year"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(1, _("First half (January-June)")), (2, _("Second half (July-December)"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Every organization the user sees: one they see but may not report for is a 403, not a bad input.
        self.fields["organization"].queryset = reportable_organizations(user).order_by("name")
        self.fields["organization"].initial = default_organization(user)
        last = Period.last_complete_half()
        self.fields["year"].initial, self.fields["half"].initial = last.start.year, int(last.span[1])


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = PeriodicReport
        fields = ["narrative", "difficulties", "proposals", "document_number", "signer_title", "signer_name"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "narrative": _("The unit's assessment of the period: what was done, what worked."),
            "proposals": _("They also go into the province's consolidated report and form 05."),
            "document_number": _(
                "e.g. 125/BC-SYT; left empty, the next number of the unit's register is given when it is "
                "sent."
            ),
            "signer_name": _("Family name first; left empty, the manager who sends it signs."),
            "signer_title": _("e.g. GIÁM ĐỐC or KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."),
        }


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the unit"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What must be revised"), widget=forms.Textarea(attrs={"rows": 3}))


class DamageForm(forms.ModelForm):
    amount_vnd = forms.IntegerField(
        label=_("Estimated damage (VND)"),
        min_value=0,
        max_value=10**15,
        required=False,
        help_text=_("Leave empty if it cannot be estimated."),
    )

    class Meta:
        model = IncidentDamage
        fields = ["amount_vnd", "foreign_help", "foreign_helpers", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean_amount_vnd(self) -> int:
        return self.cleaned_data.get("amount_vnd") or 0
