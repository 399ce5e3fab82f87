# Included by ungcuu/urls.py under the "core" namespace, together with the dashboard (ungcuu/home/urls.py).
from django.urls import path

from ungcuu.core import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
