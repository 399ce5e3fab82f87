"""Walk every URL of the project as anonymous, as the outsider and as the read-only viewer.

The walk reads the URL resolver, so a URL added anywhere is walked without touching this file. What the
walk cannot work out by itself it refuses to guess: a page must be named in one of the tables below and
each URL parameter must name one of org A's objects, otherwise `test_every_url_is_classified` (and the
URL's own walk tests) fail until someone says who may use the new URL. API routes are classified from the
router: the basename gives the object, the viewset gives the methods.

Every request is followed by a comparison of every table, so "denied" always means "and nothing changed".
"""

from __future__ import annotations

import collections
import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.views import APIView

from ungcuu.accounts.models import User
from ungcuu.accounts.tokens import create_token
from ungcuu.advisories.tests import walk as advisory_walk
from ungcuu.alerts import services as alert_services
from ungcuu.alerts.models import AlertGroup
from ungcuu.audit.models import AuditEvent
from ungcuu.audit.services import record_event
from ungcuu.coordination import services as coordination_services
from ungcuu.coordination.models import AnswerAttachment, CoordinationRequest
from ungcuu.evidence import services as evidence_services
from ungcuu.incidents import services as incident_services
from ungcuu.interop.models import InboundMessage
from ungcuu.notifications import services as notification_services
from ungcuu.notifications.models import Notification
from ungcuu.obligations import services as obligation_services
from ungcuu.organizations import services as org_services
from ungcuu.organizations.models import Kind, Membership
from ungcuu.organizations.tests.factories import FocalPointFactory, OrganizationFactory, member
from ungcuu.preparedness import services as preparedness_services
from ungcuu.reports import services as report_services
from ungcuu.reports.models import DocumentBuild
from ungcuu.systems.tests.factories import InformationSystemFactory
from ungcuu.vulnerabilities.tests.helpers import walk_objects, walk_upload
from ungcuu.webhooks import services as webhook_services
from ungcuu.webhooks.models import Delivery, Subscription

Role = Membership.Role

# A webhook endpoint for the walk's subscription (never called: the walk fires no event after commit).
WALK_HOOK = "https://hooks.example.org/walk"

# --- classification tables --------------------------------------------------------------------------

# Public or authentication plumbing: not walked, because they serve people who have no organization yet
# or hold no organization's data. Each needs its reason.
PUBLIC = {
    "accounts:login": "the login form has to be reachable before signing in",
    "accounts:logout": "POST-only sign-out; acts on the caller's own session only",
    "accounts:two_factor_verify": "the second sign-in step: checks a code against the caller's own devices "
    "and marks the caller's own session (signed out → login; without two-factor → profile)",
    "accounts:password_reset": "'forgot password' works signed out and never says whether an address exists",
    "accounts:password_reset_done": "static 'check your mail' page",
    "accounts:password_reset_confirm": "reached from the e-mailed link; the signed token is the credential",
    "public_report": "citizens and businesses report an incident without an account (challenge + rate limit)",
    "public_report_thanks": "shows the reference of the caller's own public report, kept in their session",
    "set_language": "Django's language switch; stores the caller's own preference only",
    "api-token": "exchanges a username and password for the caller's own API token",
    "schema": "the OpenAPI schema describes endpoints and holds no data",
    "api-docs": "Swagger UI over the schema; no data",
    "api-redoc": "Redoc over the schema; no data",
    "obligations:ical": "calendar programs fetch the feed without a session: the secret token in the URL "
    "is the credential, and a wrong token is 404",
    "core:healthz": "monitoring probes it without an account; it answers ok/failed and ages in seconds, "
    "no data and no configuration",
    "federation_receive": "machine to machine: a federation peer's HMAC signature is the credential (an "
    "unsigned or wrongly signed POST is 401); GET is 405",
}
PUBLIC_NAMESPACES = {
    "admin": "Django admin: is_staff only, enforced by Django (checked below for members)",
    "taxii": "TAXII 2.1 machine door: no session, an API token in Authorization (401 without); every "
    "object is filtered by the token user's gates and TLP (ungcuu/intel/tests/test_taxii.py)",
}
PUBLIC_PARAMS = {"uidb64": "MQ", "token": "not-a-valid-token", "format": "json"}
# Public URLs whose walked (dummy) parameters must be refused rather than served.
PUBLIC_ANSWERS = {"obligations:ical": (404,), "core:healthz": (200, 503)}

