from django.apps import AppConfig

from ungcuu.core import schedule


class VulnerabilitiesConfig(AppConfig):
    name = "ungcuu.vulnerabilities"
    label = "vulnerabilities"

    def ready(self) -> None:
        schedule.register(
            "vulnerabilities: expire accepted risks",
            3600,
            "ungcuu.vulnerabilities.jobs.expire_due_risk_acceptances",
        )
