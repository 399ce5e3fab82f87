from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ungcuu.organizations"
    label = "organizations"
