from django.urls import path

from ungcuu.advisories import indicator_views, views

app_name = "advisories"

urlpatterns = [
    path("", views.advisory_list, name="index"),
    path("new/", views.advisory_create, name="create"),
    path("matrix/", views.matrix, name="matrix"),
    path("<int:pk>/", views.advisory_detail, name="detail"),
    path("<int:pk>/edit/", views.advisory_edit, name="edit"),
    path("<int:pk>/targets/", views.advisory_targets, name="targets"),
    path("<int:pk>/publish/", views.advisory_publish, name="publish"),
    path("<int:pk>/close/", views.advisory_close, name="close"),
    path("<int:pk>/dispatch.docx", views.advisory_dispatch, name="dispatch"),
    path("<int:pk>/indicators/", indicator_views.advisory_indicator_add, name="indicator_add"),
    path(
        "<int:pk>/indicators/<int:indicator>/remove/",
        indicator_views.advisory_indicator_remove,
        name="indicator_remove",
    ),
    path("targets/<int:target>/acknowledge/", views.target_acknowledge, name="acknowledge"),
    path("states/<int:state>/", views.state_update, name="state"),
    path("indicators/", indicator_views.indicator_search, name="indicators"),
    path(
        "incidents/<int:incident_pk>/indicators/",
        indicator_views.incident_indicators,
        name="incident_indicators",
    ),
    path(
        "incidents/<int:incident_pk>/indicators/add/",
        indicator_views.incident_indicator_add,
        name="incident_indicator_add",
    ),
    path(
        "incidents/<int:incident_pk>/indicators/<int:indicator>/remove/",
        indicator_views.incident_indicator_remove,
        name="incident_indicator_remove",
    ),
]
