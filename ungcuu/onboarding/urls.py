from django.urls import path

from ungcuu.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("setup/", views.setup_page, name="setup"),
    path("import/", views.import_start, name="import"),
    path("import/apply/", views.import_apply, name="apply"),
    path("invite/", views.invite, name="invite"),
    path("template.xlsx", views.template_download, name="template"),
    path("export/", views.export, name="export"),
]
