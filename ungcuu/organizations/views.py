"""Organization pages: directory, profile, focal points (HTMX fragments) and staff-change history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ungcuu.audit.requests import request_meta
from ungcuu.core import actions
from ungcuu.core.filters import filter_page
from ungcuu.core.htmx import is_htmx, render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.organizations import access, services
from ungcuu.organizations.filters import OrganizationFilterSet
from ungcuu.organizations.forms import (
    FocalPointForm,
    MemberForm,
    OrganizationForm,
    OrganizationProfileForm,
    StaffLineForm,
)
from ungcuu.organizations.models import FocalPoint, Membership, Organization, StaffLine
from ungcuu.systems.models import InformationSystem

_FocalPoints = FocalPoint.objects.select_related("organization")


def _org_for(user, pk: int) -> Organization:
    return access.get_visible_or_404(Organization.objects.select_related("parent"), user, pk=pk)


@login_required
def organization_list(request):
    visible = Organization.objects.visible_to(request.user).select_related("parent")
    filters, orgs = filter_page(OrganizationFilterSet, request, visible)
    orgs = orgs.annotate(system_count=Count("operated_systems", distinct=True)).order_by("name")
    context = {
        "filters": filters,
        "page": paginate(request, orgs),
        "can_create": access.can_create_organization(request.user),
    }
    return render_page_or_fragment(request, "organizations/list.html", "organizations/_table.html", context)


@login_required
def organization_detail(request, pk: int):
    org = _org_for(request.user, pk)
    visible = Organization.objects.visible_to(request.user)
    systems = InformationSystem.objects.visible_to(request.user).filter(Q(owner=org) | Q(operator=org))
    context = {
        "org": org,
        "children": visible.filter(parent=org),
        "systems": systems.select_related("operator")[:100],
        "focal_points": org.focal_points.filter(is_active=True),
        "staff_changes": org.staff_changes.select_related("focal_point", "actor")[:30],
        "members": org.memberships.select_related("user")
        if access.can_edit_organization(request.user, org)
        else [],
        "can_edit": access.can_edit_organization(request.user, org),
        "staff_lines": org.staff_lines.all(),
        "can_edit_staff": access.can_edit_staff_lines(request.user, org),
        "focal_form": FocalPointForm(),
        "member_form": MemberForm(),
    }
    return render(request, "organizations/detail.html", context)


@login_required
def organization_create(request):
    access.require(access.can_create_organization(request.user))
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = form.save()
        messages.success(request, _("Organization created."))
        return redirect("organizations:detail", pk=org.pk)
    return render(request, "organizations/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def organization_edit(request, pk: int):
    org = _org_for(request.user, pk)
    access.require(access.can_edit_organization(request.user, org))
    form_class = OrganizationForm if access.is_coordinator(request.user) else OrganizationProfileForm
    form = form_class(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        saved, _status = actions.run(
            form,
            lambda: services.update_organization(actor=request.user, organization=org, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Organization saved."))
            return redirect("organizations:detail", pk=org.pk)
    return render(
        request, "organizations/form.html", {"form": form, "org": org}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def focal_point_add(request, pk: int):
    org = _org_for(request.user, pk)
    access.require(access.can_edit_organization(request.user, org))
    form = FocalPointForm(request.POST)
    if form.is_valid():
        services.add_focal_point(actor=request.user, organization=org, **form.cleaned_data)
        form = FocalPointForm()
        messages.success(request, _("Focal point added."))
    context = {
        "org": org,
        "focal_points": org.focal_points.filter(is_active=True),
        "focal_form": form,
        "can_edit": True,
    }
    if is_htmx(request):
        context["show_messages"] = True  # the fragment carries its own "added" message or the errors
        return render(
            request, "organizations/_focal_points.html", context, status=400 if form.errors else 200
        )
    if form.errors:
        return render(request, "organizations/focal_point_form.html", context, status=400)
    return redirect("organizations:detail", pk=org.pk)


@login_required
def focal_point_edit(request, pk: int, fp: int):
    org = _org_for(request.user, pk)
    focal = access.get_visible_or_404(_FocalPoints, request.user, pk=fp, organization=org)
    access.require(access.can_edit_organization(request.user, org))
    form = FocalPointForm(request.POST or None, instance=FocalPoint.objects.get(pk=focal.pk))
    if request.method == "POST" and form.is_valid():
        services.update_focal_point(actor=request.user, focal_point=focal, **form.cleaned_data)
        messages.success(request, _("Focal point saved."))
        return redirect("organizations:detail", pk=org.pk)
    return render(
        request,
        "organizations/focal_point_form.html",
        {"org": org, "focal_form": form, "focal": focal},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def focal_point_deactivate(request, pk: int, fp: int):
    org = _org_for(request.user, pk)
    focal = access.get_visible_or_404(_FocalPoints, request.user, pk=fp, organization=org)
    access.require(access.can_edit_organization(request.user, org))
    services.deactivate_focal_point(actor=request.user, focal_point=focal)
    messages.success(request, _("Focal point deactivated; the history keeps the record."))
    return redirect("organizations:detail", pk=org.pk)


@login_required
@require_POST
def member_add(request, pk: int):
    org = _org_for(request.user, pk)
    access.require(access.can_edit_organization(request.user, org))
    form = MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("organizations:detail", pk=org.pk)
    try:
        services.invite_member(
            actor=request.user, organization=org, request_meta=request_meta(request), **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organizations:detail", pk=org.pk)
    messages.success(request, _("Member saved."))
    return redirect("organizations:detail", pk=org.pk)


@login_required
@require_POST
def member_remove(request, pk: int, member: int):
    org = _org_for(request.user, pk)
    access.require(access.can_edit_organization(request.user, org))
    membership = Membership.objects.filter(organization=org, pk=member).first()
    if membership is None:
        raise Http404
    try:
        services.remove_member(actor=request.user, membership=membership, request_meta=request_meta(request))
        messages.success(request, _("Member removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("organizations:detail", pk=org.pk)


# --- form 01's staff annex -----------------------------------------------------------------------------


def _staff_line_for(user, org: Organization, line: int) -> StaffLine:
    return access.get_visible_or_404(
        StaffLine.objects.select_related("organization"), user, pk=line, organization=org
    )


def _staff_form_page(request, org: Organization, form: StaffLineForm, line: StaffLine | None = None):
    context = {"org": org, "form": form, "line": line}
    return render(request, "organizations/staff_line_form.html", context, status=400 if form.errors else 200)


@login_required
def staff_line_add(request, pk: int):
    org = _org_for(request.user, pk)
    access.require(access.can_edit_staff_lines(request.user, org))
    form = StaffLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved, _status = actions.run(
            form, lambda: services.add_staff_line(actor=request.user, organization=org, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Person added to the staff annex."))
            return redirect(f"{org_detail_url(org)}#staff-annex")
    return _staff_form_page(request, org, form)


@login_required
def staff_line_edit(request, pk: int, line: int):
    org = _org_for(request.user, pk)
    stored = _staff_line_for(request.user, org, line)
    access.require(access.can_edit_staff_lines(request.user, org))
    form = StaffLineForm(request.POST or None, instance=StaffLine.objects.get(pk=stored.pk))
    if request.method == "POST" and form.is_valid():
        saved, _status = actions.run(
            form, lambda: services.update_staff_line(actor=request.user, line=stored, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Staff annex line saved."))
            return redirect(f"{org_detail_url(org)}#staff-annex")
    return _staff_form_page(request, org, form, stored)


@login_required
@require_POST
def staff_line_remove(request, pk: int, line: int):
    org = _org_for(request.user, pk)
    stored = _staff_line_for(request.user, org, line)
    access.require(access.can_edit_staff_lines(request.user, org))
    services.remove_staff_line(actor=request.user, line=stored)
    messages.success(request, _("Person removed from the staff annex."))
    return redirect(f"{org_detail_url(org)}#staff-annex")


def org_detail_url(org: Organization) -> str:
    return reverse("organizations:detail", args=[org.pk])
