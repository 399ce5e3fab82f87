from django.contrib import admin
from django.urls import include, path

from ungcuu.core.urls import urlpatterns as core_pages
from ungcuu.federation import views as federation_views
from ungcuu.home.urls import urlpatterns as home_pages
from ungcuu.incidents import views as incident_views

urlpatterns = [
    # The dashboard (ungcuu/home) and the health check (ungcuu/core) keep their namespace "core" (core:home).
    path("", include((home_pages + core_pages, "core"))),
    path("report/", incident_views.public_report, name="public_report"),
    path("report/thanks/", incident_views.public_report_thanks, name="public_report_thanks"),
    path("accounts/", include("ungcuu.accounts.urls")),
    path("organizations/", include("ungcuu.organizations.urls")),
    path("systems/", include("ungcuu.systems.urls")),
    path("incidents/", include("ungcuu.incidents.urls")),
    path("coordination/", include("ungcuu.coordination.urls")),
    path("evidence/", include("ungcuu.evidence.urls")),
    path("notifications/", include("ungcuu.notifications.urls")),
    path("preparedness/", include("ungcuu.preparedness.urls")),
    path("obligations/", include("ungcuu.obligations.urls")),
    path("vulnerabilities/", include("ungcuu.vulnerabilities.urls")),
    path("advisories/", include("ungcuu.advisories.urls")),
    path("reports/", include("ungcuu.reports.urls")),
    path("audit/", include("ungcuu.audit.urls")),
    path("interop/", include("ungcuu.interop.urls")),
    path("alerts/", include("ungcuu.alerts.urls")),
    path("webhooks/", include("ungcuu.webhooks.urls")),
    path("intel/", include("ungcuu.intel.urls")),
    path("taxii2/", include("ungcuu.intel.taxii_urls")),
    path("onboarding/", include("ungcuu.onboarding.urls")),
    path("federation/", include("ungcuu.federation.urls")),
    # Peers' signed messages (machine to machine, HMAC, not the REST API's token auth or schema).
    path("api/federation/v1/messages/", federation_views.receive, name="federation_receive"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("ungcuu.api.urls")),
    path("admin/", admin.site.urls),
]
