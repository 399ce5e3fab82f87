from django.urls import path

from ungcuu.intel import views

app_name = "intel"

urlpatterns = [
    path("incidents/<int:incident_pk>/stix.json", views.incident_stix, name="incident_stix"),
    path("incidents/<int:incident_pk>/misp.json", views.incident_misp, name="incident_misp"),
    path("incidents/<int:incident_pk>/import/", views.incident_import, name="incident_import"),
    path("advisories/<int:advisory_pk>/stix.json", views.advisory_stix, name="advisory_stix"),
    path("advisories/<int:advisory_pk>/misp.json", views.advisory_misp, name="advisory_misp"),
    path("advisories/<int:advisory_pk>/import/", views.advisory_import, name="advisory_import"),
]
