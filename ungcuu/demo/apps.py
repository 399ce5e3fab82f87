from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ungcuu.demo"
    label = "demo"
