"""One view serves the full page or its HTMX fragment (STYLE rule 8)."""

from django.shortcuts import render


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_fragment(request, page: str, fragment: str, context: dict, status: int = 200):
    return render(request, fragment if is_htmx(request) else page, context, status=status)
