"""Input validation for the registry UI (shape only; rules live in services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.systems import access
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.services import possible_owners
from ungcuu.systems.validators import normalize_domains, normalize_ips

SOFTWARE_HELP = _("One product per line: vendor; product; version. Example: Microsoft; IIS; 10.0")


def parse_software(text: str) -> list[dict]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) > 3 or not parts[min(1, len(parts) - 1)]:
            raise ValidationError(_("Line %(n)s: write “vendor; product; version”."), params={"n": number})
        vendor, product, version = (["", *parts, ""] if len(parts) == 1 else [*parts, ""])[:3]
        rows.append({"vendor": vendor[:100], "product": product[:150], "version": version[:60]})
    return rows


def software_as_text(system: InformationSystem) -> str:
    return "\n".join(f"{s.vendor}; {s.product}; {s.version}" for s in system.software.all())


class InformationSystemForm(forms.ModelForm):
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=InformationSystem.Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    controls = forms.MultipleChoiceField(
        label=_("Security controls"),
        choices=InformationSystem.Control.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public_ips = forms.CharField(
        label=_("Public IP addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. 203.0.113.10 or 203.0.113.0/28"),
    )
    domains = forms.CharField(
        label=_("Domain names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. congthongtin.example.gov.vn"),
    )
    software_text = forms.CharField(
        label=_("Software and versions"),
        required=False,
        help_text=SOFTWARE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = InformationSystem
        fields = [
            "name",
            "owner",
            "operator",
            "purpose",
            "system_type",
            "security_level",
            "is_critical_national",
            "hosting",
            "security_provider",
            "connectivity_provider",
            "os_name",
            "os_version",
            "services",
            "controls",
            "public_ips",
            "domains",
            "contacts",
            "last_vuln_scan_on",
            "last_drill_on",
            "last_plan_update_on",
            "outside_qd05",
            "is_active",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "last_vuln_scan_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_drill_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_plan_update_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contacts": forms.CheckboxSelectMultiple,
        }

    field_order = [
        "name",
        "owner",
        "operator",
        "purpose",
        "system_type",
        "security_level",
        "is_critical_national",
        "hosting",
        "os_name",
        "os_version",
        "software_text",
        "services",
        "controls",
        "public_ips",
        "domains",
        "security_provider",
        "connectivity_provider",
        "contacts",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        visible = Organization.objects.visible_to(user).filter(is_active=True)
        manageable = [o.pk for o in visible if access.can_register_system(user, o)]
        # When editing, the system's current owner and operator stay valid choices: either side's manager
        # may edit the profile without having to manage the other side.
        current = [pk for pk in (self.instance.owner_id, self.instance.operator_id) if pk]
        self.fields["operator"].queryset = Organization.objects.filter(
            Q(pk__in=manageable) | Q(pk__in=current)
        )
        self.fields["owner"].queryset = possible_owners(user, self.instance if self.instance.pk else None)
        self.fields["contacts"].queryset = FocalPoint.objects.filter(
            is_active=True, organization__in=visible
        ).select_related("organization")
        self.fields["contacts"].required = False
        if self.instance.pk:
            # The last drill is recorded by held drills and the obligation's evidence, not typed over
            # (one source of truth: obligations/drills.py); it is declared only when registering.
            self.fields["last_drill_on"].disabled = True
            self.fields["last_drill_on"].help_text = _(
                "Recorded from held live-fire drills and the drill obligation's evidence."
            )
            self.initial["public_ips"] = "\n".join(self.instance.public_ips)
            self.initial["domains"] = "\n".join(self.instance.domains)
            self.initial["software_text"] = software_as_text(self.instance)

    def clean_public_ips(self):
        return normalize_ips(self.cleaned_data["public_ips"])

    def clean_domains(self):
        return normalize_domains(self.cleaned_data["domains"])

    def clean_software_text(self):
        return parse_software(self.cleaned_data["software_text"])


class AppraiseForm(forms.Form):
    note = forms.CharField(label=_("Appraisal opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=100, help_text=_("e.g. 123/QĐ-UBND")
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for returning the dossier"), widget=forms.Textarea(attrs={"rows": 2})
    )
