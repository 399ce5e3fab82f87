"""API for periodic reports, through the same gate and services as the pages: a unit starts a draft,
writes its texts and submits it; the specialised unit accepts or returns it (drafts stay the unit's own).
The figures are frozen at submission (the JSON the documents are rendered from).

And the official documents as files (`?download=pdf|docx|xlsx`), each through the gate of what it
describes, as the pages: an incident's forms 03/04, an organization's forms 01/02, form 05 and a unit's
report over a period, the province's report and bulletin (province-wide users).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.core.errors import Conflict
from ungcuu.core.periods import Period
from ungcuu.incidents.models import Incident
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.reports import documents, sections, services
from ungcuu.reports.access import (
    can_decide,
    can_draft,
    can_record_damage,
    can_submit,
    reportable_organizations,
    scope_for,
    sees_province,
)
from ungcuu.reports.forms import FORM05_SPANS, HALVES_AND_YEARS, SPANS, PeriodForm, ScopeForm, year_choices
from ungcuu.reports.models import IncidentDamage, PeriodicReport, ReportKind, Span
from ungcuu.reports.responses import FORMATS, attachment
from ungcuu.reports.statistics import EXPORTS, build_statistics, default_period, statistics_file


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
        report, _data = object_and_body(self, lambda user, report: can_draft(user, report.organization))
        body = TextsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        report = services.update_periodic_report(actor=request.user, report=report, **body.validated_data)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=None, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the report to the specialised unit; its figures are frozen."""
        report, _data = object_and_body(self, can_submit)
        report = services.submit_periodic_report(actor=request.user, report=report)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=ReportDecisionSerializer, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The specialised unit takes the report into the province's consolidation."""
        report, data = object_and_body(self, can_decide, ReportDecisionSerializer)
        report = services.accept_periodic_report(actor=request.user, report=report, **data)
        return Response(PeriodicReportSerializer(report).data)

    @extend_schema(request=ReturnSerializer, responses=PeriodicReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Back to the unit for revision, with the reason."""
        report, data = object_and_body(self, can_decide, ReturnSerializer)
        report = services.return_periodic_report(actor=request.user, report=report, **data)
        return Response(PeriodicReportSerializer(report).data)


ROUTES: list = [("periodic-reports", PeriodicReportViewSet, "periodicreport")]


# --- an incident's damage for form 05 ---------------------------------------------------------------


class DamageSerializer(serializers.ModelSerializer):
    """Form 05's estimated damage and foreign help for one incident (the page's damage form)."""

    amount_vnd = serializers.IntegerField(
        min_value=0,
        max_value=10**15,
        required=False,
        allow_null=True,
        default=0,
        help_text="Estimated damage in VND; null or left out when it cannot be estimated (0).",
    )
    updated_by = serializers.StringRelatedField()

    class Meta:
        model = IncidentDamage
        fields = [
            "incident",
            "amount_vnd",
            "foreign_help",
            "foreign_helpers",
            "note",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = ["incident", "updated_by", "updated_at"]
        extra_kwargs = {
            "foreign_help": {"default": False},
            "foreign_helpers": {"default": ""},
            "note": {"default": ""},
        }


class IncidentDamageViewSet(viewsets.GenericViewSet):
    """`/incidents/{id}/damage/`: the incident's damage for form 05, for those the page lets record it
    (the coordinators and the operating unit's responders; others who see the incident: 403)."""

    serializer_class = DamageSerializer
    token_scopes = {"record_damage": TokenScope.REPORT}  # the unit's own figures, as its closing report

    def get_queryset(self):
        return Incident.objects.select_related("operator").visible_to(self.request.user)

    @extend_schema(request=None, responses=DamageSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def damage(self, request, pk=None):
        """What is recorded (amount 0, no foreign help and no `updated_at` until someone records it)."""
        incident, _data = object_and_body(self, can_record_damage)
        damage = IncidentDamage.objects.filter(incident=incident).first() or IncidentDamage(incident=incident)
        return Response(DamageSerializer(damage).data)

    @extend_schema(request=DamageSerializer, responses=DamageSerializer)
    @damage.mapping.post
    def record_damage(self, request, pk=None):
        """Record the estimate (again: it replaces the last one); the incident's timeline keeps a note."""
        incident, data = object_and_body(self, can_record_damage, DamageSerializer)
        data["amount_vnd"] = data["amount_vnd"] or 0
        damage = services.record_damage(actor=request.user, incident=incident, **data)
        return Response(DamageSerializer(damage).data)


ROUTES.append(("incidents", IncidentDamageViewSet, "incident-form05"))


# --- documents: the official forms and reports as files ------------------------------------------------

DOWNLOAD = OpenApiParameter(
    "download",
    str,
    enum=list(FORMATS),
    default="pdf",
    description="The file's format: pdf (default), docx or xlsx; all three come from the same document.",
)
DOCUMENT_FILE = {(200, content_type): OpenApiTypes.BINARY for content_type, _render in FORMATS.values()}


def _file(request, document) -> HttpResponse:
    """The same file as the page's `?download=` (ungcuu.reports.responses), as an attachment."""
    fmt = request.query_params.get("download") or "pdf"
    content_type, render = FORMATS[fmt]
    return attachment(render(document), content_type, f"{document.filename}.{fmt}")


class IncidentDocumentViewSet(viewsets.GenericViewSet):
    """Form 03 (initial report) and form 04 (closing report) of an incident the caller may open."""

    action_parameters = {"form03": [DOWNLOAD], "form04": [DOWNLOAD]}
    serializer_class = serializers.Serializer

    def get_queryset(self):
        queryset = Incident.objects.select_related("operator", "owner", "system")
        return queryset.visible_to(self.request.user)

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=True, methods=["get"])
    def form03(self, request, pk=None):
        """Form 03, the initial report (QĐ05), as the incident stands."""
        return _file(request, documents.form03_document(self.get_object()))

    @extend_schema(
        responses={
            **DOCUMENT_FILE,
            409: OpenApiResponse(
                {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
                description="The closing report is not written yet.",
            ),
        }
    )
    @action(detail=True, methods=["get"])
    def form04(self, request, pk=None):
        """Form 04, the closing report; 409 until the closing report is written."""
        document = documents.form04_document(self.get_object())
        if document is None:
            raise Conflict(_("Form 04 exists once the closing report is written."))
        return _file(request, document)


class OrganizationDocumentViewSet(viewsets.GenericViewSet):
    """Form 01 (network member profile) and form 02 (membership application) of an organization."""

    action_parameters = {"form01": [DOWNLOAD], "form02": [DOWNLOAD]}
    serializer_class = serializers.Serializer

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=True, methods=["get"])
    def form01(self, request, pk=None):
        return _file(request, documents.profile_document(self.get_object(), "01"))

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=True, methods=["get"])
    def form02(self, request, pk=None):
        return _file(request, documents.profile_document(self.get_object(), "02"))