# Pages a read-only member may open: GET 200 for the viewer.
READ_PAGES = {
    "core:home",
    "organizations:list",
    "organizations:detail",
    "systems:list",
    "systems:detail",
    "incidents:list",
    "incidents:detail",
    "incidents:received",
    "incidents:team_work",
    "coordination:list",
    "coordination:detail",
    # An answer's file is read as its request is (the walk's request is addressed to org A).
    "coordination:attachment",
    "evidence:incident",
    "evidence:detail",
    "advisories:index",
    "advisories:detail",
    "advisories:matrix",
    "advisories:indicators",
    "advisories:incident_indicators",
    "obligations:index",
    "obligations:occurrence",
    "obligations:file",
    "obligations:compliance",
    "obligations:definitions",
    "preparedness:index",
    "preparedness:readiness",
    "preparedness:plan_list",
    "preparedness:plan_detail",
    "preparedness:plan_versions",
    "preparedness:plan_version",
    "preparedness:plan_docx",
    "preparedness:plan_version_docx",
    "preparedness:scenario_list",
    "preparedness:scenario_detail",
    "preparedness:drill_list",
    "preparedness:drill_detail",
    "preparedness:followup_list",
    "preparedness:course_list",
    "preparedness:course_detail",
    "vulnerabilities:index",
    "vulnerabilities:scan",
    "vulnerabilities:findings",
    "vulnerabilities:export",
    "vulnerabilities:organization_findings",
    "vulnerabilities:system_findings",
    "vulnerabilities:finding",
    "reports:index",
    "reports:form05",
    "reports:unit_report",
    "reports:form01",
    "reports:form02",
    "reports:form03",
    "reports:form04",
    "reports:periodic_list",
    "reports:periodic_detail",
    "reports:statistics",
    "alerts:list",
    "alerts:detail",
    "webhooks:list",
    "webhooks:detail",
    "intel:incident_stix",
    "intel:incident_misp",
    "intel:advisory_stix",
    "intel:advisory_misp",
}
# Writes any member may make for a unit they see (reporting an incident): the viewer may use them; the
# outsider, aiming at org A, must be refused.
MEMBER_WRITES = {"incidents:report"}
# Forms that change shared data: the viewer gets 403 on GET and POST.
WRITE_FORMS = {
    "organizations:create",
    "organizations:edit",
    "organizations:focal_point_edit",
    "organizations:staff_line_add",
    "organizations:staff_line_edit",
    "systems:create",
    "systems:edit",
    "coordination:create",
    "evidence:upload",
    "advisories:create",
    "advisories:edit",
    "advisories:targets",
    "preparedness:plan_create",
    "preparedness:plan_edit",
    "preparedness:scenario_create",
    "preparedness:scenario_edit",
    "preparedness:drill_create",
    "preparedness:drill_edit",
    "preparedness:course_create",
    "preparedness:course_edit",
    "vulnerabilities:upload",
    "reports:province_report",
    "reports:bulletin",
    "reports:consolidation",
    "reports:periodic_create",
    "reports:periodic_edit",
    "reports:damage",
    "onboarding:import",  # coordinators only: the upload and its dry-run preview
    "onboarding:setup",  # superusers only: the province's settings and dated body names
    "webhooks:create",
    "webhooks:edit",
    "intel:incident_import",
    "intel:advisory_import",
}
# POST-only actions on shared data: the viewer gets 405 on GET and 403 on POST.
WRITE_ACTIONS = {
    "organizations:member_add",
    "organizations:member_remove",
    "organizations:focal_point_add",
    "organizations:focal_point_deactivate",
    "organizations:staff_line_remove",
    "systems:appraise",
    "systems:approve",
    "systems:return",
    "incidents:acknowledge",
    "incidents:classify",
    "incidents:transition",
    "incidents:add_entry",
    "incidents:add_task",
    "incidents:complete_task",
    "incidents:cancel_task",
    "incidents:close",
    "incidents:closing_report",
    "incidents:merge",
    "incidents:bulk",
    "incidents:take",
    "incidents:request_support",
    "coordination:acknowledge",
    "coordination:answer",
    "coordination:decline",
    "coordination:complete",
    "coordination:cancel",
    "evidence:custody_add",
    "advisories:publish",
    "advisories:close",
    "advisories:acknowledge",
    "advisories:state",
    "advisories:indicator_add",
    "advisories:indicator_remove",
    "advisories:incident_indicator_add",
    "advisories:incident_indicator_remove",
    "obligations:done",
    "obligations:waive",
    "preparedness:plan_approve",
    "preparedness:plan_review",
    "preparedness:plan_revise",
    "preparedness:drill_record",
    "preparedness:drill_cancel",
    "preparedness:finding_add",
    "preparedness:followup_add",
    "preparedness:followup_close",
    "preparedness:playbook_apply",
    "vulnerabilities:assign_host",
    "vulnerabilities:accept_risk",
    "vulnerabilities:false_positive",
    "vulnerabilities:reopen",
    "vulnerabilities:owner",
    "reports:periodic_submit",
    "reports:periodic_accept",
    "reports:periodic_return",
    "onboarding:apply",
    "onboarding:invite",
    "alerts:promote",
    "alerts:dismiss",
    "webhooks:rotate",
    "webhooks:resend",
}
# GET-only reads that are disclosures (they write a custody row): the viewer gets 403, POST is 405.
# The dispatch (.docx) is listed here for its shape (GET-only, viewer 403): its recipient list names every
# unit running the vulnerable product, so only the issuer and the national coordinator may download it.
# The registry's export (every unit, contact and system) and its template are GET-only and coordinators'.
DISCLOSURES = {"evidence:download", "advisories:dispatch", "onboarding:template", "onboarding:export"}
# The signed-in user's own account and inbox: open to everyone signed in, touching only their own rows.
OWN_PAGES = {
    "accounts:profile",
    "accounts:password_change",
    "accounts:password_done",
    "accounts:two_factor_setup",
    "notifications:inbox",
    # A document prepared in the background is its requester's alone (the walk's is the viewer's).
    "reports:build",
    "reports:build_download",
}
OWN_ACTIONS = {
    "accounts:filter_save",
    "accounts:filter_delete",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:two_factor_recovery",
    "accounts:two_factor_disable",
    "obligations:ical_revoke",
    "notifications:mark_all_read",
    "notifications:mark_read",
    "notifications:open",
    "obligations:ical_regenerate",
    "reports:build_prepare",  # asks for a file of a page the caller may read, for the caller alone
}
# Pages for those who answer for the whole province (coordinators and superusers): not there (404) for
# every member, read-only or manager, and GET-only (a POST is 405).
COORDINATOR_PAGES = {
    "audit:index": "the audit trail names every member's sign-ins and downloads",
    "audit:export": "the audit trail's CSV",
    "interop:inbound_list": "the intake mailbox's log names every sender and subject that reached it",
}
# POST-only actions of province-wide users: 405 on GET, and not there (404) on POST for every member.
COORDINATOR_ACTIONS = {
    "interop:inbound_release": "releasing held mail into intake is the intake desk's (the coordinators')",
    "interop:inbound_discard": "discarding held mail is the intake desk's (the coordinators')",
}
# Federation (issue 17): pages and actions for a province's coordinators, or the national instance's staff.
# Every member is told they are not there (404), or the method is wrong (405); none is a member's page.
FEDERATION_ROUTES = {
    "federation:index",
    "federation:outbox",
    "federation:retry",
    "federation:statistics",
    "federation:inbox_all",
    "federation:inbox",
    "federation:incident",
    "federation:incident_status",
    "federation:incident_request",
    "federation:advisory",
    "federation:share",
    "federation:received",
    "federation:received_form05",
    "federation:totals_latest",
    "federation:totals",
}
# What a signed-out request gets where it is not the login redirect, with the reason.
ANONYMOUS_ANSWERS = {
    "notifications:badge": ((286,), "htmx's 'stop polling' for a page whose session has ended"),
}
OWN_PAGES.add("notifications:badge")

