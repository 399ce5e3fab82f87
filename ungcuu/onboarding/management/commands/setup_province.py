"""`manage.py setup_province`: first run of a real province on an empty database (no demo data).

The province's names go to an env file (settings.PROVINCE_ENV_FILE, read by settings.py at start): every
page, letterhead and report already reads them from settings, and the environment stays the one source of
configuration (STYLE §11). The bodies themselves become organizations, the public 24/7 intake contact is the
specialised unit's intake contact (form 01), and each coordinator gets an account and a one-time link.
"""

from __future__ import annotations

import getpass
import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ungcuu.accounts.models import User
from ungcuu.core.names import split_full_name
from ungcuu.onboarding.invites import set_password_link
from ungcuu.organizations.forms import OrganizationForm
from ungcuu.organizations.models import Kind, Membership, Organization

# (option, env variable, question, default) — defaults follow the 2025 reorganisation (DOMAIN.md §k).
NAMES = [
    ("province", "UNGCUU_PROVINCE_NAME", "Province name", None),
    (
        "province_pc_name",
        "UNGCUU_PROVINCE_PC_NAME",
        "Provincial People's Committee",
        "Ủy ban nhân dân tỉnh {province}",
    ),
    ("specialised_unit_name", "UNGCUU_SPECIALISED_UNIT_NAME", "Specialised unit", "Sở Khoa học và Công nghệ"),
    (
        "steering_name",
        "UNGCUU_PROV_STEERING_NAME",
        "Steering committee",
        "Ban Chỉ đạo ứng cứu sự cố an toàn thông tin mạng tỉnh {province}",
    ),
    ("standing_agency_name", "UNGCUU_STANDING_AGENCY_NAME", "Standing agency", "Bộ Công an (Cục A05)"),
    ("reference_prefix", "UNGCUU_REFERENCE_PREFIX", "Incident reference prefix (2-6 capitals)", None),
]
# Written only when given; the mail password stays in the service's real environment, never in a file.
OPTIONAL = [
    ("site_url", "SITE_URL", "Public address, e.g. https://ungcuu.hanam.gov.vn"),
    ("email_host", "EMAIL_HOST", "Mail server (empty: mail is printed to the console)"),
    ("email_port", "EMAIL_PORT", "Mail server port"),
    ("email_host_user", "EMAIL_HOST_USER", "Mail account"),
    ("default_from_email", "DEFAULT_FROM_EMAIL", "Sender address"),
]
CONTACT = [("hotline", "24/7 intake phone", None), ("intake_email", "24/7 intake e-mail", None)]


class Command(BaseCommand):
    help = "Set up a real province on an empty database: names, bodies, 24/7 contact, coordinators."

    def add_arguments(self, parser):
        for option, _env, question, _default in NAMES:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        for option, _env, question in OPTIONAL:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        for option, question, _default in CONTACT:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
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
                "province on an empty database: point DATABASE_URL at a new one, then migrate."
            )
        self.interactive = options["interactive"]
        values = {option: self._value(options, option, q, d) for option, _e, q, d in NAMES}
        contact = {option: self._value(options, option, q, d) for option, q, d in CONTACT}
        optional = {env: self._optional(options, option, q) for option, env, q in OPTIONAL}
        values["reference_prefix"] = values["reference_prefix"].upper()
        if not re.fullmatch(r"[A-Z]{2,6}", values["reference_prefix"]):
            raise CommandError("The reference prefix is 2 to 6 capital letters, e.g. HN.")
        coordinators = [
            self._coordinator(spec) for spec in options["coordinator"]
        ] or self._ask_coordinators()
        if not coordinators:
            raise CommandError("Give at least one --coordinator USERNAME,EMAIL,FULL NAME.")
        with transaction.atomic():
            unit = self._bodies(values, contact)
            links = [self._account(unit, *c, site=optional["SITE_URL"]) for c in coordinators]
        self._write_env(options["env_file"], values, optional)
        self.stdout.write(
            f"Province names written to {options['env_file']} (restart the server to use them)."
        )
        for username, link in links:
            self.stdout.write(f"{username}: {link or 'password set'}")

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

    def _coordinator(self, spec: str) -> tuple[str, str, str, str | None]:
        parts = [p.strip() for p in spec.split(",", 2)]
        if len(parts) != 3 or not all(parts):
            raise CommandError(f"--coordinator {spec!r}: write USERNAME,EMAIL,FULL NAME.")
        return parts[0], parts[1], parts[2], None

    def _ask_coordinators(self) -> list[tuple[str, str, str, str | None]]:
        out: list[tuple[str, str, str, str | None]] = []
        while self.interactive:
            username = input("Coordinator username (empty to finish): ").strip()
            if not username:
                break
            email, name = input("  e-mail: ").strip(), input("  full name: ").strip()
            password = getpass.getpass("  password (empty: print a one-time link instead): ") or None
            out.append((username, email, name, password))
        return out

    def _bodies(self, values: dict, contact: dict) -> Organization:
        pc = self._organization(code="UBND-TINH", name=values["province_pc_name"], kind=Kind.PROVINCE_PC)
        self._organization(
            code="BCD-TINH", name=values["steering_name"], kind=Kind.PROV_STEERING, parent=pc.pk
        )
        return self._organization(
            code="DV-CHUYEN-TRACH",
            name=values["specialised_unit_name"],
            kind=Kind.SPECIALISED_UNIT,
            parent=pc.pk,
            is_network_member=True,
            intake_phone=contact["hotline"],
            intake_email=contact["intake_email"],
        )

    def _organization(self, **fields) -> Organization:
        """Through the form the organization page uses, so the same rules apply."""
        data = {**{f.name: f.value() for f in OrganizationForm()}, "is_active": True, **fields}
        data = {k: ("" if v is None else v) for k, v in data.items()}
        form = OrganizationForm(data)
        if not form.is_valid():
            raise CommandError(f"{fields['name']}: {form.errors.as_text()}")
        return form.save()

    def _account(self, unit: Organization, username, email, full_name, password, *, site: str):
        family, given = split_full_name(full_name)  # Vietnamese order (core.names)
        user = User(
            username=username,
            email=email,
            first_name=given,
            last_name=family,
            platform_role=User.PlatformRole.COORDINATOR,
        )
        try:
            if password:
                validate_password(password, user)
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError(f"{username}: {' '.join(exc.messages)}") from exc
        user.save()
        Membership.objects.create(user=user, organization=unit, role=Membership.Role.MANAGER)
        return username, None if password else set_password_link(user, site=site or None)

    def _write_env(self, path: str, values: dict, optional: dict) -> None:
        lines = ["# Written by manage.py setup_province; edit and restart to rename a body (DOMAIN.md §k)."]
        lines += [f"{env}={values[option]}" for option, env, _q, _d in NAMES]
        lines += [f"{env}={value}" for env, value in optional.items() if value]
        if optional["EMAIL_HOST"]:
            lines.append("EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend")
            lines.append("# EMAIL_HOST_PASSWORD: set it in the service's environment, not in this file.")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
