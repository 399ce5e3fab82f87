"""Input validation for the preparedness UI (shape only; the rules live in the services)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.core import taxonomy
from ungcuu.core.text import fold
from ungcuu.incidents.models import category_choices
from ungcuu.organizations import access
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.preparedness.access import manageable_organizations, reachable_organizations
from ungcuu.preparedness.models import (
    Drill,
    DrillFinding,
    ResourceKind,
    Scenario,
)
from ungcuu.preparedness.models.scenarios import MAX_OFFSET_HOURS, stage_choices
from ungcuu.systems.models import InformationSystem


def _date(**kwargs) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _text(rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), required=False, **kwargs)


def _scope(form: forms.Form, name: str, queryset) -> None:
    """Offer only the rows this user may choose (a per-request queryset on a model choice field)."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _many(queryset, label, help_text="") -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


# --- resources: one per line, "kind; name; quantity; note" -------------------------------------------

# Words a person may type for a kind, folded (no diacritics); the codes and English labels work too.
RESOURCE_WORDS = {
    "thiet bi": ResourceKind.EQUIPMENT,
    "trang thiet bi": ResourceKind.EQUIPMENT,
    "ban quyen": ResourceKind.LICENCE,
    "giay phep": ResourceKind.LICENCE,
    "license": ResourceKind.LICENCE,
    "chuyen gia": ResourceKind.EXPERT,
    "nha cung cap": ResourceKind.PROVIDER,
    "doi tac": ResourceKind.PROVIDER,
    **{kind.value: kind for kind in ResourceKind},
    **{fold(str(kind.label)): kind for kind in ResourceKind},
}
RESOURCE_WRITTEN = {
    ResourceKind.EQUIPMENT: "thiết bị",
    ResourceKind.LICENCE: "bản quyền",
    ResourceKind.EXPERT: "chuyên gia",
    ResourceKind.PROVIDER: "nhà cung cấp",
}
RESOURCES_HELP = _(
    "One per line: kind; name; quantity; note. Kinds: thiết bị (equipment), bản quyền (licence), "
    "chuyên gia (expert), nhà cung cấp (contracted provider). "
    "Example: thiết bị; Tường lửa dự phòng; 1; tại phòng máy"
)


def parse_resources(text: str) -> list[dict]:
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")] + ["", "", ""]
        kind = RESOURCE_WORDS.get(fold(parts[0]))
        if kind is None or not parts[1]:
            raise ValidationError(_("Line %(n)s: write “kind; name; quantity; note”."), params={"n": number})
        quantity = parts[2].replace(".", "").replace(",", "")
        if quantity and not quantity.isdigit():
            raise ValidationError(_("Line %(n)s: the quantity is a whole number."), params={"n": number})
        rows.append(
            {
                "kind": kind.value,
                "name": parts[1][:200],
                "quantity": int(quantity) if quantity else None,
                "note": "; ".join(p for p in parts[3:] if p)[:300],
            }
        )
    return rows


def resources_as_text(resources: list[dict]) -> str:
    lines = []
    for row in resources:
        quantity = "" if row.get("quantity") is None else str(row["quantity"])
        fields = [RESOURCE_WRITTEN.get(row["kind"], row["kind"]), row["name"], quantity, row.get("note", "")]
        lines.append("; ".join(fields).rstrip("; "))
    return "\n".join(lines)


def parse_vnd(value: str) -> int:
    """ "150.000.000 đ" -> 150000000."""
    digits = "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".,")
    digits = digits.removesuffix("VND").removesuffix("vnd").removesuffix("đ").removesuffix("đồng")
    if not digits:
        return 0
    # ASCII only: str.isdigit() also accepts "¹" and "①", which int() then refuses (a 500 before).
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
        raise ValidationError(_("Write the amount in đồng, digits only, e.g. 150.000.000."))
    return int(digits)


