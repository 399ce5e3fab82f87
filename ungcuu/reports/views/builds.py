"""Documents prepared in the background (reports.builds): ask, watch (htmx polls the fragment), download.

A build is its requester's alone (404 for anyone else), and the document page's own gate is asked again
before the file leaves: who may no longer read the document gets what the page would answer.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ungcuu.core.htmx import is_htmx
from ungcuu.reports import builds, services
from ungcuu.reports.models import DocumentBuild
from ungcuu.reports.responses import FORMATS


class PrepareForm(forms.Form):
    page = forms.CharField(max_length=500)
    format = forms.ChoiceField(choices=[(fmt, fmt) for fmt in FORMATS])

    def clean_page(self):
        page = self.cleaned_data["page"]
        if not page.startswith("/reports/"):
            raise forms.ValidationError(_("This page has no document to prepare."))
        return page


def _fragment(request, build: DocumentBuild, status: int = 200):
    context = {"build": build, "fmt": build.format, "primary": build.format == "pdf"}
    return render(request, "reports/_build.html", context, status=status)


@login_required
@require_POST
def build_prepare(request):
    form = PrepareForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/_build_invalid.html", {"form": form}, status=400)
    page, fmt = form.cleaned_data["page"], form.cleaned_data["format"]
    build = services.request_document_build(actor=request.user, page=page, fmt=fmt)
    return _fragment(request, build) if is_htmx(request) else redirect(page)


@login_required
def build_status(request, build: int):
    return _fragment(request, get_object_or_404(DocumentBuild.objects.visible_to(request.user), pk=build))


@login_required
def build_download(request, build: int):
    ready = DocumentBuild.objects.visible_to(request.user).filter(state=DocumentBuild.State.READY)
    build = get_object_or_404(ready.exclude(file=""), pk=build)  # an older file is deleted when superseded
    builds.check_page(request.user, build.page)
    return FileResponse(build.file.open("rb"), as_attachment=True, filename=build.filename)
