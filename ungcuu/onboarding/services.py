"""Import of the registry (organizations, focal points, systems) from a province's spreadsheet.

Every row goes through what the UI uses: OrganizationForm (organizations have no service: the UI saves the
form), FocalPointForm + add/update_focal_point, the systems validators + register_system/update_system and
the dossier services. A dry run is the same run rolled back, so the preview cannot disagree with the
apply; each row runs in its own savepoint so one bad row does not spoil the others.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from ungcuu.core.errors import Conflict
from ungcuu.core.text import fold
from ungcuu.onboarding import parsing
from ungcuu.onboarding.columns import FOCAL_POINTS, ORGANIZATIONS, SYSTEMS
from ungcuu.onboarding.sheets import FileRefused, Row, Table, read_upload, refuse_legacy
from ungcuu.organizations import access
from ungcuu.organizations import services as org_services
from ungcuu.organizations.forms import FocalPointForm, OrganizationForm
from ungcuu.organizations.models import FocalPoint, Kind, Organization
from ungcuu.systems import services as system_services
from ungcuu.systems.models import InformationSystem
from ungcuu.systems.validators import normalize_domains, normalize_ips

State = InformationSystem.DossierState


class Mode(models.TextChoices):
    DRY_RUN = "dry_run", _("Preview only")
    ALL = "all", _("Apply the whole file")
    VALID_ONLY = "valid_only", _("Apply only the valid rows")


class Outcome(models.TextChoices):
    NEW = "new", _("new")
    UPDATE = "update", _("update")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")


@dataclass
class RowResult:
    sheet: str
    number: int
    label: str
    outcome: str = Outcome.UNCHANGED
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What a run did (or, dry, would do) to each row; `applied` says whether anything was kept."""

    rows: list[RowResult] = field(default_factory=list)
    applied: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o.value: self.count(o.value) for o in Outcome}

    @property
    def has_errors(self) -> bool:
        return any(r.outcome == Outcome.ERROR for r in self.rows)

    @property
    def changes(self) -> int:
        return self.count(Outcome.NEW) + self.count(Outcome.UPDATE)


class RowError(Exception):
    """A row that cannot be taken, with the reason a person can act on."""


def load_tables(upload) -> list[Table]:
    """Read an upload and refuse it whole when it cannot be imported row by row (FileRefused)."""
    tables = read_upload(upload)
    refuse_legacy(tables)
    total = sum(len(t.rows) for t in tables)
    if total > settings.IMPORT_MAX_ROWS:
        raise FileRefused(
            _(
                "The file has %(n)s rows; one import takes at most %(max)s. Split it (e.g. by sheet), "
                "or ask the administrator to run “manage.py import_registry”."
            )
            % {"n": total, "max": settings.IMPORT_MAX_ROWS}
        )
    return tables


def run_import(*, actor, tables: list[Table], mode: str) -> ImportReport:
    """Dry run, apply-all-or-nothing, or apply the valid rows; only the last two keep anything."""
    access.require(access.is_coordinator(actor))
    report = ImportReport()
    with transaction.atomic():
        importer = _Importer(actor, report)
        for sheet in (ORGANIZATIONS, FOCAL_POINTS, SYSTEMS):  # parents before what refers to them
            for table in tables:
                if table.sheet is sheet:
                    importer.run_table(table)
        keep = mode == Mode.VALID_ONLY or (mode == Mode.ALL and not report.has_errors)
        if not keep:
            transaction.set_rollback(True)
        report.applied = keep and report.changes > 0
    return report


def _messages(exc: ValidationError, model=None) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for name, errors in exc.message_dict.items():
        label = name
        if model is not None and name != "__all__":
            with contextlib.suppress(LookupError):
                label = str(model._meta.get_field(name).verbose_name)
        for message in errors:
            out.append(message if name == "__all__" else f"{label}: {message}")
    return out


