"""API for periodic reports: read-only, through the same gate as the pages (drafts stay the unit's own).

Submitting, accepting and returning are done on the pages; the API gives other systems the reports and
the figures frozen at submission (the JSON the documents are rendered from).
"""

from __future__ import annotations

from rest_framework import serializers, viewsets

from ungcuu.reports.models import PeriodicReport


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
            "submitted_at",
            "decided_at",
            "decision_note",
            "figures",
        ]
        read_only_fields = fields


class PeriodicReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Periodic reports the caller may see (`PeriodicReport.objects.visible_to`)."""

    serializer_class = PeriodicReportSerializer

    def get_queryset(self):
        reports = PeriodicReport.objects.select_related("organization")
        return reports.visible_to(self.request.user)


ROUTES: list = [("periodic-reports", PeriodicReportViewSet, "periodicreport")]
