"""API for advisories, their targets and system states, and indicators: the same gates and services as the UI.

Status codes of the actions: 404 hidden, 403 visible but not allowed, 400 bad body, 409 wrong state.
"""

from __future__ import annotations

from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.advisories import access, dispatch, indicators, services
from ungcuu.advisories.filters import (
    AdvisoryFilterSet,
    IndicatorFilterSet,
    SystemStateFilterSet,
    TargetFilterSet,
)
from ungcuu.advisories.models import (
    Advisory,
    AdvisorySystemState,
    AdvisoryTarget,
    Indicator,
    SystemState,
)
from ungcuu.advisories.targeting import propose_targets
from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import route_id
from ungcuu.incidents.models import Incident
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.systems.models import InformationSystem

# --- advisories -------------------------------------------------------------------------------------


class ProductSerializer(serializers.Serializer):
    vendor = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    product = serializers.CharField(max_length=150)
    versions = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BriefIndicatorSerializer(serializers.ModelSerializer):
    # Plain text here: the enum is described once, on IndicatorSerializer (one schema name for it).
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "kind", "value"]
        read_only_fields = fields


class AdvisorySerializer(serializers.ModelSerializer):
    cve_ids = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    products = ProductSerializer(many=True, required=False)
    indicators = BriefIndicatorSerializer(many=True, read_only=True)
    new_indicators = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        required=False,
        write_only=True,
        help_text="Indicators to attach on creation (one value each); later ones go through /indicators/.",
    )
    issued_by = serializers.StringRelatedField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Advisory
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "recommended_actions",
            "cve_ids",
            "products",
            "deadline",
            "tlp",
            "status",
            "dispatch_number",
            "issuer",
            "issued_by",
            "published_at",
            "closed_at",
            "is_overdue",
            "indicators",
            "new_indicators",
        ]
        read_only_fields = ["reference", "status", "issuer", "published_at", "closed_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["products"] = [
            {"vendor": p.vendor, "product": p.product, "versions": p.versions}
            for p in instance.products.all()
        ]
        return data


class CloseBodySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TargetsBodySerializer(serializers.Serializer):
    systems = ScopedRelatedField(
        InformationSystem,
        scope=lambda user: InformationSystem.objects.visible_to(user).filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )
    organizations = ScopedRelatedField(
        Organization,
        scope=lambda user: Organization.objects.visible_to(user).filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )


class ProposedOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ProposedSystemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    software = serializers.CharField()
    version_known = serializers.BooleanField()


class TargetProposalSerializer(serializers.Serializer):
    """One row of `proposal` (the answer is a list of them): described for the schema, built by hand."""

    organization = ProposedOrganizationSerializer()
    systems = ProposedSystemSerializer(many=True)


