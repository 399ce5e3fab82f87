"""The health check, the one page `core` serves itself (the dashboard is in ungcuu/home)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ungcuu.core import health


@never_cache
@require_GET
def healthz(request):
    """For monitoring, without login: 200 when the database, queue and scheduler are fine, else 503."""
    report = health.check()
    return JsonResponse(health.as_json(report), status=200 if report.healthy else 503)