# The API, by router basename: which of org A's objects {pk} names, and the exceptions to "GET 200,
# every write 403" for the viewer.
API_OBJECTS = {
    "organization": "org",
    "focalpoint": "focal_point",
    "staffline": "staff_line",
    "system": "system",
    "incident": "incident",
    "coordinationrequest": "coordination_request",
    "evidence": "evidence",
    "advisory": "advisory",
    "advisorytarget": "advisory_target",
    "advisorysystemstate": "system_state",
    "indicator": "indicator",
    "occurrence": "occurrence",
    "responseplan": "plan",
    "scenario": "scenario",
    "drill": "drill",
    "scan": "scan",
    "finding": "finding",
    "periodicreport": "periodic_report",
    "alertgroup": "alert_group",
    "notification": "notification",
    "apitoken": "api_token",
    "webhooksubscription": "webhook_subscription",
    "followup": "follow_up",
    "trainingcourse": "training_course",
    "auditevent": "audit_event",
    "inboundmessage": "inbound_message",
}
# Route parameters other than {pk} in API action routes (issue 16: an incident's tasks, an org's members,
# a plan's versions, a drill's findings).
API_PARAMS = {
    "task": "task",
    "member": "membership",
    "version": "plan_version",
    "finding": "drill_finding",
    "indicator": "indicator",
    "host": "scan_host",
}
# The audit trail's API follows its page: not there (404) for every member, read-only or manager.
API_COORDINATOR_ONLY = {
    "auditevent": "the audit trail names every member's sign-ins and downloads",
    "inboundmessage": "the intake mailbox's log names every sender and subject that reached it",
}
# Lists that hold only the caller's own rows, so org A's viewer does not see the walk's manager's token.
API_OWN_LISTS = {"apitoken"}
# Writes on the caller's own rows (their read marks, their tokens): the viewer may make them, the outsider
# only on their own rows (404 for org A's); who the walk's control sends for the row the walk names.
API_OWN_WRITES = {
    ("notification-read", "post"): "viewer",
    ("notification-read-all", "post"): "viewer",
    ("apitoken-revoke", "post"): "manager",
}
API_MEMBER_WRITES = {("incident-list", "post"): "any member may report an incident (door c)"}
API_DISCLOSURES = {
    ("evidence-download", "get"): "a copy is a disclosure: handlers and reporters only",
    ("advisory-proposal", "get"): "the proposal maps which units run a vulnerable product: coordinators only",
    (
        "organization-members",
        "get",
    ): "the member list is its managers' and the coordinators' (as on the page)",
    ("advisory-dispatch", "get"): "the dispatch's recipient list maps exposure: issuer and national only",
    ("document-province-report", "get"): "the province's report: province-wide users (as the page)",
    ("document-bulletin", "get"): "the quarterly bulletin: province-wide users (as the page)",
    ("report-consolidation", "get"): "who reported what for the period: province-wide users (as the page)",
    ("registry-template", "get"): "the registry's workbook is the coordinators' (as the page)",
    ("registry-export", "get"): "every unit, contact and system of the province: coordinators only",
    ("incident-form05-damage", "get"): "the damage form is its recorders' (as the page)",
}
# Reads whose answer for the walk's objects is not 200 for the viewer, with the reason.
API_READ_ANSWERS = {
    ("incident-documents-form04", "get"): ((409,), "form 04 exists once the closing report is written"),
}

# Which of org A's objects a page parameter names, per URL namespace. Notifications are the viewer's own.
PAGE_PARAMS = {
    "accounts": {"pk": "api_token"},
    "organizations": {"pk": "org", "fp": "focal_point", "member": "membership", "line": "staff_line"},
    "systems": {"pk": "system"},
    "incidents": {"pk": "incident", "task": "task", "org_pk": "org"},
    "coordination": {
        "pk": "coordination_request",
        "incident_pk": "incident",
        "attachment_pk": "answer_attachment",
    },
    "intel": {"incident_pk": "incident", "advisory_pk": "advisory"},
    "evidence": {"pk": "evidence", "incident_pk": "incident"},
    "notifications": {"pk": "notification"},
    "advisories": {
        "pk": "advisory",
        "target": "advisory_target",
        "state": "system_state",
        "indicator": "indicator",
        "incident_pk": "incident",
    },
    "obligations": {"pk": "occurrence"},
    "preparedness": {
        "plan": "plan",
        "version": "plan_version",
        "scenario": "scenario",
        "incident": "incident",
        "drill": "drill",
        "finding": "drill_finding",
        "followup": "follow_up",
        "course": "training_course",
    },
    "vulnerabilities": {
        "pk": "finding",
        "scan": "scan",
        "host": "scan_host",
        "org": "org",
        "system": "system",
    },
    "reports": {
        "org_pk": "org",
        "incident_pk": "incident",
        "pk": "periodic_report",
        "build": "document_build",
    },
    "alerts": {"pk": "alert_group"},
    "webhooks": {"pk": "webhook_subscription"},
    "interop": {"pk": "inbound_message"},
    # An outbox message or a national incident does not exist in a province's walk; any id shows the gate.
    # A period is a key ("2026-R6"): any id there is not one, and the gate answers first anyway.
    "federation": {"pk": "incident", "incident_pk": "incident", "code": "org", "period": "org"},
}
# A scenario's steps and a course's attendees are formsets: one filled row each.
WALK_STEPS = {
    "steps-TOTAL_FORMS": "1",
    "steps-INITIAL_FORMS": "0",
    "steps-0-stage": "first_actions",
    "steps-0-owner_role": "IS_OPERATOR",
    "steps-0-title": "walk",
}
WALK_COURSE = {
    "starts_on": "2026-01-05",
    "ends_on": "2026-01-05",
    "attendees-TOTAL_FORMS": "1",
    "attendees-INITIAL_FORMS": "0",
    "attendees-0-full_name": "Walk Person",
}


# An empty STIX bundle: the import form's file must be one (the walk's log file is not JSON).
def _walk_bundle(objects=None) -> SimpleUploadedFile:
    body = b'{"type": "bundle", "id": "bundle--5d0092c5-5f74-4f86-8f2c-5b1a0f9bd5a1", "objects": []}'
    return SimpleUploadedFile("walk.json", body, content_type="application/json")


