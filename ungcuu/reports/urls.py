from django.urls import path

from ungcuu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("form05/", views.form05, name="form05"),
    path("unit/", views.unit_report, name="unit_report"),
    path("province/", views.province_report, name="province_report"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("forms/01/<int:org_pk>/", views.form01, name="form01"),
    path("forms/02/<int:org_pk>/", views.form02, name="form02"),
    path("forms/03/<int:incident_pk>/", views.form03, name="form03"),
    path("forms/04/<int:incident_pk>/", views.form04, name="form04"),
    path("periodic/", views.periodic_list, name="periodic_list"),
    path("periodic/new/", views.periodic_create, name="periodic_create"),
    path("periodic/<int:pk>/", views.periodic_detail, name="periodic_detail"),
    path("periodic/<int:pk>/edit/", views.periodic_edit, name="periodic_edit"),
    path("periodic/<int:pk>/submit/", views.periodic_submit, name="periodic_submit"),
    path("periodic/<int:pk>/accept/", views.periodic_accept, name="periodic_accept"),
    path("periodic/<int:pk>/return/", views.periodic_return, name="periodic_return"),
    path("consolidation/", views.consolidation, name="consolidation"),
    path("damage/<int:incident_pk>/", views.damage, name="damage"),
    path("statistics/", views.statistics, name="statistics"),
    path("builds/", views.build_prepare, name="build_prepare"),
    path("builds/<int:build>/", views.build_status, name="build"),
    path("builds/<int:build>/download/", views.build_download, name="build_download"),
]
