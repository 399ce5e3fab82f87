from django.urls import path

from ungcuu.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/promote/", views.promote, name="promote"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
