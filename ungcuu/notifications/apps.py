from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ungcuu.notifications"
    label = "notifications"
