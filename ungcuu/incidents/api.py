"""Door (c): `POST /api/v1/incidents/` with a token, plus reading and moving incidents under the same gate."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope, User
from ungcuu.api.base import object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import route_id
from ungcuu.api.pagination import CappedPageNumberPagination
from ungcuu.core import taxonomy
from ungcuu.core.validators import validate_phone
from ungcuu.incidents import api_actions as io
from ungcuu.incidents import bulk, closing, form03, services
from ungcuu.incidents.access import can_add_entry, can_complete_task, can_handle, is_coordinator_of
from ungcuu.incidents.filters import IncidentFilterSet
from ungcuu.incidents.models import Incident, IncidentReport, Status
from ungcuu.organizations import access
from ungcuu.organizations.access import is_coordinator
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.validators import normalize_domains, normalize_ips


class FieldsBuiltOnce:
    """A read-only ModelSerializer's fields built once per class and copied (shallow) for each instance.

    ModelSerializer inspects the model and builds every field again for each instance: about half of
    rendering intake's 201 answer (issue 18). The fields of a read-only serializer do not depend on the
    request; each instance gets its own copies to bind (name, parent), sharing only what rendering reads.
    """

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built_once = built  # type: ignore[attr-defined]
        return {name: copy.copy(field) for name, field in built.items()}


class IncidentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "category",
            "severity",
            "severity_reasons",
            "severity_override_reason",
            "harms",
            "exceeds_capacity",
            "crime_signs",
            "secret_target",
            "system",
            "operator",
            "owner",
            "detected_at",
            "reported_at",
            "acknowledged_at",
            "classified_at",
            "closed_at",
            "confidential",
            "tlp",
            "merged_into",
            "is_reported_late",
        ]
        read_only_fields = fields

    # DOMAIN.md §d, QĐ05 Art. 11.1a: the 5-day rule, answered by the queryset's annotation.
    is_reported_late = serializers.BooleanField(read_only=True, default=False)


class Form03Choice(serializers.ChoiceField):
    """A choice whose refusal lists the accepted values (an API client's next try needs them)."""

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        if str(data) not in self.choices:
            raise serializers.ValidationError(form03.expected(data, list(self.choices.items())))
        return str(data)


def _choices(choices) -> serializers.ListField:
    return serializers.ListField(child=Form03Choice(choices), required=False, default=list)


def _text(key: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, max_length=form03.TEXTS[key], **kwargs)


class Form03Serializer(serializers.Serializer):
    """Form 03's items other than the incident's own fields (TT20 Appendix I; DOMAIN.md §f), the same keys
    the web form and e-mail intake fill. Every item is optional here; one not sent is printed on form 03 as
    not provided. A key not listed is refused (400), so a misspelt item is not silently lost."""

    reporter_address = _text("reporter_address")
    contact_name = _text("contact_name")
    contact_title = _text("contact_title")
    contact_phone = _text("contact_phone", validators=[validate_phone])
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    system_text = _text("system_text", help_text="System name, domain or IP when it is not registered.")
    handled = Form03Choice(form03.HANDLED, required=False, allow_blank=True, help_text="Status.")
    detection_methods = _choices(form03.DETECTION)
    notified_by = _text("notified_by", help_text="Who notified, when `detection_methods` has `notified`.")
    already_notified = _choices(form03.NOTIFIED)
    attack_succeeded = Form03Choice(form03.SUCCEEDED, required=False, allow_blank=True)
    disruption_risk = Form03Choice(form03.RISK, required=False, allow_blank=True)
    data_sensitivity = Form03Choice(form03.SENSITIVITY, required=False, allow_blank=True)
    affected = _text("affected", help_text="Who is affected (people, units, services).")
    os = _text("os", help_text="Operating system and version.")
    services = _choices(InformationSystem.Service.choices)
    controls = _choices(InformationSystem.Control.choices)
    public_ips = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    domains = serializers.ListField(child=serializers.CharField(max_length=253), required=False)
    support_requests = _text("support_requests")

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(self.fields))):
            raise serializers.ValidationError(
                {
                    key: [_("Unknown form 03 item; accepted: %(keys)s.") % {"keys": ", ".join(self.fields)}]
                    for key in unknown
                }
            )
        return super().to_internal_value(data)

    def validate_public_ips(self, value):
        return normalize_ips(value)

    def validate_domains(self, value):
        return normalize_domains(value)

    def validate(self, attrs):
        # Only what was sent is kept: an item left out stays "not provided", never a made-up default.
        return {k: v for k, v in attrs.items() if v not in ("", [], None)}