def _period_parameters(
    spans: list[str], *, scoped: bool, download: OpenApiParameter | None = DOWNLOAD
) -> list[OpenApiParameter]:
    month = {"type": "integer", "minimum": 1, "maximum": 12}
    parameters = [
        OpenApiParameter(
            "year", int, description="With `span`: the period's year (none: the page's default)."
        ),
        OpenApiParameter("span", str, enum=spans, description="With `year`: H1, H2, Y, R6, RY, M, Q1…"),
    ]
    if download is not None:
        parameters.append(download)
    if "M" in spans:
        parameters += [OpenApiParameter("from_month", month), OpenApiParameter("to_month", month)]
    if scoped:
        parameters.append(
            OpenApiParameter(
                "organization",
                int,
                description="An organization the caller sees; none: the province "
                "(province-wide users) or the caller's own unit.",
            )
        )
    return parameters


def _bound(request, form_class, **kwargs):
    """The page's own form over the query; a query that names a period or scope must be valid (400)."""
    names = {"organization", "year", "span", "from_month", "to_month"}
    data = {k: v for k, v in request.query_params.items() if k in names}
    form = form_class(data or None, **kwargs)
    if data and not form.is_valid():
        errors = form.errors.get_json_data()
        raise exceptions.ValidationError(
            {
                "non_field_errors" if k == "__all__" else k: [e["message"] for e in v]
                for k, v in errors.items()
            }
        )
    return form


