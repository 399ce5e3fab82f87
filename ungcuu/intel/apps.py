from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "ungcuu.intel"
    label = "intel"
    verbose_name = "Threat-intelligence exchange"
