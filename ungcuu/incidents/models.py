"""Incidents: accepted reports, the workflow's one transition table, the append-only timeline, tasks."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ungcuu.core import clock, taxonomy
from ungcuu.core.models import AppendOnlyModel, TimeStampedModel
from ungcuu.core.states import CanBecome, StateIs, TransitionsMixin
from ungcuu.core.text import fold, fold_many
from ungcuu.incidents import fts
from ungcuu.organizations.models import Organization, visible_organization_ids
from ungcuu.systems.models import InformationSystem


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The categories under their 4 cause groups (DOMAIN.md §c, S0 §II.3a), in taxonomy order and wording."""
    return [(group, list(categories)) for group, categories in _category_choices(taxonomy.language())]


@functools.cache
def _category_choices(language: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`category_choices` in one language, built once per process: the taxonomy is read once and never
    changes while it runs, and the incident page asked for these labels three times a request (the badge,
    the classification form; issue 18)."""
    categories = taxonomy.incident_categories().values()
    return tuple(
        (
            taxonomy.label(group, language),
            tuple((c["code"], taxonomy.label(c, language)) for c in categories if c.get("parent") == code),
        )
        for code, group in taxonomy.incident_groups().items()
    )


class Status(models.TextChoices):
    # Intake (QĐ05 Art. 12.1)
    LOGGED = "logged", _("Logged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    VERIFYING = "verifying", _("Verifying")
    CLASSIFIED = "classified", _("Classified")
    # Normal procedure (QĐ05 Art. 13)
    FIRST_ACTIONS = "first_actions", _("First priority actions")
    OPTION_CHOSEN = "option_chosen", _("Response option chosen")
    COORDINATING = "coordinating", _("Coordinating")
    CONTAINED = "contained", _("Contained")
    ERADICATED = "eradicated", _("Eradicated")
    RESTORED = "restored", _("Restored")
    EVALUATED = "evaluated", _("Checked and evaluated")
    # Serious procedure (QĐ05 Art. 14)
    TEAM_CONVENED = "team_convened", _("Operational team convened")
    DIRECTION = "direction", _("Under direction")
    INFO_RELEASE = "info_release", _("Information released")
    CONTAINMENT = "containment", _("Containment and remediation")
    ROOT_CAUSE = "root_cause", _("Root cause and source tracing")
    EVALUATION = "evaluation", _("Response evaluated")
    # Ends
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not an incident")
    MERGED = "merged", _("Merged into another incident")


NORMAL_STEPS = [
    Status.FIRST_ACTIONS,
    Status.OPTION_CHOSEN,
    Status.COORDINATING,
    Status.CONTAINED,
    Status.ERADICATED,
    Status.RESTORED,
    Status.EVALUATED,
]
SERIOUS_STEPS = [
    Status.TEAM_CONVENED,
    Status.DIRECTION,
    Status.INFO_RELEASE,
    Status.CONTAINMENT,
    Status.ROOT_CAUSE,
    Status.EVALUATION,
]
TERMINAL = {Status.CLOSED, Status.REJECTED, Status.MERGED}
# TERMINAL in a fixed order: the partial indexes' condition must be the same SQL on every run (migrations).
ENDED_STATUSES = sorted(TERMINAL)
# The first status at or past containment, in either procedure, is "contained" (units often skip a step);
# the transition service stamps `Incident.contained_at` when an incident first reaches one of them.
CONTAINED_OR_LATER = [
    Status.CONTAINED,
    Status.ERADICATED,
    Status.RESTORED,
    Status.EVALUATED,
    Status.CONTAINMENT,
    Status.ROOT_CAUSE,
    Status.EVALUATION,
    Status.CLOSED,
]


def _chain(steps: list[Status], last: Status) -> dict[str, set[str]]:
    """Each step may move to the next one or skip ahead (a unit may contain and eradicate at once)."""
    ordered = [*steps, last]
    return {step: set(ordered[i + 1 :]) for i, step in enumerate(steps)}


# The coordination request states that still expect a step (coordination.models.Status with a transition
# out of it); named here because incidents cannot import coordination. A test keeps the two in step.
LIVE_REQUEST_STATES = ("sent", "acknowledged", "answered")


class ProbeExists(Exists):
    """EXISTS asked row by row through the related table's index, never answered from a hash of it.

    Inside an OR, PostgreSQL turns a correlated EXISTS into a "hashed SubPlan": before the first row that
    needs it, it reads every row of the subquery (all the handlers of every incident, every report a user
    made) into a hash table, on every query, however few rows the outer query then asks about. For the
    coordinators' gate only the confidential rows (about 3 %) ever reach these conditions, so one index
    probe per such row is what scales (issue 18: the capped count reads 20,001 rows, ~600 of them
    confidential). PostgreSQL never turns an EXISTS whose subquery has an OFFSET into a hashed ANY
    (`simplify_EXISTS_query`), so `OFFSET 0` keeps it a per-row probe. Same rows either way; SQLite
    probes row by row already.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra_context)


