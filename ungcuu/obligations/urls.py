from django.urls import path

from ungcuu.obligations import views

app_name = "obligations"

urlpatterns = [
    path("", views.calendar_page, name="index"),
    path("<int:pk>/", views.occurrence_detail, name="occurrence"),
    path("<int:pk>/file/", views.occurrence_file, name="file"),
    path("<int:pk>/done/", views.occurrence_done, name="done"),
    path("<int:pk>/waive/", views.occurrence_waive, name="waive"),
    path("compliance/", views.compliance_board, name="compliance"),
    path("definitions/", views.definitions, name="definitions"),
    path("ical/regenerate/", views.ical_regenerate, name="ical_regenerate"),
    path("ical/revoke/", views.ical_revoke, name="ical_revoke"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
]