INTEL_IMPORT_BODY = {"format": "stix", "file": _walk_bundle}
# Where one field name means different things in different forms.
# One line of form 01's staff annex (its pages and its API take the same fields).
STAFF_LINE_BODY = {
    "family_name": "Trần Văn",
    "given_name": "Walk",
    "position": "Chuyên viên",
    "school": "Học viện Kỹ thuật mật mã",
    "major": "An toàn thông tin",
    "training_field": "security",
    "degree": "university",
}
FORM_BODY_OVERRIDES = {
    "organizations:staff_line_add": STAFF_LINE_BODY,
    "organizations:staff_line_edit": STAFF_LINE_BODY,
    "intel:incident_import": INTEL_IMPORT_BODY,
    "intel:advisory_import": INTEL_IMPORT_BODY,
    "incidents:add_task": {"owner": ""},  # a person here, not an organization
    "incidents:add_entry": {"kind": "progress"},
    "incidents:request_support": {"reason": "Walk: the province cannot cope"},
    "incidents:bulk": {"action": "assign", "ids": lambda objects: objects["incident"].pk},
    "coordination:create": {"kind": "other"},
    "evidence:upload": {"kind": "log"},
    "preparedness:plan_approve": {"approved_by_name": "Walk Approver"},
    "preparedness:scenario_create": WALK_STEPS,
    "preparedness:scenario_edit": WALK_STEPS,
    "preparedness:drill_create": {"kind": "tabletop", "scheduled_on": "2026-01-05"},
    "preparedness:drill_edit": {"kind": "tabletop", "scheduled_on": "2026-01-05"},
    "preparedness:course_create": WALK_COURSE,
    "preparedness:course_edit": WALK_COURSE,
    "preparedness:finding_add": {"severity": "low"},
    "preparedness:followup_add": {"due_on": "2099-01-01"},
    # Callables get the walk's objects: a scan report to upload, the system to attach a host to.
    "vulnerabilities:upload": {"file": lambda objects: walk_upload()},
    "vulnerabilities:assign_host": {"system": lambda objects: objects["system"].pk},
    "vulnerabilities:accept_risk": {"expires_on": lambda objects: _in_days(30)},
    **advisory_walk.FORM_BODY_OVERRIDES,
    # The coordinator manages the specialised unit's webhooks, not org A's: the control creates one there.
    "webhooks:create": {
        "organization": lambda objects: objects["specialised_unit"].pk,
        "url": WALK_HOOK,
        "events": "incident.reported",
    },
    "webhooks:edit": {"url": WALK_HOOK, "events": "incident.reported"},
    "webhooks:resend": {"delivery": lambda objects: str(objects["webhook_delivery"].uuid)},
    "reports:periodic_create": {"kind": "progress", "span": "half_year", "year": "2025", "half": "1"},
    "reports:build_prepare": {
        "page": lambda objects: reverse("reports:periodic_detail", args=[objects["periodic_report"].pk]),
        "format": "xlsx",
    },
    "onboarding:import": {"file": lambda objects: _walk_registry_csv()},
    "onboarding:setup": {
        "province_name": "Walk",
        "reference_prefix": "WK",
        "intake_phone": "0226 3 113 113",
        "intake_email": "walk@example.gov.vn",
        "body-TOTAL_FORMS": "0",
        "body-INITIAL_FORMS": "0",
        "coordinator-TOTAL_FORMS": "0",
        "coordinator-INITIAL_FORMS": "0",
    },
}
# Pages only a superuser may use (the platform's settings): the walk's control signs in as one.
SUPERUSER_PAGES = {"onboarding:setup"}
API_BODY_OVERRIDES = {
    "staffline-list": STAFF_LINE_BODY,
    "staffline-detail": STAFF_LINE_BODY,
    "coordinationrequest-list": {"kind": "other"},
    "incident-bulk": {"action": "assign", "ids": lambda objects: [objects["incident"].pk]},
    "evidence-list": {"kind": "log"},
    "responseplan-approve": {"approved_by_name": "Walk Approver"},
    "scenario-list": {
        "category": "ATTACK.DEFACEMENT",
        "steps": [{"stage": "first_actions", "owner_role": "IS_OPERATOR", "title": "walk"}],
    },
    "drill-list": {"kind": "tabletop", "scheduled_on": "2026-01-05"},
    # Issue 16: the pages' actions through the API.
    "incident-classify": {"category": "ATTACK.DEFACEMENT"},
    "incident-entries": {"kind": "note", "message": "walk"},
    "incident-tasks": {"owner": None},
    "incident-merge": {"duplicate": lambda objects: objects["duplicate"].reference},
    "incident-closing-report": {
        "reporter_name": "Walk Reporter",
        "what_happened": "walk",
        "how_solved": "walk",
    },
    "organization-members": {"username": "walk-new", "role": "viewer"},
    "evidence-custody": {"action": "note", "note": "walk"},
    "periodicreport-list": {"kind": "progress", "span": "annual", "year": 2025, "half": None},
    "finding-accept-risk": {"reason": "walk", "expires_on": lambda objects: _in_days(30)},
    "finding-owner": {"user": None},
    "scan-assign-host": {"system": lambda objects: objects["system"].pk},
    "incident-intel-import-indicators": {"format": "stix"},
    "advisory-intel-import-indicators": {"format": "stix"},
    **advisory_walk.API_BODY_OVERRIDES,
    "drill-detail": {"kind": "tabletop"},
    "drill-findings": {"title": "walk", "severity": "low"},
    "drill-follow-ups": {"description": "walk", "due_on": "2099-01-01"},
    "trainingcourse-list": {
        "starts_on": "2026-01-05",
        "ends_on": "2026-01-05",
        "attendees": [{"full_name": "Walk Person"}],
    },
    "webhooksubscription-resend": {"delivery": lambda objects: str(objects["webhook_delivery"].uuid)},
    # One monitoring alert aimed at org A (the body's `organization`).
    "alert-list": {"source": "walk-siem", "dedup_key": "walk", "severity": "high"},
    "webhooksubscription-list": {
        "organization": lambda objects: objects["specialised_unit"].pk,
        "url": WALK_HOOK,
        "events": ["incident.reported"],
    },
    "webhooksubscription-detail": {"url": WALK_HOOK, "events": ["incident.reported"]},
}
# Files the API walk uploads where the plain log file would be refused as content.
API_FILES = {
    "scan-list": walk_upload,
    "incident-intel-import-indicators": _walk_bundle,
    "advisory-intel-import-indicators": _walk_bundle,
}


def _walk_registry_csv() -> SimpleUploadedFile:
    return SimpleUploadedFile("walk.csv", "Mã đơn vị,Tên đơn vị\nWALK-IMPORT,Walk import\n".encode())


def _in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


MUTATING = ("post", "put", "patch", "delete")
# Tables a request may legitimately write whatever it is: the caller's own session, and the audit trail,
# which records reads and downloads (its own tests check what it records and that refusals add nothing).
VOLATILE_TABLES = {"sessions.Session", "audit.AuditEvent"}
# Bookkeeping that a read updates: when an API token was last used.
VOLATILE_FIELDS = {"accounts.ApiToken": {"last_used_at"}}


# --- the routes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace, e.g. "organizations:detail"; "" for an unnamed pattern
    namespace: str
    pattern: str
    params: frozenset[str]
    callback: Any

    def __str__(self) -> str:
        return self.name + (".format" if "format" in self.params else "") if self.name else self.pattern

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return isinstance(self.view_class, type) and issubclass(self.view_class, APIView)

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC or self.namespace.split(":")[0] in PUBLIC_NAMESPACES


def _walk(patterns, namespace: str = "", prefix: str = "", params: frozenset[str] = frozenset()):
    for entry in patterns:
        here = params | frozenset(entry.pattern.regex.groupindex)
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, text, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(name, namespace.rstrip(":"), text, here, entry.callback)


ROUTES = list({(r.name or r.pattern, r.params): r for r in _walk(get_resolver().url_patterns)}.values())
WALKED = [r for r in ROUTES if not r.is_public]


