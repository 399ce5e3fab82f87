"""`manage.py load_demo [--if-empty] [--seed N]`: the demo province that `make run` starts with."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from ungcuu.demo.advisories import build_demo as build_advisories_demo
from ungcuu.demo.generator import DEFAULT_SEED, DEMO_PASSWORD, DemoSummary, build_demo_province
from ungcuu.demo.incidents import build_demo_incidents
from ungcuu.demo.obligations import build_demo as build_obligations_demo
from ungcuu.demo.preparedness import build_demo as build_preparedness_demo
from ungcuu.demo.reports import build_demo as build_reports_demo
from ungcuu.demo.vulnerabilities import build_demo as build_vulnerabilities_demo
from ungcuu.organizations.models import Organization

# Each later app adds its demo on top of the province and its incidents, in this order.
APP_DEMOS = [
    build_preparedness_demo,
    build_vulnerabilities_demo,
    build_advisories_demo,
    build_reports_demo,
    build_obligations_demo,
]

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class Command(BaseCommand):
    help = "Create a realistic, deterministic demo province with a login for every role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any organization already exists."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--incidents", type=int, default=120, help="How many incidents over the last two years (0: none)."
        )

    def handle(self, *args, if_empty: bool, seed: int, incidents: int, **options):
        if not settings.DEMO:
            raise CommandError(
                "load_demo creates logins with a published password, among them the superuser 'admin'; "
                "it runs only in the local demo mode (UNGCUU_DEMO=1, as `make run` sets)."
            )
        # The demo's history is not delivered again: its notification jobs go to the in-memory dummy
        # backend (the rows are marked delivered), so the worker neither floods the queue nor the mailbox.
        with override_settings(TASKS=DUMMY_TASKS), transaction.atomic():
            if Organization.objects.exists():
                if if_empty:
                    self.stdout.write(
                        "Organizations already exist; the demo province was not loaded. Demo logins (if "
                        f"this is the demo): dieuphoi (coordinator), syte.quanly (unit manager); password "
                        f"{DEMO_PASSWORD}."
                    )
                    self._two_factor_hint()
                    return
                raise CommandError(
                    "The database already has organizations; use --if-empty or an empty database."
                )
            summary = build_demo_province(seed)
            if incidents:
                self.stdout.write(f"Generating {incidents} incidents over two years (takes a few seconds)…")
                build_demo_incidents(seed, count=incidents)
            for build_app_demo in APP_DEMOS:
                self.stdout.write(build_app_demo(seed))
        self.report(summary)

    def report(self, summary: DemoSummary) -> None:
        """The login table is what `make run` shows, so a new user can sign in straight away."""
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo province loaded: {summary.organizations} organizations, {summary.focal_points} focal "
                f"points, {summary.systems} information systems, {len(summary.logins)} logins."
            )
        )
        width = max(len(login.username) for login in summary.logins) + 2
        role_width = max(len(login.role) for login in summary.logins) + 2
        self.stdout.write(f"\n{'username':<{width}}{'role':<{role_width}}organization")
        for login in summary.logins:
            self.stdout.write(f"{login.username:<{width}}{login.role:<{role_width}}{login.organization}")
        self.stdout.write(f"\nPassword for every demo login: {DEMO_PASSWORD}")
        self._two_factor_hint()
        self.stdout.write(
            self.style.WARNING(
                "\nWARNING: this is a demo. Every login above, the superuser 'admin' included, has the "
                "published password. Never expose this instance to a network or load real data into it."
            )
        )

    def _two_factor_hint(self) -> None:
        if settings.TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Coordinators, national users and 'admin' enrol an authenticator app (TOTP) at their first "
                "sign-in; for a local look without a phone: UNGCUU_TWO_FACTOR_REQUIRED=false make run"
            )