class _Importer:
    def __init__(self, actor, report: ImportReport):
        self.actor, self.report = actor, report
        self.by_code = {o.code: o for o in Organization.objects.all()}
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in self.by_code.values():
            self.by_name[fold(org.name)].append(org)
        self.failed_refs: dict[str, int] = {}  # organization refs whose own row failed: row number

    # --- the row loop ----------------------------------------------------------------------------

    def run_table(self, table: Table) -> None:
        handlers = {
            ORGANIZATIONS.kind: self._organizations,
            FOCAL_POINTS.kind: self._focal_points,
            SYSTEMS.kind: self._systems,
        }
        handlers[table.sheet.kind](table)

    def _one(self, table: Table, row: Row, label: str, work, model=None) -> RowResult:
        result = RowResult(table.name, row.number, label)
        try:
            with transaction.atomic():
                result.outcome, result.messages = work()
        except RowError as exc:
            result.outcome, result.messages = Outcome.ERROR, [str(exc)]
        except ValidationError as exc:
            result.outcome, result.messages = Outcome.ERROR, _messages(exc, model)
        except Conflict as exc:  # InvalidTransition included
            result.outcome, result.messages = Outcome.ERROR, [str(exc)]
        self.report.rows.append(result)
        return result

    # --- organizations ---------------------------------------------------------------------------

    def org_ref(self, text: str, what: str) -> Organization:
        """An organization named in a cell by its code or its exact name (diacritics and case ignored)."""
        code, name = text.strip().upper(), fold(text)
        if not name:
            raise RowError(_("%(what)s is empty.") % {"what": what})
        for key in (code, name):
            if key in self.failed_refs:
                raise RowError(
                    _("%(what)s “%(value)s”: its own row %(row)s has an error.")
                    % {"what": what, "value": text, "row": self.failed_refs[key]}
                )
        if code in self.by_code:
            return self.by_code[code]
        matches = self.by_name.get(name, [])
        if len(matches) > 1:
            raise RowError(
                _("%(what)s “%(value)s”: several organizations have this name; write its code instead.")
                % {"what": what, "value": text}
            )
        if not matches:
            raise RowError(
                _("%(what)s “%(value)s” is neither in the file nor on the platform.")
                % {"what": what, "value": text}
            )
        return matches[0]

    def _organizations(self, table: Table) -> None:
        rows = self._unique_org_rows(table)
        # Parents first: a row waits until the row naming its parent has run (the file may list a
        # commune before its district); whatever still waits at the end is part of a cycle.
        waiting = list(rows)
        in_file = {k for row in rows for k in self._org_keys(row)}
        while waiting:
            ready = [r for r in waiting if not self._parent_waits(r, in_file)]
            if not ready:
                for row in waiting:
                    self._fail_org(table, row, _("The parent chain loops back to this organization."))
                return
            for row in ready:
                waiting.remove(row)
                result = self._one(
                    table, row, row.values.get("name", ""), lambda r=row: self._org_row(r), Organization
                )
                keys = self._org_keys(row)
                in_file -= keys
                if result.outcome == Outcome.ERROR:
                    self.failed_refs.update(dict.fromkeys(keys, row.number))

    def _org_keys(self, row: Row) -> set[str]:
        code = row.values.get("code", "").strip().upper()
        return {k for k in (code, fold(row.values.get("name", ""))) if k}

    def _parent_waits(self, row: Row, in_file: set[str]) -> bool:
        parent = row.values.get("parent", "")
        return bool(parent) and bool({parent.strip().upper(), fold(parent)} & in_file)

    def _unique_org_rows(self, table: Table) -> list[Row]:
        """Two rows for the same organization: the second is an error, the first stands."""
        seen: dict[str, int] = {}
        out = []
        for row in table.rows:
            code, name = row.values.get("code", "").strip().upper(), fold(row.values.get("name", ""))
            clash = seen.get(code) if code else seen.get(name)
            if clash is None and not code and name in seen:
                clash = seen[name]
            if clash is not None:
                self._fail_org(
                    table,
                    row,
                    _("Same organization as row %(row)s; give each a different code (Mã đơn vị).")
                    % {"row": clash},
                )
                continue
            seen.setdefault(name, row.number)
            if code:
                seen[code] = row.number
            out.append(row)
        return out

    def _fail_org(self, table: Table, row: Row, message: str) -> None:
        self.report.rows.append(
            RowResult(table.name, row.number, row.values.get("name", ""), Outcome.ERROR, [message])
        )
        self.failed_refs.update(dict.fromkeys(self._org_keys(row) - set(self.by_code), row.number))

    def _org_row(self, row: Row):
        values = row.values
        code = values.get("code", "").strip().upper()
        instance = self.by_code.get(code) if code else self._org_by_name(values.get("name", ""))
        data = model_to_dict(instance or Organization(), fields=list(OrganizationForm.Meta.fields))
        data["code"] = code or (instance.code if instance else self._new_code(values.get("name", "")))
        present = [f for f in ORG_FIELDS if f in values]
        for name in present:
            data[name] = values[name]
        if "kind" in values or instance is None:
            data["kind"] = parsing.parse_kind(
                values.get("kind", ""), instance.kind if instance else Kind.OPERATOR
            )
        if values.get("parent"):
            data["parent"] = self.org_ref(values["parent"], _("Parent organization")).pk
        elif "parent" in values:
            data["parent"] = None
        form = OrganizationForm(data, instance=instance)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        changed = [n for n in form.changed_data if n in {*present, "kind", "parent", "code"}]
        if instance is not None and not changed:
            return Outcome.UNCHANGED, []
        if instance is None:
            org = form.save()
        else:  # through the service, so the import leaves the same audit row as an edit by hand
            org = org_services.update_organization(
                actor=self.actor, organization=instance, **form.cleaned_data
            )
        self._remember(org, instance)
        return (Outcome.UPDATE, _changed_labels(Organization, changed)) if instance else (Outcome.NEW, [])

    def _org_by_name(self, name: str) -> Organization | None:
        matches = self.by_name.get(fold(name), [])
        if len(matches) > 1:
            raise RowError(_("Several organizations on the platform have this name; write its code."))
        return matches[0] if matches else None

    def _remember(self, org: Organization, old: Organization | None) -> None:
        if old is not None:
            self.by_name[fold(old.name)] = [o for o in self.by_name[fold(old.name)] if o.pk != org.pk]
        self.by_code[org.code] = org
        self.by_name[fold(org.name)].append(org)

    def _new_code(self, name: str) -> str:
        """A code for a row without one: the folded name's initials (Sở Tài chính → ST-C…), made unique."""
        words = re.findall(r"[a-z0-9]+", fold(name))
        base = "-".join(w.upper() for w in words)[:36].strip("-") or "DV"
        base = base if len(base) >= 2 else f"DV-{base}"
        code, n = base, 1
        while code in self.by_code:
            n += 1
            code = f"{base}-{n}"
        return code

    # --- focal points ----------------------------------------------------------------------------

    def _focal_points(self, table: Table) -> None:
        index = {(f.organization_id, fold(f.full_name)): f for f in FocalPoint.objects.filter(is_active=True)}
        seen: dict[tuple, int] = {}
        for row in table.rows:
            self._one(
                table,
                row,
                row.values.get("full_name", ""),
                lambda r=row: self._focal_row(r, index, seen),
                FocalPoint,
            )

    def _focal_row(self, row: Row, index: dict, seen: dict):
        values = row.values
        org = self.org_ref(values.get("organization", ""), _("Organization"))
        key = (org.pk, fold(values.get("full_name", "")))
        if key in seen:
            raise RowError(_("Same person as row %(row)s.") % {"row": seen[key]})
        seen[key] = row.number
        instance = index.get(key)
        data: dict = instance.snapshot() if instance else {"duty": FocalPoint.Duty.RESPONSE, "is_24x7": False}
        for name in FOCAL_FIELDS:
            if name in values:
                data[name] = values[name]
        if "duty" in values:
            data["duty"] = parsing.parse_duty(values["duty"], data["duty"])
        if "is_24x7" in values:
            data["is_24x7"] = parsing.parse_bool(values["is_24x7"])
        form = FocalPointForm(data)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        fields = form.cleaned_data
        if instance is None:
            index[key] = org_services.add_focal_point(actor=self.actor, organization=org, **fields)
            return Outcome.NEW, []
        changed = [n for n, v in fields.items() if getattr(instance, n) != v]
        if not changed:
            return Outcome.UNCHANGED, []
        org_services.update_focal_point(actor=self.actor, focal_point=instance, **fields)
        return Outcome.UPDATE, _changed_labels(FocalPoint, changed)

    # --- information systems ---------------------------------------------------------------------

    def _systems(self, table: Table) -> None:
        index = {(s.operator_id, fold(s.name)): s for s in InformationSystem.objects.all()}
        seen: dict[tuple, int] = {}
        for row in table.rows:
            self._one(
                table,
                row,
                row.values.get("name", ""),
                lambda r=row: self._system_row(r, index, seen),
                InformationSystem,
            )

    def _system_fields(self, values: dict) -> dict:
        fields: dict = {
            "name": values.get("name", "").strip(),
            "owner": self.org_ref(values.get("owner", ""), _("Owner")),
            "operator": self.org_ref(values.get("operator", ""), _("Operating organization")),
            "security_level": parsing.parse_level(values.get("security_level", "")),
        }
        if "system_type" in values:
            fields["system_type"] = parsing.parse_system_type(
                values["system_type"], InformationSystem.SystemType.INTERNAL
            )
        if "public_ips" in values:
            fields["public_ips"] = normalize_ips(parsing.ip_text(values["public_ips"]))
        if "domains" in values:
            fields["domains"] = normalize_domains(values["domains"])
        for name in ("os_name", "purpose"):
            if name in values:
                fields[name] = values[name]
        return fields

    def _system_row(self, row: Row, index: dict, seen: dict):
        values = row.values
        fields = self._system_fields(values)
        software = parsing.parse_software(values["software"]) if "software" in values else None
        target = _Dossier.from_values(values)
        key = (fields["operator"].pk, fold(fields["name"]))
        if key in seen:
            raise RowError(
                _("Same system (name and operating organization) as row %(row)s.") % {"row": seen[key]}
            )
        seen[key] = row.number
        system = index.get(key)
        if system is None:
            system = system_services.register_system(actor=self.actor, software=software, **fields)
            index[key] = system
            target.reach(self.actor, system)
            return Outcome.NEW, []
        changed = [n for n, v in fields.items() if getattr(system, n) != v]
        software_changed = software is not None and _software_of(system) != software
        if changed or software_changed:
            system_services.update_system(
                actor=self.actor, system=system, software=software if software_changed else None, **fields
            )
        moved = target.reach(self.actor, system)
        labels = _changed_labels(InformationSystem, changed) + ([_("software")] if software_changed else [])
        labels += [str(InformationSystem._meta.get_field("dossier_state").verbose_name)] if moved else []
        return (Outcome.UPDATE, labels) if labels else (Outcome.UNCHANGED, [])