def _reported_by(user, exists=Exists) -> Exists:
    return exists(IncidentReport.objects.filter(incident=OuterRef("pk"), submitted_by=user))


def _reported_for(org_ids) -> Exists:
    return Exists(IncidentReport.objects.filter(incident=OuterRef("pk"), organization_id__in=org_ids))


def _handled_by(user, exists=Exists) -> Exists:
    return exists(Incident.handlers.through.objects.filter(incident=OuterRef("pk"), user=user))


def _handled(exists=Exists) -> Exists:
    return exists(Incident.handlers.through.objects.filter(incident=OuterRef("pk")))


def _team_task_for(org_ids) -> Exists:
    return Exists(Task.objects.filter(incident=OuterRef("pk"), owner_team_id__in=org_ids))


def _live_request_to(org_ids) -> Exists:
    requests = Incident._meta.get_field("coordination_requests").related_model  # coordination imports us
    live = requests._default_manager.filter(
        incident=OuterRef("pk"), recipient_id__in=org_ids, status__in=LIVE_REQUEST_STATES
    )
    return Exists(live)


# Marks the reference intake gives an incident until it takes its number (services._create_report).
PROVISIONAL_REFERENCE = "~"

# What the incident table shows (templates/incidents/_table.html) and orders by.
LIST_COLUMNS = (
    "reference",
    "title",
    "confidential",
    "category",
    "severity",
    "status",
    "reported_at",
    "operator",
)


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        """Tenancy gate with confidentiality (DOMAIN.md §i).

        Units see incidents of organizations they see, and a response team the incidents it owns a task
        of. A confidential incident is visible only to the
        people who reported it and its assigned handlers; until handlers are assigned, the coordinators
        see it so that someone can take it in. Members of an organization that received one of its
        coordination requests see a non-confidential incident while that request is live.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # Each condition is an EXISTS on the related table (issue 18): a join would multiply the rows and
        # need DISTINCT, which makes every list sort the whole table before it can return a page.
        named = Q(_reported_by(user)) | Q(_handled_by(user))
        ids = visible_organization_ids(user)
        if ids is None:
            if user.is_national:
                # DOMAIN.md §d, QĐ05 Art. 11.1a, TT20 Art. 9: the national coordinator is a legal addressee
                # of every report, confidential ones included (confidentiality limits sharing beyond the
                # legal chain, not the chain itself). BQP/BCA systems are outside QĐ05: not its addressee.
                return self.in_qd05_scope()
            # Only a confidential incident reaches the other conditions (every other one is visible here),
            # so each is a per-row probe (ProbeExists), not a hash of the whole related table built by every
            # query: a list or a count pays for the confidential rows it reads, not for the size of the
            # handlers and reports tables (issue 18). `open_to_coordinators` drops its `confidential=True`:
            # `NOT confidential OR named OR (confidential AND open)` is `NOT confidential OR named OR open`
            # (the column is NOT NULL); incidents/tests/test_gate_equivalence.py compares the rows with the
            # old form.
            named = Q(_reported_by(user, ProbeExists)) | Q(_handled_by(user, ProbeExists))
            open_to_coordinators = ~Q(_handled(ProbeExists)) if user.is_coordinator else Q(pk__in=[])
            return self.filter(Q(confidential=False) | named | open_to_coordinators)
        orgs = Q(operator_id__in=ids) | Q(owner_id__in=ids) | Q(_reported_for(ids))
        # Recipients of a coordination request see the incident they are asked to act on while the request
        # is live, and only if it is not confidential: for a confidential one the request itself (its
        # required actions and targets) is all that is shared with them (DOMAIN.md §i: what is exchanged
        # stays confidential at the participant's request). Both conditions name the same request row.
        recipients = Q(confidential=False) & Q(_live_request_to(ids))
        # A response team given one of its tasks works on it (issue 15); never on a confidential one
        # (services.add_task refuses a team there, and this keeps it so).
        teams = Q(confidential=False) & Q(_team_task_for(ids))
        return self.filter((orgs & Q(confidential=False)) | named | recipients | teams)

    def for_list(self) -> IncidentQuerySet:
        """Only the columns the incident table shows (a description or timeline-sized JSON is not read)."""
        return self.select_related("operator").only(*LIST_COLUMNS, "operator__name")

    def in_qd05_scope(self) -> IncidentQuerySet:
        """Incidents QĐ05 governs: the one scope rule for dashboards, statistics, form 05 and reports.

        DOMAIN.md (Regulations), QĐ05 Art. 1: systems of the Ministry of Defence (BQP) and of Public Security
        (BCA) are outside it; their incidents follow their own channel and are never counted or named by the
        province (`outside_qd05_scope` lists them for the bodies that handle them)."""
        # `system_id NOT IN (the few outside systems)`, read from each row (the open-incident index carries
        # system_id), not a join to the systems for every counted incident: the dashboard's 40,778 open
        # incidents at 1 M cost 40,778 probes of the systems' key (issue 18, fifth session). Same rows: an
        # incident without a system is in scope in both forms (test_query_forms compares them).
        return self.exclude(system__in=InformationSystem.objects.filter(outside_qd05__gt=""))

    def outside_qd05_scope(self) -> IncidentQuerySet:
        """Incidents on BQP/BCA systems (their own channel): the complement of `in_qd05_scope`."""
        return self.filter(system__outside_qd05__gt="")

    def overdue(self, now=None, *, first_few: bool = False) -> IncidentQuerySet:
        """Open incidents with a clock past due and not met, or a task past due and not done.

        `first_few`: the caller reads a few rows in order (the dashboard's ten oldest); on PostgreSQL each
        row then probes its own clocks and tasks and the walk stops at the tenth, instead of listing every
        late clock first (80,379 of them at 1 M, about 50 ms before the first row; issue 18, fifth session).
        """
        if first_few and connections[self.db].vendor == "postgresql":
            now = now or timezone.now()
            clocks = Deadline.objects.filter(incident=OuterRef("pk"), met_at__isnull=True, due_at__lt=now)
            tasks = Task.objects.filter(incident=OuterRef("pk"), done_at__isnull=True, due_at__lt=now)
            late = Q(ProbeExists(clocks)) | Q(ProbeExists(tasks))
        else:
            late = overdue_condition(now)
        return self.exclude(status__in=ENDED_STATUSES).filter(late)

    def reported_late(self, now=None) -> IncidentQuerySet:
        """The operator's report came after the legal period, or is still missing past it (DOMAIN.md §d,
        QĐ05 Art. 11.1a, TT20 Art. 9: 5 days from detection; the hours are the OPERATOR_REPORT policy)."""
        # The late clocks' incident ids once (`id IN (…)`), as in `overdue`: SQLite ran an EXISTS a row.
        late = _late_operator_report(now, correlated=False).values("incident_id")
        return self.filter(pk__in=late)

    def with_reported_late(self, now=None) -> IncidentQuerySet:
        """Each row answers `is_reported_late` (the list, the API), in the same query."""
        return self.annotate(is_reported_late=Exists(_late_operator_report(now)))

    def search(self, query: str) -> IncidentQuerySet:
        """Incidents whose folded reference, title or description contain the folded query ("tan cong"
        finds "Tấn công"). PostgreSQL answers the LIKE from its trigram index; SQLite asks its FTS5
        trigram table for the same rows (incidents.fts) when they are few, and keeps the LIKE for queries
        too short to make a trigram or matching many incidents."""
        folded = fold(query)
        if not folded:
            return self
        connection = connections[self.db]
        if connection.vendor == "sqlite" and len(folded) >= fts.MIN_LENGTH:
            ids = fts.matching_ids(connection, folded, limit=fts.RARE + 1)
            if len(ids) <= fts.RARE:
                return self.filter(pk__in=ids)
        return self.filter(search_text__contains=folded)  # a common term: see fts.RARE


def overdue_condition(now=None) -> Q:
    """An incident (open or not) with a clock past due and not met, or a task past due and not done."""
    # The late clocks' and tasks' incident ids first, each subquery run once (`id IN (…)`), not an EXISTS
    # per incident: SQLite answered each EXISTS from the (met_at, due_at) index, reading every late clock
    # of the province for every open incident (the dashboard's count: 22.7-61.7 s at 100,000 incidents,
    # docs/performance.md). On PostgreSQL an IN under an OR is a hashed subplan, read once per query from
    # the `deadline_running` index: the fastest form for a count (probing each of 40,778 open incidents'
    # clocks took 3x longer at 1 M).
    now = now or timezone.now()
    late_clocks = Deadline.objects.filter(met_at__isnull=True, due_at__lt=now).values("incident_id")
    late_tasks = Task.objects.filter(done_at__isnull=True, due_at__lt=now).values("incident_id")
    return Q(pk__in=late_clocks) | Q(pk__in=late_tasks)


def _late_operator_report(now=None, *, correlated: bool = True):
    now = now or timezone.now()
    late = Q(met_at__gt=F("due_at")) | Q(met_at__isnull=True, due_at__lt=now)
    clocks = Deadline.objects.filter(late, code=DeadlinePolicy.Code.OPERATOR_REPORT)
    return clocks.filter(incident=OuterRef("pk")) if correlated else clocks


class Incident(TransitionsMixin, TimeStampedModel):
    """One security incident, possibly reported several times, handled by one procedure."""

    Status = Status

    class Severity(models.TextChoices):
        NORMAL = "NORMAL", _("Normal")
        SERIOUS = "SERIOUS", _("Serious")

    class Harm(models.TextChoices):
        """The QĐ05 harms that make an incident on a level 4-5 or critical system serious."""

        SERVICE_DISRUPTION = "service_disruption", _("Service disruption")
        SECRET_DISCLOSURE = "secret_disclosure", _("Possible disclosure of secret or top-secret data")
        INTEGRITY_LOSS = "integrity_loss", _("Important data lost integrity and cannot be restored")
        LOSS_OF_CONTROL = "loss_of_control", _("Loss of control of the system")
        SPREADING = "spreading", _("Likely wide spread or harm to other level 4/5 systems")

    class Tlp(models.TextChoices):
        """Traffic Light Protocol 2.0 labels."""

        CLEAR = "CLEAR", "TLP:CLEAR"
        GREEN = "GREEN", "TLP:GREEN"
        AMBER = "AMBER", "TLP:AMBER"
        AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
        RED = "RED", "TLP:RED"

    # The one place that says which moves are legal (STYLE rule 4).
    TRANSITION_ERROR = _("An incident in state “%(from)s” cannot move to “%(to)s”.")
    TRANSITIONS: dict[str, set[str]] = {
        Status.LOGGED: {Status.ACKNOWLEDGED, Status.MERGED},
        Status.ACKNOWLEDGED: {Status.VERIFYING, Status.CLASSIFIED, Status.REJECTED, Status.MERGED},
        Status.VERIFYING: {Status.CLASSIFIED, Status.REJECTED, Status.MERGED},
        Status.CLASSIFIED: {Status.FIRST_ACTIONS, Status.TEAM_CONVENED, Status.MERGED},
        **_chain(NORMAL_STEPS, Status.CLOSED),
        **_chain(SERIOUS_STEPS, Status.CLOSED),
    }
    # A normal-procedure incident found to be serious moves into the serious procedure.
    for _step in NORMAL_STEPS:
        TRANSITIONS[_step] = TRANSITIONS[_step] | {Status.TEAM_CONVENED}
    del _step

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("incident", "title"), max_length=300)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.LOGGED)
    category = models.CharField(_("category"), max_length=40, choices=category_choices, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    severity_reasons = models.JSONField(_("severity reasons"), default=list, blank=True)
    severity_override_reason = models.TextField(_("reason for overriding the computed severity"), blank=True)
    harms = models.JSONField(_("harms"), default=list, blank=True)
    # Three legal meanings that used to share one flag (DOMAIN.md §c, §d): the operator's own capacity
    # (QĐ05 Art. 11.1a: emergency reporting at once), severity criterion (ii) (a policy setting, see
    # severity.py), and the province's (S4 Art. 7.1d: the coordinator's decision to ask the national
    # coordinator, `national_support_requested_at`).
    exceeds_capacity = models.BooleanField(_("may exceed the operator's own capacity"), default=False)
    emergency_reported_at = models.DateTimeField(_("emergency reporting started at"), null=True, blank=True)
    national_support_requested_at = models.DateTimeField(
        _("national coordinator asked for support at"), null=True, blank=True
    )
    crime_signs = models.BooleanField(_("signs of a crime"), default=False)
    secret_target = models.BooleanField(_("target holds state secrets"), default=False)
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("affected system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("operating organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_incidents",
    )
    detected_at = models.DateTimeField(_("detected at"))
    reported_at = models.DateTimeField(_("reported at"), default=clock.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    # Stamped by the transition service (first move at or past containment) so that statistics read a
    # column instead of searching each incident's timeline (issue 18).
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    confidential = models.BooleanField(_("keep confidential"), default=False)
    tlp = models.CharField("TLP", max_length=15, choices=Tlp.choices, default=Tlp.AMBER)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("handlers"), blank=True, related_name="handled_incidents"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_incidents"
    )
    search_text = models.TextField(editable=False, default="")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["reported_at"]),
            models.Index(fields=["category", "reported_at"]),
            # The few confidential incidents (3 % in bench/grow.py) without reading the table: the gate's
            # "confidential the user may open" and the statistics' "counted, never detailed" / withheld set
            # (reports.statistics.undetailed) start here (issue 18). Found by both the SQLite and the
            # PostgreSQL pass; reported_at serves the gate's order (SQLite keeps the id in each entry).
            models.Index(
                fields=["reported_at"], condition=Q(confidential=True), name="incident_confidential"
            ),
            # The open incidents (a few percent, however long the history): the dashboard's tiles and lists
            # and the list's "open" filter read these entries instead of every incident with an open status
            # in the status index, then the heap (issue 18, fifth session). The columns after reported_at let
            # the dashboard count through the gate and the QĐ05 scope without reading the table (key columns,
            # not INCLUDE: SQLite has no INCLUDE and covers the same queries with them).
            models.Index(
                fields=["reported_at", "id", "status", "severity", "confidential", "system"],
                condition=~Q(status__in=ENDED_STATUSES),
                name="incident_open",
            ),
            # The open serious ones (the filtered list "open + serious", the dashboard's serious card).
            # "SERIOUS" is Incident.Severity.SERIOUS: the nested class is not in scope in Meta.
            models.Index(
                fields=["reported_at", "id"],
                condition=Q(severity="SERIOUS") & ~Q(status__in=ENDED_STATUSES),
                name="incident_open_serious",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        # Intake inserts the incident under a provisional reference and numbers it last (services): the
        # text is written once, with the number, not indexed twice (the trigram / FTS5 index, issue 18).
        provisional = self.reference.startswith(PROVISIONAL_REFERENCE)
        self.search_text = "" if provisional else fold_many(self.reference, self.title, self.description)
        super().save(*args, **kwargs)

    @property
    def is_serious(self) -> bool:
        """Handled by the serious procedure (QĐ05 Art. 14), not the normal one (Art. 13)."""
        return self.severity == self.Severity.SERIOUS

    @property
    def procedure(self) -> str:
        return "serious" if self.is_serious else "normal"

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    # Questions the pages ask (templates don't compare status strings).
    is_closed = StateIs(Status.CLOSED)
    can_acknowledge = CanBecome(Status.ACKNOWLEDGED)
    awaits_classification = StateIs(Status.ACKNOWLEDGED, Status.VERIFYING)
    awaits_closing_report = StateIs(Status.EVALUATED, Status.EVALUATION)  # form 04 comes next
    can_close = CanBecome(Status.CLOSED)

    def can_transition_to(self, target: str) -> bool:
        """The table's moves, less the steps of the procedure the severity does not follow."""
        if not super().can_transition_to(target):
            return False
        if target in NORMAL_STEPS and self.severity == self.Severity.SERIOUS:
            return False
        return not (target == Status.TEAM_CONVENED and self.severity != self.Severity.SERIOUS)


