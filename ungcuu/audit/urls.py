from django.urls import path

from ungcuu.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_index, name="index"),
    path("export.csv", views.audit_export, name="export"),
]