class AdvisoryViewSet(VisibleModelViewSet):
    """Advisories: the coordinator writes, targets, publishes and closes; units read those aimed at them.

    List filters: `?status=<status>`, `?q=<text>`.
    """

    base_queryset = Advisory.objects.select_related("issuer", "issued_by").prefetch_related(
        "products", "indicators"
    )
    serializer_class = AdvisorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = AdvisoryFilterSet
    token_scopes = {"remove_indicator": TokenScope.COORDINATE}

    def create(self, request, *args, **kwargs):
        require(access.can_write(request.user))  # before the body: a unit learns nothing from its errors
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["indicators"] = data.pop("new_indicators", [])
        serializer.instance = services.create_advisory(actor=self.request.user, **data)

    def partial_update(self, request, *args, **kwargs):
        object_and_body(self, _may_write)  # hidden is 404 before forbidden is 403
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("new_indicators", None)
        serializer.instance = services.update_advisory(
            actor=self.request.user, advisory=serializer.instance, **data
        )

    @extend_schema(request=None, responses=AdvisorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        advisory, _data = object_and_body(self, _may_write)
        advisory = services.publish_advisory(actor=request.user, advisory=advisory)
        return Response(self.get_serializer(advisory).data)

    @extend_schema(request=CloseBodySerializer, responses=AdvisorySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        advisory, data = object_and_body(self, _may_write, CloseBodySerializer)
        advisory = services.close_advisory(actor=request.user, advisory=advisory, **data)
        return Response(self.get_serializer(advisory).data)

    # pagination_class=None: these two answer whole lists, and the schema must not describe a page.
    @extend_schema(responses={200: TargetProposalSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def proposal(self, request, pk=None):
        """The organizations and systems the registry proposes (coordinators only: it maps exposure)."""
        advisory, _data = object_and_body(self, _may_write)
        return Response([_proposal_row(t) for t in propose_targets(advisory)])

    @extend_schema(responses={(200, dispatch.CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="dispatch", url_name="dispatch")
    def dispatch_letter(self, request, pk=None):
        """The official dispatch (.docx), as on the page: its recipient list names every unit running the
        product, so only the issuer (coordinators) and the national coordinator may download it (403)."""
        advisory, _data = object_and_body(self, lambda user, _advisory: access.can_read_dispatch(user))
        response = HttpResponse(dispatch.render_dispatch(advisory), content_type=dispatch.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{dispatch.filename(advisory)}"'
        return response

    @extend_schema(request=TargetsBodySerializer)
    @action(detail=True, methods=["post"], url_path="set-targets", pagination_class=None)
    def set_targets(self, request, pk=None):
        """Store the edited target list (drafts only): systems, plus organizations without one."""
        advisory, data = object_and_body(self, _may_write, TargetsBodySerializer)
        targets = services.set_targets(actor=request.user, advisory=advisory, **data)
        context = self.get_serializer_context()
        return Response(AdvisoryTargetSerializer(targets, many=True, context=context).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path=r"indicators/(?P<indicator>[^/]+)/remove")
    def remove_indicator(self, request, pk=None, indicator=None):
        """Detach an indicator entered by mistake (404 if the advisory does not carry it); the indicator
        and the advisory's history keep it."""
        advisory, _data = object_and_body(self, _may_write)
        _detach(request.user, advisory.indicators, indicator, advisory=advisory)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _detach(actor, carried, indicator: str, **owner) -> None:
    """The indicators page's remove: the one `carried` by the advisory or incident, else 404."""
    found = carried.filter(pk=route_id(indicator)).first()
    if found is None:
        raise Http404
    indicators.remove_indicator(actor=actor, indicator=found, **owner)


def _may_write(user, _advisory) -> bool:
    """`object_and_body`'s `allowed` for the coordinators' actions: who may write advisories at all."""
    return access.can_write(user)


def _proposal_row(target) -> dict:
    org = target.organization
    return {
        "organization": {"id": org.pk, "code": org.code, "name": org.name},
        "systems": [
            {
                "id": m.system.pk,
                "name": m.system.name,
                "software": m.software_label,
                "version_known": m.version_known,
            }
            for m in target.matches
        ],
    }


# --- targets and states -----------------------------------------------------------------------------


class SystemStateSerializer(serializers.ModelSerializer):
    system_name = serializers.CharField(source="label", read_only=True)
    status = serializers.ChoiceField(choices=SystemState.choices, required=False)
    updated_by = serializers.StringRelatedField()

    class Meta:
        model = AdvisorySystemState
        fields = [
            "id",
            "target",
            "system",
            "system_name",
            "software",
            "status",
            "note",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["target", "system", "software", "updated_at"]


class AdvisoryTargetSerializer(serializers.ModelSerializer):
    advisory_reference = serializers.CharField(source="advisory.reference", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    acknowledged_by = serializers.StringRelatedField()
    is_overdue = serializers.BooleanField(read_only=True)
    states = SystemStateSerializer(many=True, read_only=True)

    class Meta:
        model = AdvisoryTarget
        fields = [
            "id",
            "advisory",
            "advisory_reference",
            "organization",
            "organization_name",
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "completed_at",
            "is_overdue",
            "states",
        ]
        read_only_fields = fields


# `set-targets` answers the stored targets: described here, where their serializer is defined.
extend_schema_view(set_targets=extend_schema(responses={200: AdvisoryTargetSerializer(many=True)}))(
    AdvisoryViewSet
)


class VisibleReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """`VisibleModelViewSet`'s gate without the write routes: rows that change only through actions."""

    base_queryset: models.QuerySet | None = None

    def get_queryset(self):
        assert self.base_queryset is not None
        return self.base_queryset.all().visible_to(self.request.user)


class AdvisoryTargetViewSet(VisibleReadOnlyViewSet):
    """One row per (advisory, organization); a unit sees its own. Filters: `?advisory=<id>`, `?overdue=1`."""

    base_queryset = AdvisoryTarget.objects.select_related("advisory", "organization", "acknowledged_by")
    serializer_class = AdvisoryTargetSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = TargetFilterSet
    token_scopes = {"acknowledge": TokenScope.REPORT}  # the unit's own answer to an advisory

    def get_queryset(self):
        return super().get_queryset().prefetch_related("states__system", "states__updated_by")

    @extend_schema(request=None, responses=AdvisoryTargetSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        target, _data = object_and_body(self, access.can_respond)
        target = services.acknowledge_advisory(actor=request.user, target=target)
        return Response(self.get_serializer(target).data)


class AdvisorySystemStateViewSet(VisibleModelViewSet):
    """Remediation state per affected system; PATCH `status` and/or `note` (the unit, or the coordinator)."""

    base_queryset = AdvisorySystemState.objects.select_related(
        "target__advisory", "target__organization", "system", "updated_by"
    )
    serializer_class = SystemStateSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_class = SystemStateFilterSet
    token_scopes = {"partial_update": TokenScope.REPORT}  # the unit reports its systems' remediation

    def partial_update(self, request, *args, **kwargs):
        state, _data = object_and_body(self, access.can_report_state)  # the body is a partial model one
        body = self.get_serializer(state, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        state = services.update_system_state(
            actor=request.user,
            state=state,
            status=values.get("status", state.status),
            note=values.get("note", state.note),
        )
        return Response(self.get_serializer(state).data)


# --- indicators -------------------------------------------------------------------------------------


def _sightings(seen: indicators.Sightings) -> dict:
    return {
        "incidents": [{"id": i.pk, "reference": i.reference, "title": i.title} for i in seen.incidents],
        "advisories": [{"id": a.pk, "reference": a.reference, "title": a.title} for a in seen.advisories],
    }


class IndicatorSerializer(serializers.ModelSerializer):
    seen_in = serializers.SerializerMethodField(
        help_text="Incidents and advisories you may open that carry it."
    )

    class Meta:
        model = Indicator
        fields = ["id", "kind", "value", "created_at", "seen_in"]
        read_only_fields = fields

    def get_seen_in(self, obj: Indicator) -> dict:
        return _sightings(indicators.seen_before(self.context["request"].user, obj))


class AddIndicatorSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=2000)
    kind = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="One of the indicator kinds; omit to detect.",
    )
    advisory = ScopedRelatedField(Advisory, required=False, allow_null=True)
    incident = ScopedRelatedField(Incident, required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_kind(self, kind: str) -> str:
        if kind and kind not in Indicator.Kind.values:
            raise serializers.ValidationError(
                _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Indicator.Kind.values)}
            )
        return kind

    def validate(self, attrs):
        if attrs.get("advisory") is None and attrs.get("incident") is None:
            raise serializers.ValidationError(_("Give an advisory or an incident."))
        return attrs


class IndicatorViewSet(VisibleModelViewSet):
    """Indicators seen in incidents or advisories you may open; POST attaches one and answers "seen before".

    List filters: `?q=<value or part>`, `?incident=<id>`, `?advisory=<id>`.
    """

    base_queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = IndicatorFilterSet  # the ids go through the incident's and the advisory's own gates

    @extend_schema(request=AddIndicatorSerializer, responses={201: dict})
    def create(self, request, *args, **kwargs):
        require(access.may_add_somewhere(request.user))  # before the body, as for advisories
        body = AddIndicatorSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = indicators.add_indicator(actor=request.user, **{**data, "kind": data.get("kind") or None})
        payload = {
            "indicator": BriefIndicatorSerializer(result.indicator).data,
            "created": result.created,
            "attached": result.attached,
            "seen_before": _sightings(result.seen_before),
        }
        return Response(payload, status=status.HTTP_201_CREATED)


class IncidentIndicatorViewSet(viewsets.GenericViewSet):
    """Removing an incident's indicator; its list is `GET /indicators/?incident=<id>`, adding one is
    `POST /indicators/`."""

    serializer_class = serializers.Serializer
    token_scopes = {"remove": TokenScope.COORDINATE}  # as adding one (`POST /indicators/`)

    def get_queryset(self):
        return Incident.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path=r"indicators/(?P<indicator>[^/]+)/remove")
    def remove(self, request, pk=None, indicator=None):
        """Detach an indicator entered by mistake (those who work the incident: its coordinators,
        handlers, the operator's responders and its reporters); 404 if the incident does not carry it.
        The incident's timeline records the removal."""
        incident, _data = object_and_body(self, access.can_add_to_incident)
        _detach(request.user, incident.indicators, indicator, incident=incident)
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("advisories", AdvisoryViewSet, "advisory"),
    ("advisory-targets", AdvisoryTargetViewSet, "advisorytarget"),
    ("advisory-system-states", AdvisorySystemStateViewSet, "advisorysystemstate"),
    ("indicators", IndicatorViewSet, "indicator"),
    ("incidents", IncidentIndicatorViewSet, "incident-indicators"),
]
