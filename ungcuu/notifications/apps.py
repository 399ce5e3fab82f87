from django.apps import AppConfig

from ungcuu.core import schedule


class NotificationsConfig(AppConfig):
    name = "ungcuu.notifications"
    label = "notifications"

    def ready(self) -> None:
        schedule.register("retry due notifications", 60, "ungcuu.notifications.delivery.retry_due")
