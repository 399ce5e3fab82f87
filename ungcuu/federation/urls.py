from django.urls import path

from ungcuu.federation import views

app_name = "federation"

urlpatterns = [
    path("", views.index, name="index"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
    path("statistics/", views.send_statistics, name="statistics"),
    path("inbox/", views.inbox, name="inbox_all"),
    path("inbox/<slug:code>/", views.inbox, name="inbox"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
    path("incidents/<int:pk>/status/", views.incident_status, name="incident_status"),
    path("incidents/<int:pk>/request/", views.incident_request, name="incident_request"),
    path("advisory/", views.advisory, name="advisory"),
    path("share/<int:incident_pk>/", views.share_evidence, name="share"),
    # The national instance's own pages: form 05 received, per province and period, and national totals.
    path("form05/", views.received, name="received"),
    path("form05/<slug:code>/<str:period>/", views.received_form05, name="received_form05"),
    path("totals/", views.national_totals, name="totals_latest"),
    path("totals/<str:period>/", views.national_totals, name="totals"),
]
