from django.urls import path

from ungcuu.vulnerabilities import views

app_name = "vulnerabilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.scan_upload, name="upload"),
    path("scans/<int:scan>/", views.scan_detail, name="scan"),
    path("hosts/<int:host>/assign/", views.host_assign, name="assign_host"),
    path("findings/", views.findings, name="findings"),
    path("findings/export/", views.findings_export, name="export"),
    path("findings/organization/<int:org>/", views.organization_findings, name="organization_findings"),
    path("findings/system/<int:system>/", views.system_findings, name="system_findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/accept-risk/", views.finding_accept_risk, name="accept_risk"),
    path("findings/<int:pk>/false-positive/", views.finding_false_positive, name="false_positive"),
    path("findings/<int:pk>/reopen/", views.finding_reopen, name="reopen"),
    path("findings/<int:pk>/owner/", views.finding_owner, name="owner"),
]
