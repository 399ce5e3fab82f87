from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ungcuu.accounts"
    label = "accounts"
