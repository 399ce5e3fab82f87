"""Home dashboard, per role: what the user's part of the network holds and what needs attention."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from ungcuu.incidents.queries import incident_figures, my_teams, team_work
from ungcuu.onboarding.setup import setup_needed
from ungcuu.organizations import access
from ungcuu.organizations.models import Organization
from ungcuu.preparedness.followups import overdue_for
from ungcuu.systems.models import InformationSystem


def registry_figures(user) -> dict:
    """Counts for the dashboard, all through the tenancy gate and aggregated in the database."""
    systems = InformationSystem.objects.visible_to(user).filter(is_active=True)
    by_level = dict(systems.values_list("security_level").annotate(n=Count("id")).order_by())
    pending = systems.exclude(dossier_state=InformationSystem.DossierState.APPROVED)
    return {
        "organization_count": Organization.objects.visible_to(user).filter(is_active=True).count(),
        "system_count": systems.count(),
        "levels": [(level, by_level.get(level, 0)) for level in range(1, 6)],
        "pending_count": pending.count(),
        "pending": pending.select_related("operator").order_by("-security_level", "name")[:15],
        "critical_count": systems.filter(is_critical_national=True).count(),
    }


@login_required
def home(request):
    if request.user.is_superuser and setup_needed():
        # A fresh real deployment: its first administrator starts at the set-up page (issue 19).
        return redirect("onboarding:setup")
    context = {
        "incidents": incident_figures(request.user),
        "figures": registry_figures(request.user),
        "is_coordinator": access.is_coordinator(request.user),
        "memberships": request.user.memberships.select_related("organization"),
        # A response team's account leads with the team's open work (issue 15).
        "teams": [team_work(request.user, team) for team in my_teams(request.user)],
        "follow_ups": overdue_for(request.user),
    }
    return render(request, "home/home.html", context)
