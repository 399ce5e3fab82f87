from django.urls import path

from ungcuu.evidence import views

app_name = "evidence"

urlpatterns = [
    path("incident/<int:incident_pk>/", views.incident_evidence, name="incident"),
    path("incident/<int:incident_pk>/upload/", views.evidence_upload, name="upload"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/custody/", views.custody_add, name="custody_add"),
    path("<int:pk>/download/", views.evidence_download, name="download"),
]
