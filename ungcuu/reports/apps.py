from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ungcuu.reports"
    label = "reports"
