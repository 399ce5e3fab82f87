"""`manage.py setup_province`: first run of a real province on an empty database (no demo data).

The same service as the set-up page (onboarding.setup.save_setup): the province's name, the bodies
holding each role (dated names, DOMAIN.md §k), the public 24/7 intake contact, the reference prefix and
the mail settings are stored in the database, where they win over the env defaults and take effect at
once; the bodies become organizations and each coordinator gets an account and a one-time link. Only the
public address (SITE_URL), which the server needs before any page is shown, goes to the env file.
"""

from __future__ import annotations

import getpass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ungcuu.onboarding.setup import BodyPeriod, Coordinator, SetupInput, save_setup
from ungcuu.organizations.models import Organization

# (option, role or None, question, default) — defaults follow the 2025 reorganisation (DOMAIN.md §k).
NAMES = [
    ("province", None, "Province name", None),
    ("province_pc_name", "PROVINCE_PC", "Provincial People's Committee", "Ủy ban nhân dân tỉnh {province}"),
    ("specialised_unit_name", "SPECIALISED_UNIT", "Specialised unit", "Sở Khoa học và Công nghệ"),
    (
        "steering_name",
        "PROV_STEERING",
        "Steering committee",
        "Ban Chỉ đạo ứng cứu sự cố an toàn thông tin mạng tỉnh {province}",
    ),
    ("standing_agency_name", "STANDING_AGENCY", "Standing agency", "Bộ Công an (Cục A05)"),
    ("reference_prefix", None, "Incident reference prefix (2-6 capitals)", None),
]
# Optional; the mail password is never asked here: set it on the set-up page or in the environment.
OPTIONAL = [
    ("site_url", "Public address, e.g. https://ungcuu.hanam.gov.vn"),
    ("email_host", "Mail server (empty: the deployment's default, the console)"),
    ("email_port", "Mail server port"),
    ("email_host_user", "Mail account"),
    ("default_from_email", "Sender address"),
]
CONTACT = [("hotline", "24/7 intake phone", None), ("intake_email", "24/7 intake e-mail", None)]


class Command(BaseCommand):
    help = "Set up a real province on an empty database: names, bodies, 24/7 contact, coordinators."

    def add_arguments(self, parser):
        for option, _role, question, _default in NAMES:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        for option, question in OPTIONAL:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        for option, question, _default in CONTACT:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        parser.add_argument("--email-use-tls", action="store_true", help="send mail with STARTTLS")
        parser.add_argument(
            "--coordinator",
            action="append",
            default=[],
            metavar="USERNAME,EMAIL,FULL NAME",
            help="a coordinator account (repeat for more); each gets a one-time link to set a password",
        )
        parser.add_argument("--env-file", default=str(settings.PROVINCE_ENV_FILE))
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, **options):
        if Organization.objects.exists():
            raise CommandError(
                "The database already has organizations (the demo province?). setup_province starts a real "
                "province on an empty database: point DATABASE_URL at a new one, then migrate. Later "
                "changes are made on the set-up page (/onboarding/setup/)."
            )
        self.interactive = options["interactive"]
        values = {option: self._value(options, option, q, d) for option, _r, q, d in NAMES}
        contact = {option: self._value(options, option, q, d) for option, q, d in CONTACT}
        optional = {option: self._optional(options, option, q) for option, q in OPTIONAL}
        coordinators = tuple(self._coordinator(spec) for spec in options["coordinator"])
        data = self._input(values, contact, optional, tls=options["email_use_tls"])
        try:
            links = save_setup(
                actor=None,
                data=data,
                coordinators=coordinators or self._ask_coordinators(),
                site=optional["site_url"] or None,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if optional["site_url"]:
            self._write_env(options["env_file"], optional["site_url"])
        self.stdout.write("Province set up; its settings are stored in the database and apply at once.")
        for username, link in links:
            self.stdout.write(f"{username}: {link or 'password set'}")

    def _input(self, values: dict, contact: dict, optional: dict, *, tls: bool) -> SetupInput:
        port = optional["email_port"]
        if port and not port.isdigit():
            raise CommandError("--email-port is a number, e.g. 587.")
        return SetupInput(
            province_name=values["province"],
            intake_phone=contact["hotline"],
            intake_email=contact["intake_email"],
            reference_prefix=values["reference_prefix"],
            default_from_email=optional["default_from_email"],
            email_host=optional["email_host"],
            email_port=int(port) if port else None,
            email_host_user=optional["email_host_user"],
            email_use_tls=tls if optional["email_host"] else None,
            bodies=tuple(BodyPeriod(role, values[option]) for option, role, _q, _d in NAMES if role),
        )

    def _value(self, options, option, question, default):
        value = options.get(option)
        if default:
            default = default.format(province=options.get("province") or "")
        if not value and self.interactive:
            value = input(f"{question}{f' [{default}]' if default else ''}: ").strip() or default
        value = value or default
        if not value:
            raise CommandError(f"--{option.replace('_', '-')} is required.")
        options[option] = value
        return value

    def _optional(self, options, option, question) -> str:
        value = options.get(option) or ""
        if not value and self.interactive:
            value = input(f"{question} [-]: ").strip()
        return value

    def _coordinator(self, spec: str) -> Coordinator:
        parts = [p.strip() for p in spec.split(",", 2)]
        if len(parts) != 3 or not all(parts):
            raise CommandError(f"--coordinator {spec!r}: write USERNAME,EMAIL,FULL NAME.")
        return Coordinator(*parts)

    def _ask_coordinators(self) -> tuple[Coordinator, ...]:
        out: list[Coordinator] = []
        while self.interactive:
            username = input("Coordinator username (empty to finish): ").strip()
            if not username:
                break
            email, name = input("  e-mail: ").strip(), input("  full name: ").strip()
            password = getpass.getpass("  password (empty: print a one-time link instead): ") or None
            out.append(Coordinator(username, email, name, password))
        return tuple(out)

    def _write_env(self, path: str, site_url: str) -> None:
        lines = [
            "# Written by manage.py setup_province; names, contact and mail are in the database.",
            f"SITE_URL={site_url}",
        ]
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        self.stdout.write(f"SITE_URL written to {path} (restart the server to use it).")
