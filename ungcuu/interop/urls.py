from django.urls import path

from ungcuu.interop import views

app_name = "interop"

urlpatterns = [
    path("mail/", views.inbound_list, name="inbound_list"),
]
