"""Input validation for the incident pages: form 03, the public notification, and the handling forms."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ungcuu.accounts.models import User
from ungcuu.core.validators import validate_phone
from ungcuu.incidents import form03
from ungcuu.incidents.bulk import Action as BulkAction
from ungcuu.incidents.closing import Decision
from ungcuu.incidents.models import Incident, Status, TimelineEvent, category_choices
from ungcuu.incidents.services import task_owners, task_teams
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.validators import normalize_domains, normalize_ips

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def not_in_future(value: datetime.datetime) -> datetime.datetime:
    if value and value > timezone.now() + datetime.timedelta(minutes=5):
        raise forms.ValidationError(_("The detection time cannot be in the future."))
    return value


class Form03(forms.Form):
    """TT20 form 03, initial incident report (fields marked * in DOMAIN.md §f are required)."""

    # One vocabulary for every intake door (incidents.form03).
    DETECTION = form03.DETECTION
    NOTIFIED = form03.NOTIFIED
    HANDLED = form03.HANDLED

    # Reporter and contact
    reporter_name = forms.CharField(label=_("Reporter (organization or person)"), max_length=200)
    reporter_address = forms.CharField(label=_("Reporter address"), max_length=300)
    reporter_phone = forms.CharField(label=_("Reporter phone"), max_length=50, validators=[validate_phone])
    reporter_email = forms.EmailField(label=_("Reporter e-mail"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_title = forms.CharField(label=_("Contact's title"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, validators=[validate_phone])
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    # Affected system
    organization = forms.ModelChoiceField(
        label=_("Operating organization"), queryset=Organization.objects.none()
    )
    system = forms.ModelChoiceField(
        label=_("Affected system"),
        queryset=InformationSystem.objects.none(),
        required=False,
        help_text=_("Leave empty if it is not in the registry."),
    )
    system_text = forms.CharField(
        label=_("System name, domain or IP (if not registered)"), max_length=300, required=False
    )
    # The incident
    title = forms.CharField(label=_("Short title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Did the attack succeed, risk of disruption, how sensitive the data is, who is affected."
        ),
    )
    # The structured description (DOMAIN.md §f); "not known yet" is offered first-hand and preselected, so
    # a reporter who does not know says so instead of being stopped.
    attack_succeeded = forms.ChoiceField(
        label=_("Did the attack succeed?"),
        choices=form03.SUCCEEDED,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    disruption_risk = forms.ChoiceField(
        label=_("Risk of disruption"), choices=form03.RISK, initial="unknown", widget=forms.RadioSelect
    )
    data_sensitivity = forms.ChoiceField(
        label=_("How sensitive the data is"),
        choices=form03.SENSITIVITY,
        initial="unknown",
        widget=forms.RadioSelect,
    )
    affected = forms.CharField(
        label=_("Who is affected"),
        max_length=500,
        required=False,
        help_text=_("E.g. citizens looking up their files, two departments, the whole province's mail."),
    )
    detected_at = forms.DateTimeField(label=_("Detected at"), widget=DATETIME, validators=[not_in_future])
    category = forms.ChoiceField(label=_("Type of incident (if known)"), required=False)
    handled = forms.ChoiceField(label=_("Status"), choices=HANDLED, widget=forms.RadioSelect)
    detection_methods = forms.MultipleChoiceField(
        label=_("How it was detected"), choices=DETECTION, widget=forms.CheckboxSelectMultiple
    )
    notified_by = forms.CharField(label=_("Notified by"), max_length=200, required=False)
    already_notified = forms.MultipleChoiceField(
        label=_("Already notified"), choices=NOTIFIED, widget=forms.CheckboxSelectMultiple
    )
    harms = forms.MultipleChoiceField(
        label=_("Harms observed"),
        choices=Incident.Harm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exceeds_capacity = forms.BooleanField(
        label=_("It may exceed our capacity (emergency reporting)"), required=False
    )
    crime_signs = forms.BooleanField(label=_("There are signs of a crime"), required=False)
    # Technical profile (optional)
    os = forms.CharField(label=_("Operating system and version"), max_length=200, required=False)
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
    public_ips = forms.CharField(label=_("Public IP addresses"), required=False)
    domains = forms.CharField(label=_("Domain names"), required=False)
    support_requests = forms.CharField(
        label=_("Support requested"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidential = forms.BooleanField(label=_("Keep this report confidential"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.visible_to(user).filter(is_active=True)
        if not access.is_coordinator(user):
            orgs = orgs.filter(memberships__user=user).distinct()
        self.fields["organization"].queryset = orgs
        if len(orgs) == 1:  # a unit's officer reports for their own unit without choosing
            self.fields["organization"].initial = orgs[0].pk
        self.fields["system"].queryset = InformationSystem.objects.visible_to(user).filter(is_active=True)
        self.fields["category"].choices = [("", _("Not known yet")), *category_choices()]

    def clean_public_ips(self):
        return normalize_ips(self.cleaned_data["public_ips"])

    def clean_domains(self):
        return normalize_domains(self.cleaned_data["domains"])

    def clean(self):
        data = super().clean()
        system, org = data.get("system"), data.get("organization")
        if system and org and org.pk not in (system.operator_id, system.owner_id):
            self.add_error("system", _("This system is not operated or owned by the chosen organization."))
        return data


class PublicReportForm(forms.Form):
    """Third-party notification (thông báo sự cố) for people without an account."""

    reporter_name = forms.CharField(label=_("Your name or organization"), max_length=200)
    reporter_email = forms.EmailField(label=_("Your e-mail"), required=False)
    reporter_phone = forms.CharField(
        label=_("Your phone"), max_length=50, required=False, validators=[validate_phone]
    )
    reporter_address = forms.CharField(label=_("Your address"), max_length=300, required=False)
    system_text = forms.CharField(label=_("Affected website, system, domain or IP"), max_length=300)
    operator_text = forms.CharField(
        label=_("Organization running it (if known)"), max_length=300, required=False
    )
    description = forms.CharField(label=_("What did you see?"), widget=forms.Textarea(attrs={"rows": 5}))
    detected_at = forms.DateTimeField(
        label=_("When did you notice it?"), widget=DATETIME, validators=[not_in_future]
    )
    suggested_handling = forms.CharField(
        label=_("Suggested handling"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.IntegerField(label=_("Anti-spam question"))
    challenge = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        label=_("Leave this empty"),
    )

    def clean(self):
        data = super().clean()
        mistyped = "reporter_email" in self.errors or "reporter_phone" in self.errors  # said next to it
        if not mistyped and not data.get("reporter_email") and not data.get("reporter_phone"):
            raise forms.ValidationError(_("Give an e-mail or a phone number so we can reach you."))
        return data


class ClassifyForm(forms.Form):
    category = forms.ChoiceField(label=_("Type of incident"))
    system = forms.ModelChoiceField(
        label=_("Affected system"), queryset=InformationSystem.objects.all(), required=False
    )
    harms = forms.MultipleChoiceField(
        label=_("Harms"), choices=Incident.Harm.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    exceeds_capacity = forms.BooleanField(label=_("Exceeds the operator's capacity"), required=False)
    crime_signs = forms.BooleanField(label=_("There are signs of a crime"), required=False)
    secret_target = forms.BooleanField(label=_("The target holds state secrets"), required=False)
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=Incident.Tlp.choices, required=False)
    override_severity = forms.ChoiceField(
        label=_("Override the computed severity"),
        required=False,
        choices=[("", _("No, use the computed severity")), *Incident.Severity.choices],
    )
    override_reason = forms.CharField(
        label=_("Reason for the override"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


ENTRY_KINDS = [
    TimelineEvent.Kind.PROGRESS,
    TimelineEvent.Kind.PLAN,
    TimelineEvent.Kind.DIRECTION_REQUEST,
    TimelineEvent.Kind.DIRECTION,  # the specialised unit's answer (the service refuses anyone else)
    TimelineEvent.Kind.NOTE,
]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in ENTRY_KINDS])
    message = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("task", "Person in charge"), queryset=User.objects.none(), required=False
    )
    owner_team = forms.ModelChoiceField(
        label=pgettext_lazy("task", "or the team in charge"),
        queryset=Organization.objects.none(),
        required=False,
    )
    due_at = forms.DateTimeField(label=_("Due"), widget=DATETIME, required=False)

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_owners(incident)  # the rule lives in the service
        self.fields["owner_team"].queryset = task_teams(incident)
        if not self.fields["owner_team"].queryset.exists():
            del self.fields["owner_team"]  # no team to offer (none registered, or a confidential incident)


CLOSE_DECISIONS = Decision.choices


class BulkForm(forms.Form):
    """The list's bulk actions: which incidents (ids, read through the gate by the view), what to do."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], label=_("Incidents"))
    action = forms.ChoiceField(label=_("Action"), choices=BulkAction.choices)
    handler = forms.ModelChoiceField(
        label=_("Handler"),
        queryset=User.objects.filter(is_active=True, platform_role=User.PlatformRole.COORDINATOR),
        required=False,
        empty_label=_("Myself"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer id is accepted here; the view reads them through visible_to (hidden = skipped).
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else self.data.get("ids", [])
        self.fields["ids"].choices = [(v, v) for v in values if str(v).isdigit() and len(str(v)) < 12]


class CancelTaskForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000)


class CloseForm(forms.Form):
    """The closing check: what happens to the open work, and why (written on the timeline)."""

    decision = forms.ChoiceField(
        label=_("What happens to the open work"),
        choices=CLOSE_DECISIONS,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ClosingReportForm(forms.Form):
    reporter_name = forms.CharField(label=_("Reporter"), max_length=200)
    what_happened = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    how_solved = forms.CharField(label=_("How it was solved"), widget=forms.Textarea(attrs={"rows": 3}))
    proposals = forms.CharField(
        label=_("Proposals to avoid recurrence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupportRequestForm(forms.Form):
    """The province cannot cope: what the specialised unit asks the national coordinator (S4 Art. 7.1d)."""

    reason = forms.CharField(
        label=_("Why the province cannot cope, and the support needed"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    duplicate = forms.CharField(label=_("Reference of the duplicate incident"), max_length=40)
    note = forms.CharField(label=_("Note"), required=False)
