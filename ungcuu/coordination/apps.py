from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "ungcuu.coordination"
    label = "coordination"
