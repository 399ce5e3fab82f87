from django.urls import path

from ungcuu.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/focal-points/", views.focal_point_add, name="focal_point_add"),
    path("<int:pk>/focal-points/<int:fp>/", views.focal_point_edit, name="focal_point_edit"),
    path(
        "<int:pk>/focal-points/<int:fp>/deactivate/",
        views.focal_point_deactivate,
        name="focal_point_deactivate",
    ),
    path("<int:pk>/staff/", views.staff_line_add, name="staff_line_add"),
    path("<int:pk>/staff/<int:line>/", views.staff_line_edit, name="staff_line_edit"),
    path("<int:pk>/staff/<int:line>/remove/", views.staff_line_remove, name="staff_line_remove"),
]