# --- plans ------------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    drafted_on = _date(label=_("Drafted on"), required=False, help_text=_("Leave empty for today."))
    systems = _many(
        InformationSystem.objects.none(), _("Systems covered"), _("Hold Ctrl (or ⌘) to choose several.")
    )
    scenarios = _many(Scenario.objects.none(), _("Scenarios"))
    scope = _text(4, label=_("Scope"))
    severity_criteria = _text(4, label=_("Severity criteria"))
    roles = _text(4, label=_("Roles and responsibilities"))
    people = _many(FocalPoint.objects.none(), _("People"))
    resources = _text(4, label=_("Resources"), help_text=RESOURCES_HELP)
    budget_estimate = forms.CharField(label=_("Budget estimate (VND)"), required=False, max_length=30)
    external_contacts = _text(3, label=_("External contacts"))

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope(self, "organization", manageable_organizations(user))
        if plan is not None:
            del self.fields["organization"]  # a plan stays with its organization
        _scope(self, "systems", InformationSystem.objects.visible_to(user).filter(is_active=True))
        _scope(self, "scenarios", Scenario.objects.visible_to(user).active())
        people = FocalPoint.objects.visible_to(user).filter(is_active=True).select_related("organization")
        _scope(self, "people", people)

    @classmethod
    def initial_for(cls, plan) -> dict:
        fields = ("title", "drafted_on", "scope", "severity_criteria", "roles", "external_contacts")
        return {name: getattr(plan, name) for name in fields} | {
            "systems": list(plan.systems.all()),
            "scenarios": list(plan.scenarios.all()),
            "people": list(plan.people.all()),
            "resources": resources_as_text(plan.resources),
            "budget_estimate": f"{plan.budget_estimate:,}".replace(",", ".") if plan.budget_estimate else "",
        }

    def clean_resources(self):
        return parse_resources(self.cleaned_data["resources"])

    def clean_budget_estimate(self):
        return parse_vnd(self.cleaned_data["budget_estimate"])


class ApproveForm(forms.Form):
    approved_by_name = forms.CharField(label=_("Approved by"), max_length=200)
    approved_by_title = forms.CharField(
        label=_("Approver's title"), max_length=200, required=False, help_text=_("e.g. Giám đốc Sở Y tế")
    )
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=100, help_text=_("e.g. 123/QĐ-SYT")
    )
    approved_on = _date(label=_("Approved on"), required=False, help_text=_("Leave empty for today."))
    review_due_on = _date(
        label=_("Annual review due"),
        required=False,
        help_text=_("Leave empty for one year after the approval."),
    )
    note = _text(2, label=_("Note"))


class ReviewForm(forms.Form):
    reviewed_on = _date(label=_("Reviewed on"), required=False, help_text=_("Leave empty for today."))
    note = _text(2, label=_("What the review found"))


class ScenarioForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Provincial library (every unit)"),
    )
    category = forms.ChoiceField(label=_("Incident category"), choices=category_choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = _text(3, label=_("Description"))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, user, scenario=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = manageable_organizations(user)
        # Only the specialised unit writes the provincial library; a unit writes its own.
        field.required = not access.is_coordinator(user)
        if scenario is not None:
            del self.fields["organization"]


def _blank_first(choices):
    """A leading empty option, so an untouched extra row of a formset submits nothing and is skipped."""
    return lambda: [("", "---------"), *choices()]


class StepForm(forms.Form):
    order = forms.IntegerField(
        label=_("No."),
        min_value=1,
        max_value=999,
        required=False,
        widget=forms.NumberInput(attrs={"style": "width:5em"}),
    )
    stage = forms.ChoiceField(label=_("Workflow stage"), choices=_blank_first(stage_choices))
    owner_role = forms.ChoiceField(label=_("Done by"), choices=_blank_first(taxonomy.role_choices))
    due_offset_hours = forms.IntegerField(
        label=_("Due after (hours)"), min_value=0, max_value=MAX_OFFSET_HOURS, required=False
    )
    title = forms.CharField(label=_("Step"), max_length=250)
    detail = _text(2, label=_("Detail"))


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True)


