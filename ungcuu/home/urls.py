from django.urls import path

from ungcuu.home import views

# Included by ungcuu/urls.py under the "core" namespace (with core's health check), so `core:home` is kept.
urlpatterns = [path("", views.home, name="home")]