ORG_FIELDS = ["name", "short_name", "address", "phone", "email", "website"]
FOCAL_FIELDS = ["full_name", "title", "office_phone", "mobile", "email"]


def _changed_labels(model, names) -> list[str]:
    return [str(model._meta.get_field(n).verbose_name) for n in names]


def _software_of(system: InformationSystem) -> list[dict]:
    return [
        {"vendor": s.vendor, "product": s.product, "version": s.version}
        for s in system.software.order_by("id")
    ]


@dataclass
class _Dossier:
    """The dossier state the file records, reached through the dossier services' legal moves."""

    state: str | None
    number: str
    date: datetime.date | None

    @classmethod
    def from_values(cls, values: dict) -> _Dossier:
        if "dossier_state" not in values:
            return cls(None, "", None)
        state = parsing.parse_state(values["dossier_state"])
        number = values.get("decision_number", "").strip()
        date = parsing.parse_date(values.get("decision_date", ""))
        if state == State.APPROVED and not (number and date):
            raise RowError(_("An approved dossier needs its decision number and date."))
        return cls(state, number, date)

    def reach(self, actor, system: InformationSystem) -> bool:
        if self.state is None:
            return False
        system.refresh_from_db()
        same_decision = (system.decision_number, system.decision_date) == (self.number, self.date)
        if system.dossier_state == self.state and (self.state != State.APPROVED or same_decision):
            return False
        note = _("Recorded from the province's registry file.")
        if system.dossier_state != State.PROPOSED:
            system = system_services.return_dossier(actor=actor, system=system, note=note)
        if self.state in (State.APPRAISED, State.APPROVED):
            system = system_services.appraise_dossier(actor=actor, system=system, note=note)
        if self.state == State.APPROVED and self.date is not None:  # from_values made sure it is given
            system_services.approve_level(
                actor=actor,
                system=system,
                decision_number=self.number,
                decision_date=self.date,
                note=note,
                from_record=True,
            )
        return True
