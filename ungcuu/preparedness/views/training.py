"""Training pages: courses that took place, with their attendees per organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations.access import get_visible_or_404, require
from ungcuu.organizations.models import Organization
from ungcuu.preparedness import access, services
from ungcuu.preparedness.forms import AttendeeFormSet, CourseForm, MoreAttendeesFormSet, attendee_rows
from ungcuu.preparedness.models import TrainingCourse
from ungcuu.preparedness.views.common import save_with_rows

COURSE_FIELDS = ("title", "provider", "topic", "starts_on", "ends_on", "hours", "location")


def _course_for(user, pk: int) -> TrainingCourse:
    return get_visible_or_404(TrainingCourse.objects.select_related("organization"), user, pk=pk)


@login_required
def course_list(request):
    q = request.GET.get("q", "")
    courses = TrainingCourse.objects.visible_to(request.user).search(q).select_related("organization")
    context = {
        "q": q,
        "page": paginate(
            request, courses.annotate(attendee_count=Count("attendees")).order_by("-ends_on", "-id")
        ),
        "can_create": access.can_create_anything(request.user),
    }
    return render_page_or_fragment(
        request, "preparedness/course_list.html", "preparedness/_course_table.html", context
    )


@login_required
def course_detail(request, course: int):
    course_obj = _course_for(request.user, course)
    # Attendees of units the reader does not see are counted, not named.
    visible = Organization.objects.visible_to(request.user).values("pk")
    attendees = course_obj.attendees.select_related("organization")
    context = {
        "course": course_obj,
        "attendees": attendees.filter(organization__in=visible),
        "hidden_attendees": attendees.exclude(organization__in=visible).count(),
        "can_edit": access.can_edit_course(request.user, course_obj),
    }
    return render(request, "preparedness/course_detail.html", context)


@login_required
def course_create(request):
    require(access.can_create_anything(request.user))
    form = CourseForm(request.POST or None, user=request.user)
    attendees = AttendeeFormSet(request.POST or None, prefix="attendees", form_kwargs={"user": request.user})
    status = 200
    if request.method == "POST":
        created, status = save_with_rows(
            form,
            attendees,
            attendee_rows,
            lambda data, rows: services.record_course(actor=request.user, attendees=rows, **data),
        )
        if created is not None:
            messages.success(request, _("Course recorded."))
            return redirect(created)
    context = {"form": form, "attendees": attendees}
    return render(request, "preparedness/course_form.html", context, status=status)


@login_required
def course_edit(request, course: int):
    course_obj = _course_for(request.user, course)
    require(access.can_edit_course(request.user, course_obj))
    initial = {name: getattr(course_obj, name) for name in COURSE_FIELDS}
    form = CourseForm(request.POST or None, user=request.user, course=course_obj, initial=initial)
    editable = services.editable_attendees(request.user, course_obj)
    current = [
        {"organization": a.organization_id, "full_name": a.full_name, "title": a.title} for a in editable
    ]
    attendees = MoreAttendeesFormSet(
        request.POST or None, prefix="attendees", initial=current, form_kwargs={"user": request.user}
    )
    status = 200
    if request.method == "POST":
        saved, status = save_with_rows(
            form,
            attendees,
            attendee_rows,
            lambda data, rows: services.update_course(
                actor=request.user, course=course_obj, attendees=rows, **data
            ),
        )
        if saved is not None:
            messages.success(request, _("Course saved."))
            return redirect(course_obj)
    context = {"form": form, "attendees": attendees, "course": course_obj}
    return render(request, "preparedness/course_form.html", context, status=status)
