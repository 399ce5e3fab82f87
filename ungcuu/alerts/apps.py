from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "ungcuu.alerts"
    label = "alerts"
    verbose_name = "Monitoring alerts"
