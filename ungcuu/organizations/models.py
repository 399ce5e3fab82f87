"""Organizations of the network, their focal points, and who belongs to which: the tenancy boundary."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ungcuu.core import names, taxonomy
from ungcuu.core.bodies import stored_body_name
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.text import fold_many

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{1,39}$",
    _("Use 2-40 capital letters, digits, dot, dash or underscore, e.g. SO-KHCN."),
)
pgp_validator = RegexValidator(
    r"^(?:[0-9A-Fa-f]{4}\s?){10}$", _("A PGP fingerprint is 40 hexadecimal digits (spaces allowed).")
)


class Kind(models.TextChoices):
    """Organization types; codes are the role codes of taxonomy.json (a test keeps them in step)."""

    PROVINCE_PC = "IS_OWNER", _("System owner (e.g. provincial People's Committee)")
    SPECIALISED_UNIT = "SPECIALISED_UNIT", _("Specialised incident-response unit")
    PROV_STEERING = "PROV_STEERING", _("Provincial steering committee")
    PROV_IR_TEAM = "PROV_IR_TEAM", _("Provincial incident-response team")
    OPERATOR = "IS_OPERATOR", _("Operating unit (department, agency)")
    DISTRICT_FOCAL = "DISTRICT_FOCAL", _("District office")
    COMMUNE = "COMMUNE", _("Commune People's Committee")
    NATIONAL_COORDINATOR = "NATIONAL_COORDINATOR", _("National coordinator")
    STANDING_AGENCY = "STANDING_AGENCY", _("Standing agency (national)")
    NATIONAL_STEERING = "NATIONAL_STEERING", _("National steering committee")
    POLICE = "POLICE", _("Police")
    MILITARY = "MILITARY", _("Military command")
    ISP = "ISP", _("ISP / telecom")
    VENDOR = "SEC_SERVICE_PROVIDER", _("Security service provider")
    CENTRAL_AGENCY = "CENTRAL_AGENCY_LOCAL", _("Central agency in the province")
    FINANCE = "FINANCE", _("Finance / planning body")


# Kinds held by one body each whose name the province dates (settings.BODY_NAMES keys; DOMAIN.md §k).
DATED_ROLES: dict[str, str] = {
    Kind.SPECIALISED_UNIT: "SPECIALISED_UNIT",
    Kind.PROV_STEERING: "PROV_STEERING",
    Kind.NATIONAL_COORDINATOR: "NATIONAL_COORDINATOR",
    Kind.STANDING_AGENCY: "STANDING_AGENCY",
}


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganizationQuerySet:
        """The single tenancy gate for organizations (STYLE rule 3)."""
        from_ids = visible_organization_ids(user)
        return self if from_ids is None else self.filter(id__in=from_ids)

    def search(self, query: str) -> OrganizationQuerySet:
        from ungcuu.core.text import fold

        folded = fold(query)
        return self.filter(search_text__contains=folded) if folded else self


class Organization(TimeStampedModel):
    """A body in the network: province, department, district/commune office, police, ISP, vendor, …"""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    members_see_children = models.BooleanField(
        _("members also see child organizations"),
        default=False,
        help_text=_("Members of this organization can see (and, by role, manage) its child organizations."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Form 01 / 02 profile (TT20 Appendix I; DOMAIN.md §f).
    is_network_member = models.BooleanField(_("member of the incident-response network"), default=False)
    member_code = models.CharField(_("network member code"), max_length=50, blank=True)
    owner_name = models.CharField(_("governing body (chủ quản)"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=400, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    security_lead_name = models.CharField(_("security lead"), max_length=200, blank=True)
    security_lead_title = models.CharField(_("security lead's title"), max_length=200, blank=True)
    intake_address = models.CharField(_("incident intake address"), max_length=400, blank=True)
    intake_phone = models.CharField(_("incident intake landline"), max_length=50, blank=True)
    intake_mobile = models.CharField(_("incident intake mobile"), max_length=50, blank=True)
    intake_fax = models.CharField(_("incident intake fax"), max_length=50, blank=True)
    intake_email = models.EmailField(_("incident intake e-mail"), blank=True)
    capacity_summary = models.TextField(_("capacity summary"), blank=True)
    staff_total = models.PositiveIntegerField(_("IT security staff"), default=0)
    staff_security_management = models.PositiveIntegerField(_("experts: security management"), default=0)
    staff_defence = models.PositiveIntegerField(_("experts: defence and anti-attack"), default=0)
    staff_protection = models.PositiveIntegerField(_("experts: system and application protection"), default=0)
    staff_testing = models.PositiveIntegerField(_("experts: testing and assessment"), default=0)
    pgp_user_id = models.CharField(_("PGP user ID"), max_length=200, blank=True)
    pgp_fingerprint = models.CharField(
        _("PGP fingerprint"), max_length=60, blank=True, validators=[pgp_validator]
    )
    pgp_key_url = models.URLField(_("PGP key link"), blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def name_on(self, day) -> str:
        """The organization's name on `day` (DOMAIN.md §k): a body holding one of the province's named roles
        (the specialised unit was Sở TT&TT, is Sở KH&CN) is called by the dated name valid then, so a
        document prints the name of its own date; any other organization by its own name."""
        key: str | None = DATED_ROLES.get(str(self.kind))
        if self.kind == Kind.PROVINCE_PC and self.parent_id is None:
            key = "PROVINCE_PC"  # the province's People's Committee: the root owner
        return (stored_body_name(key, day) if key else None) or self.name

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.code, self.name, self.short_name)
        super().save(*args, **kwargs)

    @property
    def kind_role(self) -> dict:
        return taxonomy.roles().get(self.kind, {})

    def would_cycle_under(self, parent: Organization | None) -> bool:
        """True when `parent` is this organization or one of its descendants (the tree must stay a tree)."""
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False

    def ancestors(self) -> list[Organization]:
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return chain


class FocalPointQuerySet(models.QuerySet):
    def visible_to(self, user) -> FocalPointQuerySet:
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)


class FocalPoint(TimeStampedModel):
    """A named contact of an organization (đầu mối); never deleted, deactivated so history stays whole."""

    class Duty(models.TextChoices):
        SECURITY_LEAD = "security_lead", _("Security lead")
        INTAKE = "intake", _("Incident intake")
        RESPONSE = "response", _("Main incident-response contact")
        LEADERSHIP = "leadership", _("Leadership contact")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="focal_points")
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    duty = models.CharField(_("duty"), max_length=20, choices=Duty.choices, default=Duty.RESPONSE)
    office_phone = models.CharField(_("office phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_24x7 = models.BooleanField(_("reachable 24/7"), default=False)
    pgp_fingerprint = models.CharField(
        _("PGP fingerprint"), max_length=60, blank=True, validators=[pgp_validator]
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "full_name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=~Q(office_phone="") | ~Q(mobile="") | ~Q(email=""),
                name="focal_point_has_a_contact",
                violation_error_message=_(
                    "Give at least one way to reach this person: phone, mobile or e-mail."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organization})"

    def save(self, *args, **kwargs):
        self.search_text = fold_many(self.full_name, self.title, self.email)
        super().save(*args, **kwargs)

    def snapshot(self) -> dict:
        fields = [
            "full_name",
            "title",
            "duty",
            "office_phone",
            "mobile",
            "email",
            "is_24x7",
            "pgp_fingerprint",
            "is_active",
        ]
        return {f: getattr(self, f) for f in fields}


def _expert_groups_valid(value) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or any(v not in StaffLine.ExpertGroup.values for v in value):
        raise ValidationError(_("Choose expert groups from the list."), code="invalid")


class StaffLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> StaffLineQuerySet:
        ids = visible_organization_ids(user)
        return self if ids is None else self.filter(organization_id__in=ids)


class StaffLine(TimeStampedModel):
    """One person of form 01's staff annex (TT20 Appendix I; DOMAIN.md §f): one line per person, and the
    headcounts by field of training, degree, certificate and expert group are counted from these lines."""

    class TrainingField(models.TextChoices):
        SECURITY = "security", _("Information security")
        IT = "it", _("Information technology")
        TELECOM = "telecom", _("Electronics and telecommunications")
        OTHER = "other", _("Other field")

    class Degree(models.TextChoices):
        DOCTORATE = "doctorate", _("Doctorate")
        MASTER = "master", _("Master's degree")
        UNIVERSITY = "university", _("University degree (engineer, bachelor)")
        COLLEGE = "college", _("College diploma")
        INTERMEDIATE = "intermediate", _("Intermediate diploma")
        OTHER = "other", _("Other")

    class ExpertGroup(models.TextChoices):
        # Form 01's four groups of experienced staff; each maps to one headcount field of the organization.
        SECURITY_MANAGEMENT = "security_management", _("Security management")
        DEFENCE = "defence", _("Defence and anti-attack")
        PROTECTION = "protection", _("System and application protection")
        TESTING = "testing", _("Testing and assessment")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="staff_lines")
    family_name = models.CharField(_("family and middle names"), max_length=150)
    given_name = models.CharField(_("given name"), max_length=50)
    position = models.CharField(_("position"), max_length=200)
    school = models.CharField(_("school"), max_length=200)
    major = models.CharField(_("major"), max_length=200)
    training_field = models.CharField(_("field of training"), max_length=20, choices=TrainingField.choices)
    degree = models.CharField(_("degree"), max_length=20, choices=Degree.choices)
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    international_certificates = models.CharField(
        _("international certificates"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with commas, e.g. CISSP, CEH."),
    )
    domestic_certificates = models.CharField(
        _("domestic certificates"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with commas."),
    )
    expert_groups = models.JSONField(
        _("expert groups"), default=list, blank=True, validators=[_expert_groups_valid]
    )

    objects = StaffLineQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "pk"]
        verbose_name = _("staff annex line")
        verbose_name_plural = _("staff annex lines")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Family name first, by the product's one name rule (core.names)."""
        return names.full_name(self.family_name, self.given_name)

    def certificates(self, which: str) -> list[str]:
        raw = self.international_certificates if which == "international" else self.domestic_certificates
        return [c for c in (" ".join(part.split()) for part in raw.split(",")) if c]

    def get_expert_groups_display(self) -> list[str]:
        labels = dict(self.ExpertGroup.choices)
        return [str(labels[g]) for g in self.expert_groups if g in labels]


