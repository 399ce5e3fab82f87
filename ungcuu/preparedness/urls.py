from django.urls import path

from ungcuu.preparedness.views import drills, overview, plans, playbooks, scenarios, training

app_name = "preparedness"

# Parameters are named after their object (plan, scenario, drill, …) so that one name means one kind of
# object across the app (the access walk maps each name to an object).
urlpatterns = [
    path("", overview.index, name="index"),
    path("readiness/", overview.readiness, name="readiness"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:plan>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:plan>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:plan>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:plan>/review/", plans.plan_review, name="plan_review"),
    path("plans/<int:plan>/revise/", plans.plan_revise, name="plan_revise"),
    path("plans/<int:plan>/docx/", plans.plan_docx, name="plan_docx"),
    path("plans/<int:plan>/versions/", plans.plan_versions, name="plan_versions"),
    path("plans/<int:plan>/versions/<int:version>/", plans.plan_version, name="plan_version"),
    path("plans/<int:plan>/versions/<int:version>/docx/", plans.plan_version_docx, name="plan_version_docx"),
    path("scenarios/", scenarios.scenario_list, name="scenario_list"),
    path("scenarios/new/", scenarios.scenario_create, name="scenario_create"),
    path("scenarios/<int:scenario>/", scenarios.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:scenario>/edit/", scenarios.scenario_edit, name="scenario_edit"),
    path(
        "incidents/<int:incident>/playbooks/<int:scenario>/apply/",
        playbooks.playbook_apply,
        name="playbook_apply",
    ),
    path("drills/", drills.drill_list, name="drill_list"),
    path("drills/new/", drills.drill_create, name="drill_create"),
    path("drills/<int:drill>/", drills.drill_detail, name="drill_detail"),
    path("drills/<int:drill>/edit/", drills.drill_edit, name="drill_edit"),
    path("drills/<int:drill>/record/", drills.drill_record, name="drill_record"),
    path("drills/<int:drill>/cancel/", drills.drill_cancel, name="drill_cancel"),
    path("drills/<int:drill>/findings/", drills.finding_add, name="finding_add"),
    path("findings/<int:finding>/follow-ups/", drills.followup_add, name="followup_add"),
    path("follow-ups/", drills.followup_list, name="followup_list"),
    path("follow-ups/<int:followup>/close/", drills.followup_close, name="followup_close"),
    path("training/", training.course_list, name="course_list"),
    path("training/new/", training.course_create, name="course_create"),
    path("training/<int:course>/", training.course_detail, name="course_detail"),
    path("training/<int:course>/edit/", training.course_edit, name="course_edit"),
]
