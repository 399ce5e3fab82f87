from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "ungcuu.obligations"
    label = "obligations"
