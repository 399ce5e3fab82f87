"""API for organizations and focal points, under the same tenancy gate and predicates as the UI."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.organizations import access, services
from ungcuu.organizations.filters import OrganizationFilterSet
from ungcuu.organizations.models import FocalPoint, Organization
from ungcuu.organizations.services import PROFILE_FIELDS


class OrganizationSerializer(serializers.ModelSerializer):
    parent = ScopedRelatedField(Organization, required=False, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "members_see_children",
            "is_active",
            *PROFILE_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_parent(self, parent):
        if self.instance is not None and self.instance.would_cycle_under(parent):
            raise serializers.ValidationError(
                _("An organization cannot be placed under itself or its own children.")
            )
        return parent

    def to_internal_value(self, data):
        # Normalise before the field's own regex runs, exactly as the form's clean_code does.
        if hasattr(data, "get") and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].strip().upper()}
        return super().to_internal_value(data)


class OrganizationViewSet(VisibleModelViewSet):
    """Organizations of the network. Creating one is the coordinator's act; managers edit their profile."""

    base_queryset = Organization.objects.select_related("parent")
    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = OrganizationFilterSet  # the directory page's: `?q=` (diacritic-insensitive), `?kind=`

    def get_queryset(self):
        return super().get_queryset().order_by("name")

    def perform_create(self, serializer):
        access.require(access.can_create_organization(self.request.user))
        serializer.save()

    def perform_update(self, serializer):
        # Which fields a manager may edit, and the history row, are the service's.
        serializer.instance = services.update_organization(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


class FocalPointSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(Organization)

    class Meta:
        model = FocalPoint
        fields = [
            "id",
            "organization",
            "full_name",
            "title",
            "duty",
            "office_phone",
            "mobile",
            "email",
            "is_24x7",
            "pgp_fingerprint",
            "is_active",
        ]
        read_only_fields = ["is_active"]

    def validate(self, attrs):
        merged = {f: attrs.get(f, getattr(self.instance, f, "")) for f in ("office_phone", "mobile", "email")}
        if not any(merged.values()):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Give at least one way to reach this person: phone, mobile or e-mail.")
                    ]
                }
            )
        return attrs


class FocalPointViewSet(VisibleModelViewSet):
    """Focal points; changes go through the services so the staff-change history is kept."""

    base_queryset = FocalPoint.objects.select_related("organization")
    serializer_class = FocalPointSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.add_focal_point(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("organization", None)
        serializer.instance = services.update_focal_point(
            actor=self.request.user, focal_point=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.deactivate_focal_point(actor=self.request.user, focal_point=instance)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [
    ("organizations", OrganizationViewSet, "organization"),
    ("focal-points", FocalPointViewSet, "focalpoint"),
]
