"""API for periodic reports, through the same gate and services as the pages: a unit starts a draft,
writes its texts and submits it; the specialised unit accepts or returns it (drafts stay the unit's own).

The figures are frozen at submission (the JSON the documents are rendered from).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.reports import services
from ungcuu.reports.access import can_decide, can_draft, can_submit, reportable_organizations
from ungcuu.reports.forms import year_choices
from ungcuu.reports.models import PeriodicReport, ReportKind, Span


class PeriodicReportSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = PeriodicReport
        fields = [
            "id",
            "organization",
            "organization_code",
            "kind",
            "span",
            "year",
            "half",
            "period_start",
            "period_end",
            "status",
            "narrative",
            "difficulties",
            "proposals",
            "document_number",
            "signer_title",
            "signer_name",
            "submitted_at",
            "decided_at",
            "decision_note",
            "figures",
        ]
        read_only_fields = fields


class StartSerializer(serializers.Serializer):
    """Which report to draft (the page's start form): organization, kind and period."""

    organization = ScopedRelatedField(Organization, scope=reportable_organizations)
    kind = serializers.ChoiceField(ReportKind.choices)
    span = serializers.ChoiceField(Span.choices)
    year = serializers.IntegerField()
    half = serializers.ChoiceField([1, 2], required=False, allow_null=True, default=None)

    def validate_year(self, value):
        if value not in dict(year_choices()):
            raise serializers.ValidationError(_("Select a valid choice."))
        return value


class TextsSerializer(serializers.ModelSerializer):
    """The unit's own text (drafts and returned reports only)."""

    class Meta:
        model = PeriodicReport
        fields = ["narrative", "difficulties", "proposals", "document_number", "signer_title", "signer_name"]
        extra_kwargs = {name: {"required": False} for name in fields}


class ReportDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class PeriodicReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Periodic reports the caller may see (`PeriodicReport.objects.visible_to`)."""

    serializer_class = PeriodicReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    token_scopes = {
        "create": TokenScope.REPORT,
        "partial_update": TokenScope.REPORT,
        "submit": TokenScope.REPORT,
        "accept": TokenScope.COORDINATE,
        "send_back": TokenScope.COORDINATE,
    }

    def get_queryset(self):
        reports = PeriodicReport.objects.select_related("organization")
        return reports.visible_to(self.request.user)

    @extend_schema(request=StartSerializer, responses={201: PeriodicReportSerializer})
    def create(self, request):
        """Start a draft for one of the caller's organizations (a unit seen but not its own: 403)."""
        body = StartSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        access.require(can_draft(request.user, body.validated_data["organization"]))
        report = services.start_periodic_report(actor=request.user, **body.validated_data)
        return Response(PeriodicReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TextsSerializer, responses=PeriodicReportSerializer)
    def partial_update(self, request, pk=None):
        """Write the unit's texts; 409 once submitted."""
        report = self.get_object()
        access.require(can_draft(request.user, report.organization))
        body = TextsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        report = services.update_periodic_report(actor=request.user, report=report, **body.validated_data)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=None, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the specialised unit; its figures are frozen."""
        report = self.get_object()
        access.require(can_submit(request.user, report))
        report = services.submit_periodic_report(actor=request.user, report=report)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=ReportDecisionSerializer, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The specialised unit takes the report into the province's consolidation."""
        report = self._decidable(request)
        body = ReportDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.accept_periodic_report(actor=request.user, report=report, **body.validated_data)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=ReturnSerializer, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Back to the unit for revision, with the reason."""
        report = self._decidable(request)
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.return_periodic_report(actor=request.user, report=report, **body.validated_data)
        return Response(PeriodicReportSerializer(report).data)

    def _decidable(self, request) -> PeriodicReport:
        report = self.get_object()
        access.require(can_decide(request.user, report))
        return report


ROUTES: list = [("periodic-reports", PeriodicReportViewSet, "periodicreport")]
