"""API for organizations and focal points, under the same tenancy gate and predicates as the UI."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ungcuu.accounts.models import TokenScope
from ungcuu.api.base import VisibleModelViewSet, object_and_body
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.api.inputs import page_parameter, route_id
from ungcuu.audit.requests import request_meta
from ungcuu.organizations import access, services
from ungcuu.organizations.filters import OrganizationFilterSet
from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffChange, StaffLine
from ungcuu.organizations.services import PROFILE_FIELDS, STAFF_LINE_FIELDS


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


class MemberInputSerializer(serializers.Serializer):
    """The page's member form: an existing account by username (a manager also gives its e-mail), or a
    new account without a password (the person sets it through "forgot password")."""

    username = serializers.SlugField(max_length=150)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(Membership.Role.choices)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "full_name", "role", "created_at"]
        read_only_fields = fields


class StaffChangeSerializer(serializers.ModelSerializer):
    """One row of the staff-change history, as the organization page shows it: which focal point, what
    happened and, for an edit, which of its fields changed (not their values)."""

    focal_point_name = serializers.CharField(source="focal_point.full_name", read_only=True)
    changed_fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    actor = serializers.StringRelatedField()

    class Meta:
        model = StaffChange
        fields = ["id", "at", "focal_point", "focal_point_name", "change", "changed_fields", "actor"]
        read_only_fields = fields


class OrganizationViewSet(VisibleModelViewSet):
    """Organizations of the network. Creating one is the coordinator's act; managers edit their profile."""

    base_queryset = Organization.objects.select_related("parent")
    serializer_class = OrganizationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = OrganizationFilterSet  # the directory page's: `?q=` (diacritic-insensitive), `?kind=`
    token_scopes = {"add_member": TokenScope.COORDINATE, "remove_member": TokenScope.COORDINATE}
    action_parameters = {"staff_changes": [page_parameter()]}

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

    def _editable(self, request):
        """The organization, if its members may be seen and changed by the caller (as on the page)."""
        organization, _data = object_and_body(self, access.can_edit_organization)
        return organization

    @extend_schema(request=None, responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def members(self, request, pk=None):
        """Who belongs to the organization, with their role (its managers and coordinators only)."""
        memberships = self._editable(request).memberships.select_related("user").order_by("user__username")
        return Response(MemberSerializer(memberships, many=True).data)

    @extend_schema(request=MemberInputSerializer, responses={201: MemberSerializer})
    @members.mapping.post
    def add_member(self, request, pk=None):
        """Add an account, change a member's role, or create an account (as the page's member form)."""
        organization = self._editable(request)
        body = MemberInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.invite_member(
            actor=request.user,
            organization=organization,
            request_meta=request_meta(request._request),
            **body.validated_data,
        )
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member>[^/]+)/remove")
    def remove_member(self, request, pk=None, member=None):
        """Take a member out (not oneself, unless a coordinator); their past actions keep their name."""
        organization = self._editable(request)
        membership = Membership.objects.filter(organization=organization, pk=route_id(member)).first()
        if membership is None:
            raise Http404
        services.remove_member(
            actor=request.user, membership=membership, request_meta=request_meta(request._request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=StaffChangeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="staff-changes", filter_backends=[])
    def staff_changes(self, request, pk=None):
        """The focal points' staff-change history, newest first (everyone who sees the organization, as
        on its page; the page shows the latest 30, this pages through all of it)."""
        rows = self.get_object().staff_changes.select_related("focal_point", "actor")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StaffChangeSerializer(page, many=True).data)


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


class StaffLineSerializer(serializers.ModelSerializer):
    """One person of form 01's staff annex; `full_name` is family name first (core.names)."""

    organization = ScopedRelatedField(Organization)
    full_name = serializers.CharField(read_only=True)
    expert_groups = serializers.ListField(
        child=serializers.ChoiceField(StaffLine.ExpertGroup.choices), required=False, default=list
    )

    class Meta:
        model = StaffLine
        fields = ["id", "organization", "full_name", *STAFF_LINE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class StaffLineViewSet(VisibleModelViewSet):
    """Form 01's staff annex, one line per person; the unit's own responders and managers change it,
    everyone who sees the organization (the coordinator included) reads it."""

    base_queryset = StaffLine.objects.select_related("organization")
    serializer_class = StaffLineSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.add_staff_line(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "organization" in data and data.pop("organization") != serializer.instance.organization:
            raise serializers.ValidationError(
                {"organization": [_("A staff annex line stays with its organization; add it to the other.")]}
            )
        serializer.instance = services.update_staff_line(
            actor=self.request.user, line=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        services.remove_staff_line(actor=self.request.user, line=instance)


# (prefix, viewset, basename): registered on the one router in ungcuu/api/urls.py.
ROUTES = [
    ("organizations", OrganizationViewSet, "organization"),
    ("focal-points", FocalPointViewSet, "focalpoint"),
    ("staff-lines", StaffLineViewSet, "staffline"),
]
