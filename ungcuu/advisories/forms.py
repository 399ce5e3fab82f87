"""Input validation for the advisory pages (shape only; the rules live in the services)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.advisories.models import Advisory, SystemState
from ungcuu.advisories.services import clean_products
from ungcuu.advisories.validators import IndicatorKind, normalize_cve_ids, normalize_indicator
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

PRODUCTS_HELP = gettext_lazy(
    "One product per line: vendor; product; affected versions. Versions: an exact version (9.0.65), "
    "a range (<9.0.80 or >=6.0,<6.2.3), ranges joined by || ; empty means every version. "
    "Example: Apache; Tomcat; >=9.0.0,<9.0.81"
)


def parse_product_lines(text: str) -> list[dict]:
    """ "vendor; product; versions" lines → dicts (the registry's software field uses the same order)."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";", 2)]
        if len(parts) == 1:
            parts = ["", parts[0], ""]
        vendor, product, versions = [*parts, ""][:3]
        if not product:
            raise ValidationError(_("Line %(n)s: write “vendor; product; versions”.") % {"n": number})
        rows.append({"vendor": vendor, "product": product, "versions": versions})
    return rows


def products_as_text(advisory: Advisory) -> str:
    return "\n".join(f"{p.vendor}; {p.product}; {p.versions}" for p in advisory.products.all())


class AdvisoryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        help_text=gettext_lazy("What the vulnerability or campaign is and what it lets an attacker do."),
    )
    cve_ids = forms.CharField(
        label=gettext_lazy("CVE ids"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("e.g. CVE-2023-46589; separated by spaces, commas or new lines."),
    )
    products = forms.CharField(
        label=gettext_lazy("Affected products and versions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PRODUCTS_HELP,
    )
    recommended_actions = forms.CharField(
        label=gettext_lazy("Recommended actions"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    deadline = forms.DateTimeField(
        label=gettext_lazy("Remediation deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    tlp = forms.ChoiceField(
        label="TLP",
        choices=Advisory.Tlp.choices,
        initial=Advisory.Tlp.AMBER,
        help_text=gettext_lazy("CLEAR and GREEN are readable by every member of the network."),
    )
    dispatch_number = forms.CharField(
        label=gettext_lazy("Dispatch number/symbol"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("e.g. 123/SKHCN-CNTT; leave empty to fill in by hand."),
    )
    indicators = forms.CharField(
        label=gettext_lazy("Indicators of compromise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("IP addresses, domains, URLs, hashes or e-mail addresses, one per line."),
    )

    def __init__(self, *args, advisory: Advisory | None = None, **kwargs):
        if advisory is not None:
            kwargs.setdefault("initial", _initial(advisory))
        super().__init__(*args, **kwargs)
        if advisory is not None:
            # Indicators of an existing advisory are added and removed one by one on its page.
            del self.fields["indicators"]

    def clean_cve_ids(self):
        return normalize_cve_ids(self.cleaned_data["cve_ids"])

    def clean_products(self):
        rows = parse_product_lines(self.cleaned_data["products"])
        if not rows:
            raise ValidationError(_("Name at least one affected product."))
        try:
            clean_products(rows)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("products", exc.messages)) from exc
        return rows

    def clean_indicators(self):
        lines = [line.strip() for line in self.cleaned_data["indicators"].splitlines() if line.strip()]
        errors = []
        for number, line in enumerate(lines, start=1):
            try:
                normalize_indicator(None, line)
            except ValidationError as exc:
                errors.append(_("Line %(n)s: %(error)s") % {"n": number, "error": " ".join(exc.messages)})
        if errors:
            raise ValidationError(errors)
        return lines


def _initial(advisory: Advisory) -> dict:
    return {
        "title": advisory.title,
        "summary": advisory.summary,
        "cve_ids": " ".join(advisory.cve_ids),
        "products": products_as_text(advisory),
        "recommended_actions": advisory.recommended_actions,
        "deadline": advisory.deadline,
        "tlp": advisory.tlp,
        "dispatch_number": advisory.dispatch_number,
    }


class TargetsForm(forms.Form):
    """The coordinator's edit of the proposal: ticked systems, plus organizations added by hand."""

    systems = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Affected systems"),
        queryset=InformationSystem.objects.filter(is_active=True).select_related("operator"),
        required=False,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organizations added by hand"),
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        help_text=gettext_lazy(
            "Organizations to warn although no registered system matched; each reports for its own "
            "installations."
        ),
    )


class StateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("State"), choices=SystemState.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=5000,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. updated to 9.0.81 on 12/03")}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorForm(forms.Form):
    value = forms.CharField(
        label=gettext_lazy("Indicator"),
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "198.51.100.7, evil.example, https://…, sha256…"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Detect")), *IndicatorKind.choices],
    )
