"""The REST API under /api/v1/ and its OpenAPI schema/docs (served from local assets)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from ungcuu.accounts.api import obtain_token
from ungcuu.advisories import api as advisories_api
from ungcuu.coordination.api import CoordinationRequestViewSet
from ungcuu.evidence.api import EvidenceViewSet
from ungcuu.incidents.api import IncidentViewSet
from ungcuu.obligations import api as obligations_api
from ungcuu.organizations.api import FocalPointViewSet, OrganizationViewSet
from ungcuu.preparedness import api as preparedness_api
from ungcuu.reports import api as reports_api
from ungcuu.systems.api import InformationSystemViewSet
from ungcuu.vulnerabilities import api as vulnerabilities_api


# No `.json` suffix routes: every action takes one representation, and suffixes only add URLs to guard.
class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("focal-points", FocalPointViewSet, basename="focalpoint")
router.register("systems", InformationSystemViewSet, basename="system")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("coordination-requests", CoordinationRequestViewSet, basename="coordinationrequest")
router.register("evidence", EvidenceViewSet, basename="evidence")

# Apps that grew later declare their routes in `<app>/api.py` as ROUTES; registered here in one loop.
for app_api in (preparedness_api, obligations_api, vulnerabilities_api, advisories_api, reports_api):
    for prefix, viewset, basename in app_api.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", obtain_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
