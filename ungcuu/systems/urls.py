from django.urls import path

from ungcuu.systems import views

app_name = "systems"

urlpatterns = [
    path("", views.system_list, name="list"),
    path("new/", views.system_create, name="create"),
    path("<int:pk>/", views.system_detail, name="detail"),
    path("<int:pk>/edit/", views.system_edit, name="edit"),
    path("<int:pk>/appraise/", views.system_appraise, name="appraise"),
    path("<int:pk>/approve/", views.system_approve, name="approve"),
    path("<int:pk>/return/", views.system_return, name="return"),
]