class IncidentReport(models.Model):
    """Each accepted report (form 03, public notification or API), kept whole even after a merge."""

    class Channel(models.TextChoices):
        FORM = "form", _("Form 03 (logged-in unit)")
        PUBLIC = "public", _("Public report page")
        API = "api", _("API")
        EMAIL = "email", _("E-mail to the intake mailbox")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="incident_reports"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_reports",
    )
    reporter_name = models.CharField(_("reporter"), max_length=200)
    reporter_email = models.EmailField(_("reporter e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=50, blank=True)
    data = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=clock.now)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                # A key is unique per submitting user only: keys are chosen by clients, so a global
                # constraint would let one user's key collide with (and find) another user's report.
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="report_idempotency_key_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} / {self.reporter_name}"


class TimelineEvent(AppendOnlyModel):
    """Append-only history of an incident: no edit or delete path exists, admin included."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Report received")
        STATUS = "status", _("Status changed")
        CLASSIFIED = "classified", _("Classified")
        NOTE = "note", _("Note")
        PROGRESS = "progress", _("Progress report")
        PLAN = "plan", _("Response plan report")
        DIRECTION_REQUEST = "direction_request", _("Request for direction or support")
        TASK = "task", _("Task")
        MERGED = "merged", _("Merged")
        NOTIFICATION = "notification", _("Notification")
        EVIDENCE = "evidence", _("Evidence")
        COORDINATION = "coordination", _("Coordination")
        CLOSING_REPORT = "closing_report", _("Closing report")
        EMAIL = "email", _("E-mail received")
        EMERGENCY = "emergency", _("Emergency reporting started")
        SUPPORT_REQUEST = "support_request", _("National coordinator asked for support")
        DIRECTION = "direction", _("Direction or support given")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    # Questions the timeline asks (templates don't compare kind strings).
    @property
    def is_status_change(self) -> bool:
        return self.kind == self.Kind.STATUS

    @property
    def is_classification(self) -> bool:
        return self.kind == self.Kind.CLASSIFIED


class Task(TimeStampedModel):
    """A response task with an owner and a due date."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_tasks",
    )
    # The response team as a whole may own a task instead of one person (issue 15): its members see the
    # incident and settle the task (incidents.access), and find it on the team's page.
    owner_team = models.ForeignKey(
        Organization,
        verbose_name=pgettext_lazy("task", "Team in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_tasks",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # A cancelled task is settled (done_at is set) without having been done; the reason says why.
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["done_at", "due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(owner_team__isnull=True), name="task_one_kind_of_owner"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_cancelled(self) -> bool:
        return self.done_at is not None and bool(self.cancel_reason)


class ClosingReport(TimeStampedModel):
    """Form 04 (báo cáo kết thúc ứng phó sự cố): required before an incident can be closed."""

    incident = models.OneToOneField(Incident, on_delete=models.PROTECT, related_name="closing_report")
    reporter_name = models.CharField(_("reporter"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    how_solved = models.TextField(_("how it was solved"))
    proposals = models.TextField(_("proposals to avoid recurrence"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"04 {self.incident.reference}"


class Recipient(models.TextChoices):
    """Who a routing rule names: a role resolved against the incident and the organization registry."""

    OWNER = "OWNER", _("System owner")
    OPERATOR = "OPERATOR", _("Operating organization")
    SPECIALISED_UNIT = "SPECIALISED_UNIT", _("Specialised unit")
    NATIONAL_COORDINATOR = "NATIONAL_COORDINATOR", _("National coordinator")
    PROV_STEERING = "PROV_STEERING", _("Provincial steering committee")
    STANDING_AGENCY = "STANDING_AGENCY", _("Standing agency")
    NATIONAL_STEERING = "NATIONAL_STEERING", _("National steering committee")
    POLICE = "POLICE", _("Police")
    MILITARY = "MILITARY", _("Military command")
    REPORTER = "REPORTER", _("The reporter")


class RoutingRule(models.Model):
    """Data, editable by an administrator: on an event, who must be told (DOMAIN.md §d)."""

    class Event(models.TextChoices):
        REPORT_RECEIVED = "report_received", _("A report is received")
        CLASSIFIED = "classified", _("The incident is classified")
        SERIOUS = "serious", _("The incident is serious")
        CRIME_SIGNS = "crime_signs", _("There are signs of a crime")
        SECRET_TARGET = "secret_target", _("The target holds state secrets")
        PROVINCE_CANNOT_COPE = "province_cannot_cope", _("The province cannot cope")
        EMERGENCY = "emergency", _("Emergency reporting (may exceed capacity, or serious)")
        DIRECTION_REQUESTED = "direction_requested", _("Direction or support is requested")
        CLOSED = "closed", _("The incident is closed")

    name = models.CharField(_("name"), max_length=200)
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    recipient = models.CharField(_("recipient"), max_length=30, choices=Recipient.choices)
    is_copy = models.BooleanField(_("in copy"), default=False)
    category_prefix = models.CharField(
        _("only for categories starting with"), max_length=40, blank=True, help_text=_("e.g. ATTACK")
    )
    only_serious = models.BooleanField(_("only for serious incidents"), default=False)
    source = models.CharField(_("legal source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["event", "is_copy", "recipient"]

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(models.Model):
    """Data, editable: how long each tracked duty may take (the 5-day rule and the 'immediately' ones)."""

    class Code(models.TextChoices):
        OPERATOR_REPORT = "OPERATOR_REPORT", _("Operator reports within the legal period of detection")
        INTAKE_ACK = "INTAKE_ACK", _("Specialised unit acknowledges receipt")
        INTAKE_CLASSIFY = "INTAKE_CLASSIFY", _("Specialised unit verifies and classifies")
        CLOSE = "CLOSE", _("Response closed with the closing report")
        DIRECTION_ANSWER = "DIRECTION_ANSWER", _("Request for direction or support answered")

    code = models.CharField(max_length=30, choices=Code.choices, unique=True)
    hours = models.PositiveIntegerField(_("hours allowed"))
    source = models.CharField(_("legal source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    def __str__(self) -> str:
        return f"{self.code}: {self.hours} h"


class Deadline(models.Model):
    """One tracked clock of one incident; overdue while `due_at` has passed and it is not met."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="deadlines")
    code = models.CharField(max_length=30, choices=DeadlinePolicy.Code.choices)
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["incident", "code"], name="one_clock_per_duty")]
        indexes = [
            models.Index(fields=["met_at", "due_at"]),
            # The clocks still running (met_at IS NULL), with their incident: the overdue incidents are found
            # from this index alone (an index-only range on due_at), not by reading each late clock's row
            # (issue 18, fifth session).
            models.Index(
                fields=["due_at", "incident"], condition=Q(met_at__isnull=True), name="deadline_running"
            ),
            # The operator reports that came late or have not come (`reported_late`, met_at > due_at or
            # missing): the dashboard's "open, reported late" finds them without reading every clock.
            models.Index(
                fields=["incident"],
                condition=Q(code="OPERATOR_REPORT") & (Q(met_at__gt=F("due_at")) | Q(met_at__isnull=True)),
                name="deadline_operator_report_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.code}"

    @property
    def is_overdue(self) -> bool:
        return self.met_at is None and self.due_at < timezone.now()

    @property
    def was_late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due_at
