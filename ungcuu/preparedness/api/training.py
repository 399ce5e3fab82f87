"""Training courses through the API: the list (`?q=` as the page's search), record one that took place
with its attendees, correct it. The same services as the pages (the training duty is credited)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from ungcuu.api.base import VisibleModelViewSet
from ungcuu.api.fields import ScopedRelatedField
from ungcuu.organizations.access import require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.filters import CourseFilterSet
from ungcuu.preparedness.models import TrainingCourse


def _attendee_organizations(user):
    return Organization.objects.visible_to(user).filter(is_active=True)


class AttendeeSerializer(serializers.Serializer):
    organization = ScopedRelatedField(
        Organization,
        scope=_attendee_organizations,
        required=False,
        allow_null=True,
        help_text="Where the attendee works; empty: the organizer.",
    )
    full_name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TrainingCourseSerializer(serializers.ModelSerializer):
    organization = ScopedRelatedField(Organization, scope=access.manageable_organizations)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    attendees = serializers.SerializerMethodField()
    hours = serializers.IntegerField(min_value=1, max_value=2000, required=False, allow_null=True)

    class Meta:
        model = TrainingCourse
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "provider",
            "topic",
            "starts_on",
            "ends_on",
            "hours",
            "location",
            "attendees",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_attendees(self, course) -> list[dict]:
        """The attendees the reader may see: the organizer's and those of units the reader sees."""
        request = self.context.get("request")
        rows = services.editable_attendees(request.user, course) if request else course.attendees.none()
        return [
            {"organization": a.organization_id, "full_name": a.full_name, "title": a.title}
            for a in rows.order_by("pk")
        ]


class TrainingCourseWriteSerializer(TrainingCourseSerializer):
    attendees = AttendeeSerializer(many=True)


class TrainingCourseUpdateSerializer(TrainingCourseWriteSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)  # a course stays with its organizer
    attendees = AttendeeSerializer(many=True, required=False)


class TrainingCourseViewSet(VisibleModelViewSet):
    """Courses seen by their organizer and the units whose staff attended. `attendees`, when sent, replaces
    the attendees the caller can see (those of units hidden from them stay)."""

    base_queryset = TrainingCourse.objects.select_related("organization")
    serializer_class = TrainingCourseSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = CourseFilterSet

    def get_serializer_class(self):
        if self.action == "create":
            return TrainingCourseWriteSerializer
        if self.action == "partial_update":
            return TrainingCourseUpdateSerializer
        return super().get_serializer_class()

    def _answer(self, course: TrainingCourse, code: int = status.HTTP_200_OK) -> Response:
        # Always the read shape: its attendees are only those the caller may see.
        return Response(TrainingCourseSerializer(course, context=self.get_serializer_context()).data, code)

    @extend_schema(request=TrainingCourseWriteSerializer, responses={201: TrainingCourseSerializer})
    def create(self, request, *args, **kwargs):
        require(access.can_create_anything(request.user))  # before the body is read
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        rows = [dict(row) for row in data.pop("attendees")]
        course = services.record_course(actor=request.user, attendees=rows, **data)
        return self._answer(course, status.HTTP_201_CREATED)

    @extend_schema(request=TrainingCourseUpdateSerializer, responses=TrainingCourseSerializer)
    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        require(access.can_edit_course(request.user, course))
        body = self.get_serializer(course, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        rows = [dict(row) for row in data.pop("attendees")] if "attendees" in data else None
        course = services.update_course(actor=request.user, course=course, attendees=rows, **data)
        return self._answer(course)