class StaffChange(AppendOnlyModel):
    """Append-only history of focal-point changes (the staff-change notice units owe, DOMAIN.md §g)."""

    class Change(models.TextChoices):
        ADDED = "added", _("added")
        UPDATED = "updated", _("updated")
        DEACTIVATED = "deactivated", _("deactivated")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="staff_changes")
    focal_point = models.ForeignKey(FocalPoint, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField(max_length=20, choices=Change.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.focal_point.full_name}: {self.change}"

    @property
    def is_update(self) -> bool:
        """An edit of a focal point still in post (the page lists which fields changed)."""
        return self.change == self.Change.UPDATED

    def changed_fields(self) -> list[str]:
        return [k for k in self.after if self.before.get(k) != self.after.get(k)]


class Membership(TimeStampedModel):
    """Links a user to an organization with a role; the basis of every access decision."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        RESPONDER = "responder", _("Responder")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


ROLE_RANK: dict[str, int] = {
    Membership.Role.VIEWER: 1,
    Membership.Role.RESPONDER: 2,
    Membership.Role.MANAGER: 3,
}


def organization_roles(user) -> dict[int, str]:
    """Effective role per visible organization id for an ordinary member (None for province-wide users).

    A membership covers its own organization and, where that organization is configured with
    `members_see_children`, every descendant with the same role. Cached on the user object per request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_ungcuu_org_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, str] = {}
    members = Membership.objects.filter(user=user, organization__is_active=True).values_list(
        "organization_id", "role", "organization__members_see_children"
    )
    children: dict[int | None, list[int]] | None = None
    for org_id, role, see_children in members:
        scope = [org_id]
        if see_children:
            children = children if children is not None else children_index()
            scope = subtree_ids(org_id, children)
        for oid in scope:
            if ROLE_RANK[roles.get(oid, Membership.Role.VIEWER)] <= ROLE_RANK[role] or oid not in roles:
                roles[oid] = role
    user._ungcuu_org_roles = roles
    return roles


def visible_organization_ids(user) -> set[int] | None:
    """None means 'everything' (coordinator, national coordinator, superuser)."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.sees_whole_province:
        return None
    return set(organization_roles(user))


def children_index() -> dict[int | None, list[int]]:
    """Parent id -> child ids for the whole tree, in one query (walk it with `subtree_ids`)."""
    index: dict[int | None, list[int]] = {}
    for oid, parent_id in Organization.objects.values_list("id", "parent_id"):
        index.setdefault(parent_id, []).append(oid)
    return index


def subtree_ids(root: int, index: dict[int | None, list[int]] | None = None) -> list[int]:
    """`root` and every organization below it: the one walk of the tree (memberships, report scopes)."""
    index = children_index() if index is None else index
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.append(node)
        stack.extend(index.get(node, []))
    return out


def covered_ids(organization: Organization) -> list[int]:
    """What a membership of `organization` covers: itself, and its descendants if `members_see_children`."""
    return subtree_ids(organization.pk) if organization.members_see_children else [organization.pk]
