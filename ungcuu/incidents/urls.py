from django.urls import path

from ungcuu.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.report_form03, name="report"),
    path("bulk/", views.bulk, name="bulk"),
    path("teams/<int:org_pk>/", views.team_work, name="team_work"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/received/", views.report_received, name="received"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/classify/", views.classify, name="classify"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/entries/", views.add_entry, name="add_entry"),
    path("<int:pk>/tasks/", views.add_task, name="add_task"),
    path("<int:pk>/tasks/<int:task>/done/", views.complete_task, name="complete_task"),
    path("<int:pk>/tasks/<int:task>/cancel/", views.cancel_task, name="cancel_task"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/closing-report/", views.closing_report, name="closing_report"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/take/", views.take_handling, name="take"),
    path("<int:pk>/support/", views.request_support, name="request_support"),
]
