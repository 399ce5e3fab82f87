from django.apps import AppConfig


class VulnerabilitiesConfig(AppConfig):
    name = "ungcuu.vulnerabilities"
    label = "vulnerabilities"