def step_rows(formset) -> list[dict]:
    """The filled, not deleted rows of a valid step formset, as the service takes them."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if data and not data.get("DELETE"):
            rows.append(
                {k: v for k, v in data.items() if k != "DELETE"}
                | {"due_offset_hours": data.get("due_offset_hours") or 0}
            )
    return rows


class DrillForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organizer"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of drill"), choices=Drill.Kind.choices)
    scheduled_on = _date(label=_("Date"))
    participants = _many(Organization.objects.none(), _("Participating organizations"))
    systems = _many(
        InformationSystem.objects.none(),
        _("Systems drilled"),
        _("A live-fire drill names the systems it exercises."),
    )
    scenario = forms.ModelChoiceField(label=_("Scenario"), queryset=Scenario.objects.none(), required=False)
    objectives = _text(3, label=_("Objectives"))
    held = forms.BooleanField(label=_("Already held: record it now"), required=False)
    summary = _text(3, label=_("Summary of results"))

    def __init__(self, *args, user, drill=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope(self, "organization", manageable_organizations(user))
        _scope(self, "participants", reachable_organizations(user))
        _scope(self, "systems", InformationSystem.objects.visible_to(user).filter(is_active=True))
        _scope(self, "scenario", Scenario.objects.visible_to(user).active())
        if drill is not None:
            for name in ("organization", "held", "summary"):
                del self.fields[name]

    @classmethod
    def initial_for(cls, drill: Drill) -> dict:
        return {
            "title": drill.title,
            "kind": drill.kind,
            "scheduled_on": drill.scheduled_on,
            "scenario": drill.scenario,
            "objectives": drill.objectives,
            "participants": list(drill.participants.all()),
            "systems": list(drill.systems.all()),
        }


class RecordDrillForm(forms.Form):
    held_on = _date(label=_("Held on"), required=False, help_text=_("Leave empty for the planned date."))
    summary = _text(3, label=_("Summary of results"))


class CancelDrillForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Finding"), max_length=300)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=DrillFinding.Severity.choices, initial=DrillFinding.Severity.MEDIUM
    )
    description = _text(2, label=_("Description"))
    follow_up = _text(
        2, label=_("Follow-up action"), help_text=_("Optional: what must be done, by whom, by when.")
    )
    owner = forms.ModelChoiceField(
        label=_("Done by (organization)"), required=False, queryset=Organization.objects.none()
    )
    due_on = _date(label=_("Due date"), required=False)

    def __init__(self, *args, drill=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope(self, "owner", owner_choices(drill, user))

    def clean(self):
        data = super().clean() or {}
        if (data.get("follow_up") or "").strip():
            if not data.get("owner"):
                self.add_error("owner", _("Choose the organization that will do it."))
            if not data.get("due_on"):
                self.add_error("due_on", _("Give a due date."))
        return data

    def follow_ups(self) -> list[dict]:
        data = self.cleaned_data
        if not (data.get("follow_up") or "").strip():
            return []
        return [{"description": data["follow_up"], "owner": data["owner"], "due_on": data["due_on"]}]


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Done by (organization)"), queryset=Organization.objects.none())
    due_on = _date(label=_("Due date"))

    def __init__(self, *args, drill=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope(self, "owner", owner_choices(drill, user))


def owner_choices(drill, user):
    """Who may own a follow-up: those who took part in the drill and the organizations the user may name."""
    if drill is None or user is None:
        return Organization.objects.none()
    took_part = Q(pk=drill.organization_id) | Q(pk__in=drill.participants.values("pk"))
    named = Q(pk__in=reachable_organizations(user).values("pk"))
    return Organization.objects.filter(is_active=True).filter(took_part | named)


class CloseFollowUpForm(forms.Form):
    note = _text(2, label=_("What was done"))
    done_on = _date(label=_("Done on"), required=False, help_text=_("Leave empty for today."))


class CourseForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organizer"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    provider = forms.CharField(label=_("Trainer or provider"), max_length=300, required=False)
    topic = _text(3, label=_("Topics"))
    starts_on = _date(label=_("Starts on"))
    ends_on = _date(label=_("Ends on"))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000, required=False)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)

    def __init__(self, *args, user, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope(self, "organization", manageable_organizations(user))
        if course is not None:
            del self.fields["organization"]

    def clean(self):
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A course cannot end before it starts."))
        return data


class AttendeeForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— the organizer —"),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            _scope(self, "organization", Organization.objects.visible_to(user).filter(is_active=True))


# Eight empty rows on a new course (no JavaScript adds rows); an edit shows the list plus three.
AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=8, can_delete=True)
MoreAttendeesFormSet = forms.formset_factory(AttendeeForm, extra=3, can_delete=True)


def attendee_rows(formset) -> list[dict]:
    return [
        {
            "organization": f.cleaned_data.get("organization"),
            "full_name": f.cleaned_data["full_name"],
            "title": f.cleaned_data.get("title", ""),
        }
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
