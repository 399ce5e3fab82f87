"""First-run set-up of a real province, and later its settings: one service for the page and the command.

What it stores wins over the deployment's env defaults (core.platform, core.bodies; docs/deployment.md):
the province's name, its public 24/7 intake contact (DOMAIN.md §g), the reference prefix, the mail
settings and the dated names of the bodies holding each role (DOMAIN.md §k). On the first run it also
creates the bodies' organizations and the coordinators' accounts; a coordinator's first sign-in leads to
two-factor enrolment (accounts.middleware, TWO_FACTOR_REQUIRED). Everything is checked before anything is
written, and all of it is written in one transaction.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungcuu.accounts.models import User
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import NO_REQUEST, RequestMeta, record_event
from ungcuu.core import bodies, platform
from ungcuu.core.models import BodyName
from ungcuu.core.names import split_full_name
from ungcuu.onboarding.invites import set_password_link
from ungcuu.organizations.forms import OrganizationForm
from ungcuu.organizations.models import Kind, Membership, Organization

# The roles whose bodies the province names (settings.BODY_NAMES keys), with what the page calls them.
ROLES = {
    "PROVINCE_PC": gettext_lazy("Provincial People's Committee"),
    "SPECIALISED_UNIT": gettext_lazy("Specialised unit"),
    "PROV_STEERING": gettext_lazy("Provincial steering committee"),
    "NATIONAL_COORDINATOR": gettext_lazy("National coordinator"),
    "STANDING_AGENCY": gettext_lazy("Standing agency"),
    "MINISTRY": gettext_lazy("Ministry"),
}
# Defaults a new province starts from when it names no body for these roles ({province} filled in).
PROVINCE_DEFAULTS = {
    "PROVINCE_PC": "Ủy ban nhân dân tỉnh {province}",
    "PROV_STEERING": "Ban Chỉ đạo ứng cứu sự cố an toàn thông tin mạng tỉnh {province}",
}
PREFIX = re.compile(r"[A-Z]{2,6}")
PHONE = re.compile(r"\+?[0-9][0-9 .()-]{6,24}")
HOST = re.compile(r"[A-Za-z0-9.-]{1,200}")
MAIL_FIELDS = ("default_from_email", "email_host", "email_port", "email_host_user", "email_use_tls")


@dataclass(frozen=True)
class BodyPeriod:
    """One body holding a role between two dates (either end open)."""

    role: str
    name: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclass(frozen=True)
class Coordinator:
    """A coordinator account to create; without a password the caller hands out a one-time link."""

    username: str
    email: str
    full_name: str
    password: str | None = None


@dataclass(frozen=True)
class SetupInput:
    """What the set-up page and `manage.py setup_province` give; blank mail fields keep the env defaults."""

    province_name: str
    intake_phone: str
    intake_email: str
    reference_prefix: str
    default_from_email: str = ""
    email_host: str = ""
    email_port: int | None = None
    email_host_user: str = ""
    email_use_tls: bool | None = None
    email_host_password: str | None = None  # None: keep the stored one
    clear_password: bool = False
    bodies: tuple[BodyPeriod, ...] = field(default_factory=tuple)


def setup_needed() -> bool:
    """A real deployment that nobody has set up yet: no stored set-up and no province data (the demo
    province counts as set up)."""
    return not platform.current().completed and not Organization.objects.exists()


def current_input() -> SetupInput:
    """What the page shows: the settings in force, the stored body periods (or today's names)."""
    now, row = platform.current(), platform.stored()
    order = list(ROLES)
    stored = sorted(
        (BodyPeriod(b.role, b.name, b.valid_from, b.valid_to) for b in BodyName.objects.all()),
        key=lambda p: (
            order.index(p.role) if p.role in order else len(order),
            p.valid_from or datetime.date.min,
        ),
    )
    periods = tuple(stored) or tuple(
        _first_run_period(role, name) for role, name in bodies.body_names().items() if role in ROLES
    )
    return SetupInput(
        province_name=now.province_name,
        intake_phone=now.intake_phone,
        intake_email=now.intake_email,
        reference_prefix=now.reference_prefix,
        default_from_email=row.default_from_email,
        email_host=row.email_host,
        email_port=row.email_port,
        email_host_user=row.email_host_user,
        email_use_tls=row.email_use_tls,
        bodies=periods,
    )


def _first_run_period(role: str, name: str) -> BodyPeriod:
    """Before anything is stored, the bodies named after the province start empty: the env default names
    the demo's province, and an empty name becomes "… tỉnh <the province given>" (PROVINCE_DEFAULTS)."""
    return BodyPeriod(role, "" if role in PROVINCE_DEFAULTS else name)


def check_setup(data: SetupInput, coordinators: tuple[Coordinator, ...] = ()) -> None:
    """Every problem at once, as a ValidationError keyed by field ("bodies", "coordinators" for rows)."""
    errors: dict[str, list[str]] = {}
    for name, problem in [*_settings_problems(data), *_body_problems(data.bodies)]:
        errors.setdefault(name, []).append(problem)
    for problem in _coordinator_problems(coordinators):
        errors.setdefault("coordinators", []).append(problem)
    if errors:
        raise ValidationError(errors)


def save_setup(
    *,
    actor: User | None,
    data: SetupInput,
    coordinators: tuple[Coordinator, ...] = (),
    site: str | None = None,
    request_meta: RequestMeta = NO_REQUEST,
) -> list[tuple[str, str | None]]:
    """Store the settings and body periods, create the bodies and coordinators: all or nothing.

    `actor` is the superuser on the page, or None for `manage.py setup_province` (the server's operator).
    Returns (username, one-time link or None when a password was given) per coordinator created.
    """
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser may change the platform's settings."))
    data = _normalised(data)
    check_setup(data, coordinators)
    with transaction.atomic():
        changed = _store_settings(data)
        changed += _store_bodies(data.bodies)
        unit = _ensure_bodies(data)
        accounts = [_create_coordinator(c, unit=unit) for c in coordinators]
        if changed:
            detail = _("Changed: %(fields)s") % {"fields": ", ".join(changed)}
            _audit(actor, AuditEvent.Action.PLATFORM_SETTINGS_CHANGED, detail, request_meta)
        for user in accounts:
            created = _("Coordinator account created at set-up")
            _audit(actor, AuditEvent.Action.PLATFORM_ROLE_CHANGED, created, request_meta, target=user)
    return [
        (u.username, None if c.password else set_password_link(u, site=site))
        for u, c in zip(accounts, coordinators, strict=True)
    ]


def _audit(
    actor: User | None, action: str, detail: str, meta: RequestMeta, target: User | None = None
) -> None:
    """The command has no signed-in actor: the trail names it instead."""
    name = "manage.py setup_province"
    record_event(actor=actor, action=action, target=target, detail=detail, actor_name=name, request_meta=meta)


# --- checks ------------------------------------------------------------------------------------------


def _normalised(data: SetupInput) -> SetupInput:
    return replace(
        data,
        province_name=data.province_name.strip(),
        intake_phone=" ".join(data.intake_phone.split()),
        intake_email=data.intake_email.strip(),
        reference_prefix=data.reference_prefix.strip().upper(),
        default_from_email=data.default_from_email.strip(),
        email_host=data.email_host.strip(),
        email_host_user=data.email_host_user.strip(),
        bodies=_with_province_bodies(
            tuple(
                replace(b, name=" ".join(b.name.split()))
                for b in data.bodies
                if b.name.strip() or b.valid_from or b.valid_to
            ),
            data.province_name.strip(),
        ),
    )


def _with_province_bodies(periods: tuple[BodyPeriod, ...], province: str) -> tuple[BodyPeriod, ...]:
    """A province's People's Committee and steering committee are named after it: when no period names
    them, they get "… tỉnh <province>" rather than the env default (which may name another province)."""
    named = {p.role for p in periods}
    derived = [
        BodyPeriod(role, template.format(province=province))
        for role, template in PROVINCE_DEFAULTS.items()
        if role not in named and province
    ]
    return (*periods, *derived)


def _settings_problems(data: SetupInput):
    if not data.province_name:
        yield "province_name", _("Give the province's name.")
    if not PREFIX.fullmatch(data.reference_prefix):
        yield "reference_prefix", _("The reference prefix is 2 to 6 letters A-Z, e.g. HN.")
    if not PHONE.fullmatch(data.intake_phone) or sum(ch.isdigit() for ch in data.intake_phone) < 8:
        yield "intake_phone", _("Give a phone number citizens can call at any hour, e.g. 0226 3 113 113.")
    for name in ("intake_email", "default_from_email"):
        value = getattr(data, name)
        if name == "intake_email" and not value:
            yield name, _("Give the e-mail address that receives reports at any hour.")
        elif value and not _is_email(value):
            yield name, _("This is not an e-mail address.")
    if data.email_host and not HOST.fullmatch(data.email_host):
        yield "email_host", _("Give the mail server's name, e.g. mail.hanam.gov.vn, without spaces.")
    if data.email_port is not None and not 0 < data.email_port < 65536:
        yield "email_port", _("A port is a number from 1 to 65535.")


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _body_problems(periods: tuple[BodyPeriod, ...]):
    by_role: dict[str, list[BodyPeriod]] = {}
    for period in periods:
        label = ROLES.get(period.role)
        if label is None:
            yield "bodies", _("Unknown role %(role)s.") % {"role": period.role}
            continue
        if not period.name:
            yield "bodies", _("%(role)s: give the body's name.") % {"role": label}
        elif period.valid_from and period.valid_to and period.valid_to < period.valid_from:
            yield (
                "bodies",
                _("%(role)s: %(name)s ends before it starts.") % {"role": label, "name": period.name},
            )
        else:
            by_role.setdefault(period.role, []).append(period)
    for role, rows in by_role.items():
        rows.sort(key=lambda p: p.valid_from or datetime.date.min)
        for before, after in zip(rows, rows[1:], strict=False):
            if before.valid_to is None or after.valid_from is None or before.valid_to >= after.valid_from:
                yield (
                    "bodies",
                    _("%(role)s: the periods of %(a)s and %(b)s overlap; one body holds a role on each day.")
                    % {"role": ROLES[role], "a": before.name, "b": after.name},
                )


def _coordinator_problems(coordinators: tuple[Coordinator, ...]):
    if not coordinators and not User.objects.filter(platform_role=User.PlatformRole.COORDINATOR).exists():
        yield _("Create at least one coordinator account: the province needs someone to run it.")
    seen: set[str] = set()
    for c in coordinators:
        if not (c.username and c.email and c.full_name):
            yield _("Each coordinator needs a username, an e-mail address and a full name.")
            continue
        if c.username.lower() in seen or User.objects.filter(username__iexact=c.username).exists():
            yield _("The username %(u)s is already taken.") % {"u": c.username}
        seen.add(c.username.lower())
        user = _new_user(c)
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
            if c.password:
                validate_password(c.password, user)
        except ValidationError as exc:
            yield f"{c.username}: {' '.join(exc.messages)}"


# --- writes ------------------------------------------------------------------------------------------


def _store_settings(data: SetupInput) -> list[str]:
    """Writes the row; returns the names of what changed (never a value: the password is among them)."""
    row = platform.stored()
    changed = []
    for name in ("province_name", "intake_phone", "intake_email", "reference_prefix", *MAIL_FIELDS):
        if getattr(row, name) != getattr(data, name):
            setattr(row, name, getattr(data, name))
            changed.append(name)
    password = "" if data.clear_password else data.email_host_password or row.email_host_password
    if password != row.email_host_password:
        row.email_host_password = password
        changed.append("email_host_password")
    if row.completed_at is None:
        row.completed_at = timezone.now()
        changed.append("completed_at")
    row.save()
    return changed


def _store_bodies(periods: tuple[BodyPeriod, ...]) -> list[str]:
    def key(p):
        return (p.role, p.name, p.valid_from, p.valid_to)

    stored = [BodyPeriod(b.role, b.name, b.valid_from, b.valid_to) for b in BodyName.objects.all()]
    if sorted(map(key, stored), key=str) == sorted(map(key, periods), key=str):
        return []
    BodyName.objects.all().delete()
    BodyName.objects.bulk_create(
        BodyName(role=p.role, name=p.name, valid_from=p.valid_from, valid_to=p.valid_to) for p in periods
    )
    return ["body_names"]


def _ensure_bodies(data: SetupInput) -> Organization:
    """The province's own bodies as organizations, created once (renames are dated names, not edits)."""
    names = bodies.body_names()
    pc = _organization("UBND-TINH", names["PROVINCE_PC"], Kind.PROVINCE_PC)
    _organization("BCD-TINH", names["PROV_STEERING"], Kind.PROV_STEERING, parent=pc.pk)
    return _organization(
        "DV-CHUYEN-TRACH",
        names["SPECIALISED_UNIT"],
        Kind.SPECIALISED_UNIT,
        parent=pc.pk,
        is_network_member=True,
        intake_phone=data.intake_phone,
        intake_email=data.intake_email,
    )


def _organization(code: str, name: str, kind: str, **fields_) -> Organization:
    """Through the form the organization page uses, so the same rules apply."""
    existing = Organization.objects.filter(kind=kind).order_by("pk").first()
    if existing is not None:
        return existing
    data = {**{f.name: f.value() for f in OrganizationForm()}, "is_active": True}
    data |= {"code": code, "name": name, "kind": kind, **fields_}
    form = OrganizationForm({k: ("" if v is None else v) for k, v in data.items()})
    if not form.is_valid():
        raise ValidationError({"bodies": [f"{name}: {form.errors.as_text()}"]})
    return form.save()


def _new_user(c: Coordinator) -> User:
    family, given = split_full_name(c.full_name)  # Vietnamese order: family name first (core.names)
    return User(
        username=c.username,
        email=c.email,
        first_name=given,
        last_name=family,
        platform_role=User.PlatformRole.COORDINATOR,
    )


def _create_coordinator(c: Coordinator, *, unit: Organization) -> User:
    user = _new_user(c)
    if c.password:
        user.set_password(c.password)
    else:
        user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization=unit, role=Membership.Role.MANAGER)
    return user
