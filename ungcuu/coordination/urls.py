from django.urls import path

from ungcuu.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/<int:incident_pk>/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/acknowledge/", views.request_acknowledge, name="acknowledge"),
    path("<int:pk>/answer/", views.request_answer, name="answer"),
    path("<int:pk>/decline/", views.request_decline, name="decline"),
    path("<int:pk>/complete/", views.request_complete, name="complete"),
    path("<int:pk>/cancel/", views.request_cancel, name="cancel"),
]
