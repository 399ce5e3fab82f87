"""The REST API under /api/v1/ and its OpenAPI schema/docs (served from local assets)."""

from django.conf import settings
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ungcuu.accounts import api as accounts_api
from ungcuu.accounts.api import obtain_token
from ungcuu.advisories import api as advisories_api
from ungcuu.alerts import api as alerts_api
from ungcuu.audit import api as audit_api
from ungcuu.coordination import api as coordination_api
from ungcuu.evidence import api as evidence_api
from ungcuu.incidents import api as incidents_api
from ungcuu.intel import api as intel_api
from ungcuu.interop import api as interop_api
from ungcuu.notifications import api as notifications_api
from ungcuu.obligations import api as obligations_api
from ungcuu.onboarding import api as onboarding_api
from ungcuu.organizations import api as organizations_api
from ungcuu.preparedness import api as preparedness_api
from ungcuu.reports import api as reports_api
from ungcuu.systems import api as systems_api
from ungcuu.vulnerabilities import api as vulnerabilities_api
from ungcuu.webhooks import api as webhooks_api


# No `.json` suffix routes: every action takes one representation, and suffixes only add URLs to guard.
# Without suffixes a dot need not end the id, so `/incidents/0.5/` reaches the viewset and gets the API's
# JSON 404 instead of the site's HTML page.
class Router(DefaultRouter):
    include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        regex = getattr(viewset, "lookup_value_regex", "[^/]+")
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{regex})"


# Every app declares its routes in `<app>/api.py` as ROUTES, (prefix, viewset, basename) tuples; this is
# the only place they are registered. The order is the API root's listing order.
APP_APIS = (
    organizations_api,
    systems_api,
    incidents_api,
    coordination_api,
    evidence_api,
    preparedness_api,
    obligations_api,
    vulnerabilities_api,
    advisories_api,
    reports_api,
    alerts_api,
    notifications_api,
    accounts_api,
    webhooks_api,
    intel_api,
    onboarding_api,
    audit_api,
    interop_api,
)

router = Router()
for app_api in APP_APIS:
    for prefix, viewset, basename in app_api.ROUTES:
        router.register(prefix, viewset, basename=basename)

# The API docs pages hold no data. Their script is served as files (the split Swagger view, our Redoc
# page), but Swagger UI and Redoc style their widgets with inline styles, so only these two pages allow
# them (a nonce would disable 'unsafe-inline', hence a policy of their own).
docs_csp = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", obtain_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path(
        "redoc/",
        docs_csp(SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")),
        name="api-redoc",
    ),
]
