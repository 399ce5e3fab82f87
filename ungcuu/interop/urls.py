from django.urls import path

from ungcuu.interop import views

app_name = "interop"

urlpatterns = [
    path("mail/", views.inbound_list, name="inbound_list"),
    path("mail/<int:pk>/release/", views.inbound_decide, {"action": "release"}, name="inbound_release"),
    path("mail/<int:pk>/discard/", views.inbound_decide, {"action": "discard"}, name="inbound_discard"),
]
