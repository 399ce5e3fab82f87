"""Documents that take seconds to write (a long PDF with charts) are prepared in the background and offered
when ready, so the page answers at once and shows progress instead of hanging (issue 14).

A build is the file the page's own download link would answer, for the person who asked: the job asks
the document page (its view) for `?download=<format>` as that person, so the page's gate, its figures
and its renderer are the only ones there are. At download the page's gate is asked again (without
writing the file): a person who may no longer read the document gets what the page would answer, a 404
for what is hidden. A build belongs to its requester alone (`DocumentBuild.objects.visible_to`).

Which documents are slow is measured (bench/documents.py, docs/documents.md), not guessed: `BACKGROUND`.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from ungcuu.reports.models import DocumentBuild

logger = logging.getLogger(__name__)
State = DocumentBuild.State

# (document kind, format) written in the background: over 1 s warm at demo size on the 2-core machine
# (docs/documents.md); every other document and format answers its download link at once.
BACKGROUND = {("unit", "pdf"), ("province", "pdf"), ("province", "docx"), ("bulletin", "pdf")}
# The pages whose documents may be prepared (their views answer `document_response`).
PAGES = {"reports:unit_report", "reports:province_report", "reports:bulletin", "reports:periodic_detail"}
CHECK = "check"  # asked of a page by `check_page`: run the gate, render nothing


def in_background(kind: str, fmt: str) -> bool:
    return (kind, fmt) in BACKGROUND


def page_of(request) -> str:
    """The page a build is for: its path and query, without the download or prepare parameters."""
    query = request.GET.copy()
    for name in ("download", "export"):
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def latest_builds(user, page: str) -> dict[str, DocumentBuild]:
    """The person's last build of this page, per format (to show its state when the page is opened)."""
    rows = DocumentBuild.objects.visible_to(user).filter(page=page).order_by("format", "-created_at")
    latest: dict[str, DocumentBuild] = {}
    for build in rows[:20]:
        latest.setdefault(build.format, build)
    return latest


def run_build(build_id: int) -> str:
    """Write the file (the job's body): safe to run twice, a ready build is left as it is."""
    build = DocumentBuild.objects.select_related("requested_by").filter(pk=build_id).first()
    if build is None or build.state == State.READY:
        return build.state if build else "missing"
    DocumentBuild.objects.filter(pk=build.pk).update(state=State.RUNNING, started_at=timezone.now())
    try:
        response = ask_page(build.requested_by, build.page, download=build.format)
        content, filename = _attachment(response)
    except Exception:  # the person sees a message and a retry; the reason goes to the log
        logger.exception("document build %s failed", build.pk)
        DocumentBuild.objects.filter(pk=build.pk).update(state=State.FAILED, finished_at=timezone.now())
        return State.FAILED
    build.filename = filename
    build.file.save(filename, ContentFile(content), save=False)
    build.state, build.finished_at = State.READY, timezone.now()
    build.save(update_fields=["file", "filename", "state", "finished_at", "updated_at"])
    _forget_older(build)
    return State.READY


def _attachment(response: HttpResponse) -> tuple[bytes, str]:
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or 'filename="' not in disposition:
        raise ValueError(f"the page answered {response.status_code} without a file")
    return response.content, disposition.split('filename="', 1)[1].rstrip('"')


def _forget_older(build: DocumentBuild) -> None:
    """Only the newest file of a page and format is kept per person: older files are deleted. Their rows
    stay (a few bytes): the audit trail's downloads point at them and say which page was handed out."""
    older = DocumentBuild.objects.filter(
        requested_by=build.requested_by_id, page=build.page, format=build.format, pk__lt=build.pk
    ).exclude(file="")
    for row in older.exclude(state__in=[State.PENDING, State.RUNNING]):
        row.file.delete(save=True)


def check_page(user, page: str) -> None:
    """The page's own gate for `user` (Http404 / PermissionDenied as the page would answer)."""
    ask_page(user, page, mode=CHECK)


def ask_page(user, page: str, *, download: str = "", mode: str = "") -> HttpResponse:
    """The document page answered for `user`, as their browser would have asked for it."""
    path, _, query = page.partition("?")
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise Http404 from exc
    if match.view_name not in PAGES:
        raise Http404
    request = HttpRequest()
    request.method, request.path, request.path_info = "GET", path, path
    params = QueryDict(query, mutable=True)
    if download:
        params["download"] = download
    request.GET = params  # type: ignore[assignment]  # a mutable copy, as a view may read it
    request.user = user
    request.document_mode = mode  # type: ignore[attr-defined]  # read by responses.document_response
    return match.func(request, *match.args, **match.kwargs)