def _api_basename(route: Route) -> str | None:
    matches = [b for b in API_OBJECTS if route.name == b or route.name.startswith(f"{b}-")]
    return max(matches, key=len, default=None)


def _param_objects(route: Route) -> dict[str, str]:
    """param -> object key; raises LookupError for a parameter the walk cannot fill."""
    out = {}
    for param in sorted(route.params - {"format"}):
        if route.is_api:
            basename = _api_basename(route)
            if param in API_PARAMS:
                out[param] = API_PARAMS[param]
                continue
            if param != "pk" or basename is None:
                raise LookupError(f"API parameter {param!r}: add the basename to API_OBJECTS")
            out[param] = API_OBJECTS[basename]
        else:
            known = PAGE_PARAMS.get(route.namespace, {})
            if param not in known:
                raise LookupError(
                    f"parameter {param!r} in namespace {route.namespace!r}: add it to PAGE_PARAMS"
                )
            out[param] = known[param]
    return out


def _page_kind(route: Route) -> str | None:
    tables = {
        "read": READ_PAGES,
        "member_write": MEMBER_WRITES,
        "form": WRITE_FORMS,
        "action": WRITE_ACTIONS,
        "disclosure": DISCLOSURES,
        "own": OWN_PAGES,
        "own_action": OWN_ACTIONS,
        "coordinator": COORDINATOR_PAGES,
        "coordinator_action": COORDINATOR_ACTIONS,
        "federation": FEDERATION_ROUTES,
    }
    return next((kind for kind, names in tables.items() if route.name in names), None)


def _why_unclassified(route: Route) -> str | None:
    if route.is_public:
        return None
    if not route.name:
        return "the URL has no name"
    if not route.is_api and _page_kind(route) is None:
        return (
            "add its name to one of READ_PAGES, MEMBER_WRITES, WRITE_FORMS, WRITE_ACTIONS, DISCLOSURES,"
            " OWN_*, COORDINATOR_PAGES, COORDINATOR_ACTIONS, FEDERATION_ROUTES"
        )
    try:
        _param_objects(route)
    except LookupError as exc:
        return str(exc)
    return None


def _classified(route: Route) -> None:
    reason = _why_unclassified(route)
    if reason:
        pytest.fail(f"{route.pattern} ({route.name or 'unnamed'}) is not classified: {reason}")


def _api_methods(route: Route) -> tuple[set[str], set[str]]:
    """(methods the API view serves, methods it routes but refuses with 405)."""
    actions = getattr(route.callback, "actions", None)
    cls = route.view_class
    # HEAD and OPTIONS only mirror GET or describe the view; DRF also adds "head" to `actions` itself.
    routed = {m for m in ("get", *MUTATING) if (m in actions if actions else hasattr(cls, m))}
    allowed = {m for m in routed if m in cls.http_method_names}
    return allowed, routed - allowed


