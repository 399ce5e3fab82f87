"""The incident page's handling actions through the API (issue 16 part 5): each one checks the same
access predicate as its page action before reading the body, then calls the same service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers

from ungcuu.api.fields import ScopedRelatedField
from ungcuu.core import taxonomy
from ungcuu.incidents import services
from ungcuu.incidents.forms import ENTRY_KINDS
from ungcuu.incidents.models import Incident, Task, TimelineEvent
from ungcuu.systems.models import InformationSystem


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ClassifySerializer(serializers.Serializer):
    """The classify form's fields; the severity is computed by the service unless overridden with a reason."""

    category = serializers.CharField(max_length=100)
    system = ScopedRelatedField(InformationSystem, required=False, allow_null=True, default=None)
    harms = serializers.ListField(
        child=serializers.ChoiceField(Incident.Harm.choices), required=False, default=list, max_length=20
    )
    exceeds_capacity = serializers.BooleanField(required=False, default=False)
    crime_signs = serializers.BooleanField(required=False, default=False)
    secret_target = serializers.BooleanField(required=False, default=False)
    tlp = serializers.ChoiceField(Incident.Tlp.choices, required=False, allow_blank=True, default="")
    override_severity = serializers.ChoiceField(
        Incident.Severity.choices, required=False, allow_blank=True, default=""
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_category(self, value):
        if value not in taxonomy.incident_categories():
            raise serializers.ValidationError(_("Unknown incident category."))
        return value


class EntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField([(k.value, k.label) for k in ENTRY_KINDS])
    message = serializers.CharField(max_length=20000)


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = TimelineEvent
        fields = ["id", "kind", "message", "actor", "at"]
        read_only_fields = fields


class TaskInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    owner = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**31 - 1
    )
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "incident", "title", "owner", "due_at", "done_at", "cancel_reason", "is_overdue"]
        read_only_fields = fields

    is_overdue = serializers.BooleanField(read_only=True)


class CancelTaskSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.CharField(max_length=40, help_text="Reference of the duplicate incident.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SupportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ClosingReportSerializer(serializers.Serializer):
    reporter_name = serializers.CharField(max_length=200)
    what_happened = serializers.CharField(max_length=20000)
    how_solved = serializers.CharField(max_length=20000)
    proposals = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


def task_input(incident: Incident, data: dict) -> dict:
    """The owner looked up among the incident's possible owners (the service's rule): someone else is
    refused with the service's message, whether or not such a user exists."""
    owner_id = data.pop("owner", None)
    if owner_id is not None:
        owner = services.task_owners(incident).filter(pk=owner_id).first()
        if owner is None:
            raise ValidationError(
                {"owner": _("The owner must belong to the incident's units or coordinate.")}
            )
        data["owner"] = owner
    return data


def task_of(incident: Incident, pk: int) -> Task:
    """A task of this incident (404 otherwise, as on the page)."""
    task = Task.objects.filter(incident=incident, pk=pk).select_related("incident").first()
    if task is None:
        raise Http404
    return task


def duplicate_of(user, reference: str) -> Incident:
    duplicate = Incident.objects.visible_to(user).filter(reference=reference.strip()).first()
    if duplicate is None:
        raise ValidationError({"duplicate": [_("No incident visible to you has this reference.")]})
    return duplicate