class ReportSerializer(serializers.Serializer):
    """The fields of form 03 an API client sends; the reporter defaults to the token's user."""

    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    detected_at = serializers.DateTimeField()
    organization = ScopedRelatedField(Organization)
    system = ScopedRelatedField(
        InformationSystem,
        # with its owner and operator, which intake writes on the incident (one query, not three)
        scope=lambda user: InformationSystem.objects.visible_to(user).select_related("owner", "operator"),
        required=False,
        allow_null=True,
    )
    category = serializers.CharField(required=False, allow_blank=True, default="")
    harms = serializers.ListField(
        child=serializers.ChoiceField(Incident.Harm.choices), required=False, default=list
    )
    exceeds_capacity = serializers.BooleanField(required=False, default=False)
    crime_signs = serializers.BooleanField(required=False, default=False)
    confidential = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_email = serializers.EmailField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="")
    form03 = Form03Serializer(required=False, default=dict)
    idempotency_key = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    def validate_category(self, value):
        if value and value not in taxonomy.incident_categories():
            raise serializers.ValidationError(_("Unknown incident category."))
        return value

    def to_input(self, user) -> services.ReportInput:
        data = dict(self.validated_data)
        return services.ReportInput(
            channel=IncidentReport.Channel.API,
            title=data["title"],
            description=data["description"],
            detected_at=data["detected_at"],
            reporter_name=data["reporter_name"] or str(user),
            reporter_email=data["reporter_email"] or user.email,
            reporter_phone=data["reporter_phone"],
            organization=data["organization"],
            system=data.get("system"),
            category=data["category"],
            harms=tuple(data["harms"]),
            exceeds_capacity=data["exceeds_capacity"],
            crime_signs=data["crime_signs"],
            confidential=data["confidential"],
            form_data=dict(data["form03"]),
            idempotency_key=data["idempotency_key"],
        )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    """The closing check (issue 15): what happens to open tasks; live requests close with the incident."""

    decision = serializers.ChoiceField(
        choices=closing.Decision.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BulkSerializer(serializers.Serializer):
    """The list's bulk actions (issue 15); hidden ids are skipped, each row answers for itself."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=bulk.MAX_ROWS,
    )
    action = serializers.ChoiceField(choices=bulk.Action.choices)
    handler = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    done = serializers.BooleanField()
    reason = serializers.CharField()


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents visible to the caller; creating one is reporting it (the same service as the web form)."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet  # the list page's filters (`?q=`, `?status=open`, `?overdue=on`, …)
    pagination_class = CappedPageNumberPagination  # a million incidents are not counted per request
    # Reporting and the reporter's own entries are `report`; the handling actions are `coordinate`.
    token_scopes = {
        "create": TokenScope.REPORT,
        "entries": TokenScope.REPORT,
        "closing_report": TokenScope.REPORT,
        "transition": TokenScope.COORDINATE,
        "bulk": TokenScope.COORDINATE,
        "close": TokenScope.COORDINATE,
        "acknowledge": TokenScope.COORDINATE,
        "classify": TokenScope.COORDINATE,
        "add_task": TokenScope.COORDINATE,
        "complete_task": TokenScope.COORDINATE,
        "cancel_task": TokenScope.COORDINATE,
        "merge": TokenScope.COORDINATE,
        "support": TokenScope.COORDINATE,
        "take": TokenScope.COORDINATE,
    }

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user).order_by("-reported_at", "-id")

    @extend_schema(request=ReportSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        body = ReportSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        report = services.submit_report(actor=request.user, data=body.to_input(request.user))
        return Response(IncidentSerializer(report.incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incident, data = object_and_body(self, can_handle, TransitionSerializer)
        incident = services.change_status(actor=request.user, incident=incident, **data)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer(many=True))
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def bulk(self, request):
        """Acknowledge or assign several incidents; one result per visible incident."""
        access.require(is_coordinator(request.user))  # before the body is read
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        handler = None
        if "handler" in data:
            handler = User.objects.filter(pk=data["handler"], is_active=True).first()
            if handler is None:
                raise ValidationError({"handler": [_("Unknown handler.")]})
        rows = list(Incident.objects.visible_to(request.user).filter(pk__in=data["ids"]).order_by("pk"))
        if not rows:
            raise ValidationError({"ids": [_("None of these incidents is visible to you.")]})
        outcomes = bulk.run_bulk(actor=request.user, incidents=rows, action=data["action"], handler=handler)
        results = [
            {"id": o.incident.pk, "reference": o.incident.reference, "done": o.done, "reason": o.reason}
            for o in outcomes
        ]
        return Response(BulkResultSerializer(results, many=True).data)

    @extend_schema(request=CloseSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with the closing check: 409 while open work has no decision, 400 without a reason."""
        incident, data = object_and_body(self, can_handle, CloseSerializer)
        incident = closing.close_incident(actor=request.user, incident=incident, **data)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=io.AcknowledgeSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The specialised unit acknowledges receipt (QĐ05 Art. 12.1c); it becomes a handler."""
        incident, data = object_and_body(self, is_coordinator_of, io.AcknowledgeSerializer)
        incident = services.acknowledge(actor=request.user, incident=incident, **data)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=io.ClassifySerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        """Set the category and harms; the severity is computed (an override needs a reason)."""
        incident, data = object_and_body(self, is_coordinator_of, io.ClassifySerializer)
        incident = services.classify(actor=request.user, incident=incident, **data)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(responses=io.TimelineEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        """The incident's history, oldest first (append-only)."""
        incident = self.get_object()
        events = incident.timeline.select_related("actor").order_by("at", "id")
        return Response(io.TimelineEventSerializer(events, many=True).data)

    @extend_schema(request=io.EntrySerializer, responses={201: io.TimelineEventSerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """A progress report, plan report, request for direction, direction or note (QĐ05 Art. 11.2)."""
        incident, data = object_and_body(self, can_add_entry, io.EntrySerializer)
        event = services.add_entry(actor=request.user, incident=incident, **data)
        return Response(io.TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=io.TaskSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def tasks(self, request, pk=None):
        """The incident's response tasks."""
        return Response(io.TaskSerializer(self.get_object().tasks.all(), many=True).data)

    @extend_schema(request=io.TaskInputSerializer, responses={201: io.TaskSerializer})
    @tasks.mapping.post
    def add_task(self, request, pk=None):
        """A response task with an owner (of the incident's units, or a coordinator) and a due date."""
        incident, data = object_and_body(self, can_handle, io.TaskInputSerializer)
        task = services.add_task(actor=request.user, incident=incident, **io.task_input(incident, data))
        return Response(io.TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=io.TaskSerializer)
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task>[^/]+)/done")
    def complete_task(self, request, pk=None, task=None):
        """Done by a handler or by the person the task is assigned to."""
        found = io.task_of(self.get_object(), route_id(task))
        access.require(can_complete_task(request.user, found))
        return Response(io.TaskSerializer(services.complete_task(actor=request.user, task=found)).data)

    @extend_schema(request=io.CancelTaskSerializer, responses=io.TaskSerializer)
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task>[^/]+)/cancel")
    def cancel_task(self, request, pk=None, task=None):
        """A task that will not be done, settled with the reason (409 if already settled)."""
        incident, data = object_and_body(self, can_handle, io.CancelTaskSerializer)
        found = io.task_of(incident, route_id(task))
        return Response(io.TaskSerializer(services.cancel_task(actor=request.user, task=found, **data)).data)

    @extend_schema(request=io.MergeSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Fold the duplicate (named by its reference) into this incident."""
        incident, data = object_and_body(self, is_coordinator_of, io.MergeSerializer)
        duplicate = io.duplicate_of(request.user, data["duplicate"])
        incident = services.merge_incidents(
            actor=request.user, target=incident, duplicate=duplicate, note=data["note"]
        )
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=io.SupportSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        """The province cannot cope: ask the national coordinator for support (S4 Art. 7.1d)."""
        incident, data = object_and_body(self, is_coordinator_of, io.SupportSerializer)
        incident = services.request_national_support(actor=request.user, incident=incident, **data)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, pk=None):
        """The calling coordinator becomes a handler of the incident."""
        incident, _data = object_and_body(self, is_coordinator_of)
        services.assign_handler(actor=request.user, incident=incident)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=io.ClosingReportSerializer, responses=io.ClosingReportSerializer)
    @action(detail=True, methods=["post"], url_path="closing-report")
    def closing_report(self, request, pk=None):
        """Form 04, the closing report (written again if sent again); closing requires it."""
        incident, data = object_and_body(self, can_handle, io.ClosingReportSerializer)
        report = services.submit_closing_report(actor=request.user, incident=incident, **data)
        return Response(io.ClosingReportSerializer(report).data)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [("incidents", IncidentViewSet, "incident")]