# --- org A's objects, and the requests --------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and org A's objects, built once for the module (Django's setUpTestData, for pytest).

    Built inside a transaction that is rolled back when the module ends; every test runs in its own
    savepoint inside it, so what one test writes never reaches the next.
    """
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("walk-media"),
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        WEBHOOK_ALLOW_PRIVATE_TARGETS=True,  # the walk's webhook bodies name a host that is not resolved
    )
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> dict:
    """The conftest personas again (org A "Alpha", org B "Beta"; own codes and usernames so the module's
    world never collides with a test's own fixtures), and one of each of org A's objects."""
    org_a = OrganizationFactory(code="WALK-ALPHA", name="Sở Thử nghiệm Alpha", kind=Kind.OPERATOR)
    org_b = OrganizationFactory(code="WALK-BETA", name="Sở Thử nghiệm Beta", kind=Kind.OPERATOR)
    unit = OrganizationFactory(code="WALK-KHCN", name="Sở Khoa học và Công nghệ", kind=Kind.SPECIALISED_UNIT)
    people = {
        "manager": member(org_a, Role.MANAGER, username="walk-manager"),
        "responder": member(org_a, Role.RESPONDER, username="walk-responder"),
        "viewer": member(org_a, Role.VIEWER, username="walk-viewer"),
        "outsider": member(org_b, Role.MANAGER, username="walk-outsider"),
        "coordinator": member(
            unit, Role.MANAGER, username="walk-coordinator", platform_role=User.PlatformRole.COORDINATOR
        ),
    }
    manager, outsider, coordinator = people["manager"], people["outsider"], people["coordinator"]
    system_a = InformationSystemFactory(
        actor=manager, name="Cổng thông tin điện tử Alpha", owner=org_a, security_level=3
    )
    system_b = InformationSystemFactory(actor=outsider, name="Hệ thống một cửa Beta", owner=org_b)
    FocalPointFactory(actor=outsider, organization=org_b, full_name="Lê Thị Beta")
    incident = _report(manager, system_a, "Sự cố Alpha: giao diện bị thay đổi")
    _report(outsider, system_b, "Sự cố Beta")
    notification_services.notify(
        event="walk", subject="Thông báo Alpha", body="Alpha", users=[people["viewer"]], incident=incident
    )
    objects = {
        "org": org_a,
        "focal_point": FocalPointFactory(actor=manager, organization=org_a, full_name="Nguyễn Văn Alpha"),
        "staff_line": org_services.add_staff_line(
            actor=manager,
            organization=org_a,
            family_name="Nguyễn Văn",
            given_name="Alpha",
            position="Chuyên viên",
            school="Học viện Kỹ thuật mật mã",
            major="An toàn thông tin",
            training_field="security",
            degree="university",
        ),
        "system": system_a,
        "membership": Membership.objects.get(user=people["responder"], organization=org_a),
        "incident": incident,
        "duplicate": _report(manager, system_a, "Sự cố Alpha: báo trùng"),
        "periodic_report": _sent_report(manager, org_a),
        "task": incident_services.add_task(actor=coordinator, incident=incident, title="Việc Alpha"),
        "occurrence": obligation_services.mark_occurrence_done(
            actor=manager,
            occurrence=obligation_services.notify_level_change(system=system_a, on=timezone.localdate()),
            on=timezone.localdate(),
            evidence_kind="file",
            file=_file(),
            note="Alpha",
        ),
        "coordination_request": coordination_services.send_request(
            actor=coordinator,
            incident=incident,
            recipient=org_a,
            kind="other",
            required_actions="Alpha: vá lỗi",
        ),
        "evidence": evidence_services.add_evidence(
            actor=coordinator,
            incident=incident,
            uploaded_file=_file(),
            kind="log",
            classification="internal",
            description="Nhật ký máy chủ Alpha",
        ),
        "notification": Notification.objects.inbox_for(people["viewer"]).get(event="walk"),
        "answer_attachment": _answer_attachment(),
        "api_token": create_token(actor=manager, name="Alpha token")[0],
        **_preparedness(manager, org_a, system_a),
        **walk_objects(coordinator=coordinator, organization=org_a, system=system_a),
        **advisory_walk.advisory_walk_objects(coordinator=coordinator, system=system_a, incident=incident),
        "alert_group": _alert_group(manager),
        "webhook_subscription": _subscription(manager, org_a),
        "webhook_delivery": _failed_delivery(incident),
        "audit_event": record_event(actor=manager, action=AuditEvent.Action.DOWNLOAD, detail="walk"),
        "specialised_unit": unit,
        "inbound_message": _held_mail(),
    }
    objects["document_build"] = _prepared(people["viewer"], objects["periodic_report"])
    return {**people, "objects": objects}


def _prepared(viewer, report) -> DocumentBuild:
    """A file of org A's report prepared in the background for the viewer (reports.builds)."""
    build = DocumentBuild(
        requested_by=viewer,
        page=reverse("reports:periodic_detail", args=[report.pk]),
        format="pdf",
        state=DocumentBuild.State.READY,
        filename="walk.pdf",
    )
    build.file.save("walk.pdf", ContentFile(b"%PDF-1.7 Walk"), save=False)
    build.save()
    return build


def _answer_attachment():
    """A file kept with the walk's coordination request, written as the answer would, the request left
    unanswered so that the walk's answer still has something to answer."""
    request = CoordinationRequest.objects.get()
    upload = _file()
    name, size, digest = evidence_services.store_attachment(upload)
    return AnswerAttachment.objects.create(
        request=request,
        file=name,
        original_name=upload.name,
        size=size,
        sha256=digest,
        kind="log",
        uploaded_by=request.issued_by,
    )


def _subscription(manager, org_a):
    # No DNS in tests: the name is not resolved (the walk's endpoint is never called, no event commits).
    with override_settings(WEBHOOK_ALLOW_PRIVATE_TARGETS=True):
        return webhook_services.create_subscription(
            actor=manager, organization=org_a, name="Alpha SIEM", url=WALK_HOOK, events=["incident.reported"]
        )[0]


def _failed_delivery(incident) -> Delivery:
    """A delivery of org A's subscription that failed for good: what the re-send action takes."""
    return Delivery.objects.create(
        subscription=Subscription.objects.get(name="Alpha SIEM"),
        event="incident.reported",
        object_type="incidents.incident",
        object_id=incident.pk,
        occurred_at=timezone.now(),
        state=Delivery.State.FAILED,
        attempts=1,
    )


def _held_mail() -> InboundMessage:
    """A message held back as a mail bomb, with its bytes: what the release and discard actions take."""
    raw = b"From: walk@example.org\r\nSubject: Walk held mail\r\nMessage-ID: <held@walk>\r\n\r\nWalk"
    return InboundMessage.objects.create(
        message_id="<held@walk>",
        sender="walk@example.org",
        subject="Walk held mail",
        received_at=timezone.now(),
        outcome=InboundMessage.Outcome.QUARANTINED,
        reason=InboundMessage.Reason.RATE_LIMITED,
        original=raw,
    )


def _preparedness(manager, org_a, system_a) -> dict:
    """Org A's plan (a draft), scenario, held drill with a finding and its action, and training course."""
    today = timezone.localdate()
    scenario = preparedness_services.create_scenario(
        actor=manager,
        organization=org_a,
        category="ATTACK.DEFACEMENT",
        title="Kịch bản Alpha",
        steps=[{"stage": "first_actions", "owner_role": "IS_OPERATOR", "title": "Alpha: cô lập máy chủ"}],
    )
    plan = preparedness_services.create_plan(
        actor=manager,
        organization=org_a,
        title="Phương án Alpha",
        scope="Alpha",
        systems=[system_a],
        scenarios=[scenario],
    )
    drill = preparedness_services.create_drill(
        actor=manager,
        organization=org_a,
        title="Diễn tập Alpha",
        kind="live_fire",
        scheduled_on=today,
        systems=[system_a],
        held=True,
    )
    finding = preparedness_services.add_finding(
        actor=manager,
        drill=drill,
        title="Điểm yếu Alpha",
        follow_ups=[{"description": "Khắc phục Alpha", "owner": org_a, "due_on": today}],
    )
    course = preparedness_services.record_course(
        actor=manager,
        organization=org_a,
        title="Tập huấn Alpha",
        starts_on=today,
        ends_on=today,
        attendees=[{"full_name": "Nguyễn Văn Alpha"}],
    )
    return {
        "plan": plan,
        "plan_version": plan.versions.get(),
        "scenario": scenario,
        "drill": drill,
        "drill_finding": finding,
        "follow_up": finding.actions.get(),
        "training_course": course,
    }


def _report(actor, system, title):
    data = incident_services.ReportInput(
        channel="form",
        title=title,
        description="Trang chủ hiển thị nội dung lạ",
        detected_at=timezone.now() - datetime.timedelta(hours=1),
        reporter_name=str(actor),
        organization=system.operator,
        system=system,
    )
    return incident_services.submit_report(actor=actor, data=data).incident


def _alert_group(manager):
    """Org A's open alert group, sent as its monitoring system would (the manager's unit is org A)."""
    alert = {
        "source": "walk-ids",
        "dedup_key": "alpha-1",
        "severity": "high",
        "title": "Cảnh báo Alpha",
        "detected_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }
    body = json.dumps(alert).encode()
    alert_services.ingest_alerts(actor=manager, body=body, content_type="application/json")
    return AlertGroup.objects.get(source="walk-ids")


def _sent_report(manager, org):
    """A submitted report: drafts are the unit's own, even to coordinators."""
    report = report_services.start_periodic_report(
        actor=manager, organization=org, kind="progress", span="half_year", year=2025, half=2
    )
    return report_services.submit_periodic_report(actor=manager, report=report)


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("walk.log", b"GET /admin 200\n", content_type="text/plain")


def _url(route: Route, objects) -> str:
    kwargs = {param: objects[key].pk for param, key in _param_objects(route).items()}
    if "format" in route.params:
        kwargs["format"] = "json"
    return reverse(route.name, kwargs=kwargs)


# One body for every write, valid for each form and serializer the walk reaches and aimed at org A, so
# that only the permission check can stop it (`test_the_walk_body_gets_through_for_someone_allowed`).
def _form_body(route: Route, objects: dict) -> dict:
    org, incident = objects["org"].pk, objects["incident"].pk
    staff = ["staff_total", "staff_security_management", "staff_defence", "staff_protection", "staff_testing"]
    body = {
        # organization, focal point, member
        "code": "WALK-NEW",
        "name": "Walk change",
        "kind": "IS_OPERATOR",
        "is_active": "on",
        **dict.fromkeys(staff, "0"),
        "full_name": "Walk Person",
        "duty": "response",
        "email": "walk@example.gov.vn",
        "mobile": "0900 000 000",
        "username": "walk-user",
        "role": "viewer",
        # system and its dossier
        "owner": org,
        "operator": org,
        "system_type": "internal",
        "hosting": "on_premises",
        "security_level": "3",
        "note": "walk",
        "decision_number": "9/QĐ-UBND",
        "decision_date": "2026-01-05",
        # incident handling
        "organization": org,
        "incident": incident,
        "title": "Walk task",
        "description": "walk",
        "category": "ATTACK.DEFACEMENT",
        "to": "acknowledged",
        "message": "walk",
        "reporter_name": "Walk Reporter",
        "what_happened": "walk",
        "how_solved": "walk",
        "duplicate": objects["duplicate"].reference,
        # coordination and evidence
        "recipient": org,
        "required_actions": "walk",
        "answer": "walk",
        "outcome": "done",
        "reason": "walk",
        "classification": "internal",
        "action": "note",
        "file": _file(),
    }
    overrides = FORM_BODY_OVERRIDES.get(route.name, {})
    return {**body, **{k: v(objects) if callable(v) else v for k, v in overrides.items()}}


def _api_body(route: Route, objects: dict) -> dict:
    org, incident = objects["org"].pk, objects["incident"].pk
    body = {
        "code": "WALK-NEW",
        "name": "Walk change",
        "kind": "IS_OPERATOR",
        "organization": org,
        "full_name": "Walk Person",
        "email": "walk@example.gov.vn",
        "owner": org,
        "operator": org,
        "security_level": 3,
        "note": "walk",
        "decision_number": "9/QĐ-UBND",
        "decision_date": "2026-01-05",
        "incident": incident,
        "title": "Walk incident",
        "description": "walk",
        "detected_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "to": "acknowledged",
        "recipient": org,
        "required_actions": "walk",
        "answer": "walk",
        "outcome": "done",
        "reason": "walk",
        "classification": "internal",
    }
    overrides = API_BODY_OVERRIDES.get(route.name, {})
    return {**body, **{k: v(objects) if callable(v) else v for k, v in overrides.items()}}


def _send(client, method: str, url: str, route: Route, objects: dict):
    if method == "get":
        return client.get(url)
    if not route.is_api:
        return getattr(client, method)(url, _form_body(route, objects))
    body = _api_body(route, objects)
    if any(issubclass(p, JSONParser) for p in route.view_class.parser_classes):
        return getattr(client, method)(url, body, format="json")
    upload = API_FILES.get(route.name, _file)()
    return getattr(client, method)(url, {**body, "file": upload}, format="multipart")


def db_state() -> dict[str, list]:
    """Every row of every table (the walk's database is a few dozen rows)."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list(*_compared_fields(model)))
        for model in apps.get_models()
        if model._meta.label not in VOLATILE_TABLES
    }


def _compared_fields(model) -> list[str]:
    volatile = VOLATILE_FIELDS.get(model._meta.label, set())
    return [f.attname for f in model._meta.concrete_fields if f.name not in volatile]


def _assert_no_leak(response, route: Route) -> None:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Alpha" not in content, f"{route}: org A shows through"


# --- the walk ---------------------------------------------------------------------------------------


def test_every_url_is_classified():
    unclassified = [
        f"{r.pattern} ({r.name or 'unnamed'}): {why}" for r in ROUTES if (why := _why_unclassified(r))
    ]
    assert unclassified == [], "\n".join(unclassified)


def test_the_walk_covers_the_api():
    walked = {r.name for r in WALKED}
    assert {"organization-list", "organization-detail", "focalpoint-list", "focalpoint-detail"} <= walked
    assert {
        "system-list",
        "system-detail",
        "system-appraise",
        "system-approve",
        "system-return-dossier",
    } <= walked


class _AnyRow:
    """Anonymous requests must be turned away before any lookup, so any pk will do (and is cheaper)."""

    pk = 1


@pytest.mark.parametrize("route", WALKED, ids=str)
def test_anonymous_is_sent_to_login(route, client_for):
    _classified(route)
    url = _url(route, collections.defaultdict(_AnyRow))
    client, before = client_for(), db_state()

    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if route.name in ANONYMOUS_ANSWERS:
            assert response.status_code in ANONYMOUS_ANSWERS[route.name][0], f"{method.upper()} {url}"
        elif route.is_api:
            assert response.status_code in (401, 403), f"{method.upper()} {url}"
        else:
            assert response.status_code == 302, f"{method.upper()} {url}"
            assert response["Location"].startswith(reverse("accounts:login")), f"{method.upper()} {url}"
    assert db_state() == before


@pytest.mark.parametrize("route", WALKED, ids=str)
def test_outsider_sees_nothing_of_org_a(route, client_for, api_for, world):
    _classified(route)
    outsider, objects = world["outsider"], world["objects"]
    client = api_for(outsider) if route.is_api else client_for(outsider)
    url, before = _url(route, objects), db_state()

    for method, expected in _outsider_expectations(route):
        response = _send(client, method, url, route, objects)
        assert response.status_code in expected, f"{method.upper()} {url}: {response.status_code}"
        _assert_no_leak(response, route)
    if not any((route.name, m) in API_OWN_WRITES for m in MUTATING) or _param_objects(route):
        assert db_state() == before  # an own write on no named row touches only the outsider's own rows


def _outsider_expectations(route: Route) -> list[tuple[str, tuple[int, ...]]]:
    names_an_object = bool(_param_objects(route))
    if route.is_api:
        allowed, refused = _api_methods(route)
        out = [(m, (405,)) for m in sorted(refused)]
        for method in sorted(allowed):
            if names_an_object or _api_basename(route) in API_COORDINATOR_ONLY:
                out.append((method, (404,)))
            elif (route.name, method) in API_DISCLOSURES:
                out.append((method, (403,)))  # an object-less disclosure: a member of org B is refused too
            elif (route.name, method) in API_OWN_WRITES:
                out.append((method, (200,)))
            else:
                # A list answers with the outsider's own rows; a body aimed at org A must be refused.
                out.append((method, (200,) if method == "get" else (400, 403, 404)))
        return out
    kind = _page_kind(route)
    if kind == "coordinator":
        return [("get", (404,)), ("post", (405,))]
    if kind == "coordinator_action":
        return [("get", (405,)), ("post", (404,))]
    if kind == "federation":
        return [("get", (404, 405)), ("post", (404, 405))]
    # require_POST / require_GET answer 405 before any lookup, whatever the pk: nothing is revealed.
    post_only = kind in ("action", "own_action")
    if names_an_object:
        if kind == "disclosure":
            return [("get", (404,)), ("post", (405,))]
        return [("get", (405,) if post_only else (404,)), ("post", (404,))]
    if kind == "own_action":
        return [("get", (405,))]  # a POST would change the outsider's own rows, which is allowed
    if kind == "disclosure":  # object-less and GET-only: the registry's export, coordinators only
        return [("get", (403,)), ("post", (405,))]
    if kind in ("read", "own"):
        return [("get", (200,))]
    # An object-less form (register a system, report an incident): a manager of org B may open it, but
    # a body aimed at org A must be refused.
    return [("get", (200, 403, 405)), ("post", (400, 403))]


@pytest.mark.parametrize("route", WALKED, ids=str)
def test_viewer_reads_but_cannot_write(route, client_for, api_for, world):
    _classified(route)
    viewer, objects = world["viewer"], world["objects"]
    client = api_for(viewer) if route.is_api else client_for(viewer)
    url, before = _url(route, objects), db_state()
    may_write = False

    for method, expected in _viewer_expectations(route):
        response = _send(client, method, url, route, objects)
        if expected is None:  # a write the viewer may make, or a read page given a POST: no server error
            assert response.status_code < 500, f"{method.upper()} {url}"
            may_write = may_write or _page_kind(route) in ("member_write", "own_action") or route.is_api
        else:
            assert response.status_code in expected, f"{method.upper()} {url}: {response.status_code}"
    if not may_write:
        assert db_state() == before


def _viewer_expectations(route: Route) -> list[tuple[str, tuple[int, ...] | None]]:
    if route.is_api:
        allowed, refused = _api_methods(route)
        out: list[tuple[str, tuple[int, ...] | None]] = [(m, (405,)) for m in sorted(refused)]
        for method in sorted(allowed):
            if _api_basename(route) in API_COORDINATOR_ONLY:
                out.append((method, (404,)))
            elif (route.name, method) in API_DISCLOSURES:
                out.append((method, (403,)))
            elif (route.name, method) in API_READ_ANSWERS:
                out.append((method, API_READ_ANSWERS[(route.name, method)][0]))
            elif method == "get":
                out.append((method, (200,)))
            elif (route.name, method) in API_MEMBER_WRITES or (route.name, method) in API_OWN_WRITES:
                out.append((method, None))
            else:
                out.append((method, (403,)))
        return out
    return {
        # A read page must also ignore a POST body: whatever it answers, nothing may change.
        "read": [("get", (200,)), ("post", None)],
        "member_write": [("get", (200,)), ("post", None)],
        "form": [("get", (403,)), ("post", (403,))],
        "action": [("get", (405,)), ("post", (403,))],
        "disclosure": [("get", (403,)), ("post", (405,))],
        "own": [("get", (200,))],
        "own_action": [("get", (405,)), ("post", None)],
        "coordinator": [("get", (404,)), ("post", (405,))],
        "coordinator_action": [("get", (405,)), ("post", (404,))],
        "federation": [("get", (404, 405)), ("post", (404, 405))],
    }[_page_kind(route)]


def _writes(route: Route) -> list[str]:
    if route.is_api:
        allowed = _api_methods(route)[0]
        disclosures = {m for m in allowed if (route.name, m) in API_DISCLOSURES}
        return sorted((allowed - {"get"}) | disclosures)
    kinds = {"form": ["post"], "action": ["post"], "disclosure": ["get"], "coordinator_action": ["post"]}
    return kinds.get(_page_kind(route), [])


@pytest.mark.parametrize("route", [r for r in WALKED if not _why_unclassified(r) and _writes(r)], ids=str)
def test_the_walk_body_gets_through_for_someone_allowed(route, client_for, api_for, world):
    """Control: the viewer's 403 above comes from the permission check, not from a body that is invalid.

    The coordinator may do most things; answering a coordination request is the recipient's (org A's
    manager). 409 means allowed but not legal from the walk object's current state.
    """
    objects = world["objects"]
    url = _url(route, objects)
    for method in sorted(_writes(route), key=lambda m: m == "delete"):  # a delete that works goes last
        statuses = []
        people = (world["coordinator"], world["manager"])
        if (route.name, method) in API_OWN_WRITES:
            people = (world[API_OWN_WRITES[(route.name, method)]],)
        if route.name in SUPERUSER_PAGES:
            people = (User.objects.create_superuser("walk-root", "root@example.gov.vn", "x"),)
        for person in people:
            client = api_for(person) if route.is_api else client_for(person)
            statuses.append(_send(client, method, url, route, objects).status_code)
            if statuses[-1] != 403:
                break
        ok = statuses[-1] < 400 or statuses[-1] == 409
        assert ok, f"{method.upper()} {url}: {statuses}"


def test_the_leak_check_would_see_org_a(client_for, api_for, world):
    """Control: the pages the outsider is checked on do show org A to its own viewer."""
    viewer = world["viewer"]
    pages = ["core:home", "organizations:list", "systems:list", "incidents:list", "coordination:list"]
    for name in pages:
        assert b"Alpha" in client_for(viewer).get(reverse(name)).content, name
    for basename in set(API_OBJECTS) - API_OWN_LISTS - set(API_COORDINATOR_ONLY):
        url = reverse(f"{basename}-list")
        assert b"Alpha" in api_for(viewer).get(url).content, url


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC], ids=str)
def test_public_urls_answer_without_an_account(route, client_for):
    missing = route.params - set(PUBLIC_PARAMS)
    assert not missing, f"{route.pattern}: add {missing} to PUBLIC_PARAMS"
    url = reverse(route.name, kwargs={p: PUBLIC_PARAMS[p] for p in route.params})

    response = client_for().get(url)

    assert response.status_code in PUBLIC_ANSWERS.get(route.name, (200, 302, 405)), url


@pytest.mark.parametrize("name", sorted(COORDINATOR_PAGES))
def test_coordinator_pages_open_for_the_coordinator(name, client_for, world):
    """Control: the 404s above come from the role check, not from a page that is broken for everyone."""
    assert client_for(world["coordinator"]).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["federation:outbox", "federation:inbox_all"])
def test_federation_pages_open_for_the_coordinator(name, client_for, world):
    """Control: the federation's 404s above come from its gate, not from a broken page."""
    assert client_for(world["coordinator"]).get(reverse(name)).status_code == 200


def test_admin_is_closed_to_members(client_for, world):
    for user in (None, world["viewer"], world["coordinator"]):
        response = client_for(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