class PeriodDocumentViewSet(viewsets.GenericViewSet):
    """Documents over a period: form 05 and a unit's report (an organization the caller sees, or the
    province), the province's consolidated report and the quarterly bulletin (province-wide users)."""

    serializer_class = serializers.Serializer
    action_parameters = {
        "form05": _period_parameters(FORM05_SPANS, scoped=True),
        "unit_report": _period_parameters(HALVES_AND_YEARS, scoped=True),
        "province_report": _period_parameters([s for s, _label in SPANS], scoped=False),
        "bulletin": _period_parameters([s for s, _label in SPANS], scoped=False),
    }

    def get_queryset(self):
        return Organization.objects.none()

    def _scoped(self, default, spans):
        form = _bound(self.request, ScopeForm, user=self.request.user, default=default, spans=spans)
        return scope_for(self.request.user, form.chosen_organization()), form.period()

    def _province_period(self, default):
        access.require(sees_province(self.request.user))
        return _bound(self.request, PeriodForm, default=default).period()

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=False, methods=["get"])
    def form05(self, request):
        """Form 05, the half-year (R6) or annual (RY) summary with TT20's cut-offs."""
        scope, period = self._scoped(Period.reporting_due_next(), FORM05_SPANS)
        return _file(request, documents.form05_document(scope, period))

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=False, methods=["get"], url_path="unit-report")
    def unit_report(self, request):
        """A unit's 6-month or annual report (live figures)."""
        scope, period = self._scoped(Period.last_complete_half(), HALVES_AND_YEARS)
        return _file(request, documents.unit_document(scope, period))

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=False, methods=["get"], url_path="province-report")
    def province_report(self, request):
        """The province's consolidated report (province-wide users; others 403)."""
        period = self._province_period(Period.last_complete_half())
        return _file(request, documents.province_document(period))

    @extend_schema(responses=DOCUMENT_FILE)
    @action(detail=False, methods=["get"])
    def bulletin(self, request):
        """The quarterly bulletin (province-wide users; others 403)."""
        return _file(
            request, documents.bulletin_document(self._province_period(Period.last_complete_quarter()))
        )


ROUTES += [
    ("incidents", IncidentDocumentViewSet, "incident-documents"),
    ("organizations", OrganizationDocumentViewSet, "organization-documents"),
    ("documents", PeriodDocumentViewSet, "document"),
]


# --- figures: the statistics page and the consolidation -------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="e.g. 2026, 2026-H1, 2026-Q3, 2026-M01-03, 2026-R6")
    span = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class TallySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="mm/yyyy")
    total = serializers.IntegerField()
    attack = serializers.IntegerField()
    system = serializers.IntegerField()
    operator = serializers.IntegerField()
    disaster = serializers.IntegerField()
    unclassified = serializers.IntegerField()


class DeadlineSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    running = serializers.IntegerField()
    on_time_percent = serializers.IntegerField(allow_null=True)


class OrganizationCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()
    serious = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    """The statistics page's figures (ungcuu.reports.statistics.build_statistics). A confidential incident
    the caller may not open is counted in `total` and `withheld` only, in no other figure."""

    period = PeriodSerializer()
    organization = serializers.SerializerMethodField(
        help_text="The scope's organization; null: the province."
    )
    total = serializers.IntegerField(source="incidents.total")
    serious = serializers.IntegerField(source="incidents.serious")
    closed = serializers.IntegerField(source="incidents.closed")
    open_now = serializers.IntegerField(source="incidents.open_now")
    confidential = serializers.IntegerField(source="incidents.confidential")
    withheld = serializers.IntegerField()
    by_group = TallySerializer(many=True, source="incidents.by_group")
    by_category = TallySerializer(many=True, source="incidents.by_category")
    by_month = MonthSerializer(many=True, source="incidents.by_month")
    by_organization = OrganizationCountSerializer(many=True)
    by_severity = TallySerializer(many=True)
    acknowledge_hours = serializers.FloatField(source="incidents.acknowledge_hours", allow_null=True)
    contain_hours = serializers.FloatField(allow_null=True)
    close_hours = serializers.FloatField(source="incidents.close_hours", allow_null=True)
    deadlines = DeadlineSerializer(many=True, source="incidents.deadlines")
    as_of = serializers.DateTimeField(
        help_text="When these figures were counted: kept figures are at most UNGCUU_FIGURES_MAX_AGE old "
        "before a refresh is queued (the page shows the same time)."
    )

    def get_organization(self, _stats) -> int | None:
        organization = self.context["scope"].organization
        return organization.pk if organization else None


class UnitRowSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField(help_text="The organization's name.")
    status = serializers.CharField(help_text="missing, returned, submitted or accepted")
    status_label = serializers.CharField()
    total = serializers.IntegerField(allow_null=True, help_text="Frozen at submission; null until sent.")
    attacks = serializers.IntegerField(allow_null=True)
    serious = serializers.IntegerField(allow_null=True)
    report_id = serializers.IntegerField(allow_null=True, help_text="GET /periodic-reports/{id}/")


class UnitProposalSerializer(serializers.Serializer):
    organization = serializers.CharField()
    text = serializers.CharField()


class SentReportSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = PeriodicReport
        fields = ["id", "organization", "organization_name", "status", "submitted_at"]
        read_only_fields = fields


class ConsolidationSerializer(serializers.Serializer):
    """The consolidation page (ungcuu.reports.sections.consolidation): which units reported for the
    period with the figures they sent, and the form 05 reports sent for the matching TT20 period."""

    period = PeriodSerializer()
    form05_period = PeriodSerializer()
    expected = serializers.IntegerField(source="units.expected")
    submitted = serializers.IntegerField(source="units.submitted")
    accepted = serializers.IntegerField(source="units.accepted")
    total = serializers.IntegerField(source="units.total")
    attacks = serializers.IntegerField(source="units.attacks")
    serious = serializers.IntegerField(source="units.serious")
    units = UnitRowSerializer(many=True, source="units.rows")
    proposals = UnitProposalSerializer(many=True, source="units.proposals")
    form05_reports = SentReportSerializer(many=True, source="form05s")


EXPORT = OpenApiParameter(
    "download",
    str,
    enum=list(EXPORTS),
    description="The figures' tables as a file (csv or xlsx, as the page's exports); none: JSON.",
)


class ReportFiguresViewSet(viewsets.GenericViewSet):
    """The statistics page's figures (a unit's or the province's) and the specialised unit's
    consolidation, computed by the pages' own functions over the pages' period and scope parameters."""

    serializer_class = serializers.Serializer
    action_parameters = {
        "statistics": _period_parameters([s for s, _label in SPANS], scoped=True, download=EXPORT),
        "consolidation": _period_parameters(sections.CONSOLIDATION_SPANS, scoped=False, download=None),
    }

    def get_queryset(self):
        return Organization.objects.none()

    @extend_schema(
        responses={
            (200, "application/json"): StatisticsSerializer,
            **{(200, content_type): OpenApiTypes.BINARY for content_type, _render in EXPORTS.values()},
        }
    )
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        """The statistics page: an organization the caller sees, or the province (province-wide users;
        a unit's own organization when none is given); the current year when no period is given."""
        form = _bound(request, ScopeForm, user=request.user, default=default_period())
        scope, period = scope_for(request.user, form.chosen_organization()), form.period()
        stats = build_statistics(scope=scope, period=period, user=request.user)
        fmt = request.query_params.get("download")
        if fmt:
            return attachment(*statistics_file(stats, scope, fmt))
        return Response(StatisticsSerializer(stats, context={"scope": scope}).data)

    @extend_schema(responses=ConsolidationSerializer)
    @action(detail=False, methods=["get"])
    def consolidation(self, request):
        """The consolidation page (province-wide users; others 403); the last complete half by default."""
        access.require(sees_province(request.user))
        form = _bound(
            request, PeriodForm, default=Period.last_complete_half(), spans=sections.CONSOLIDATION_SPANS
        )
        return Response(ConsolidationSerializer(sections.consolidation(form.period())).data)


ROUTES += [("reports", ReportFiguresViewSet, "report")]
