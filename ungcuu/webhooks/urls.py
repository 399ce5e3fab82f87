from django.urls import path

from ungcuu.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("<int:pk>/rotate/", views.subscription_rotate, name="rotate"),
    path("<int:pk>/resend/", views.delivery_resend, name="resend"),
]
