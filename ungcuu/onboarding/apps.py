from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "ungcuu.onboarding"
    label = "onboarding"
