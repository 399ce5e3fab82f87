"""The coordinators' log of the intake mailbox: every message read and what became of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.interop import services
from ungcuu.interop.models import InboundMessage
from ungcuu.organizations import access


@login_required
@require_GET
def inbound_list(request):
    # For those who take reports in for the whole province; anyone else is told it is not there.
    if not access.is_coordinator(request.user):
        raise Http404
    rows = InboundMessage.objects.visible_to(request.user).select_related(
        "incident", "organization", "decided_by"
    )
    outcome = request.GET.get("outcome", "")
    if outcome in InboundMessage.Outcome.values:
        rows = rows.filter(outcome=outcome)
    context = {
        "page": paginate(request, rows.defer("original"), per_page=50),
        "outcome": outcome,
        "outcomes": InboundMessage.Outcome.choices,
    }
    return render_page_or_fragment(
        request, "interop/inbound_list.html", "interop/_inbound_table.html", context
    )


@login_required
@require_POST
def inbound_decide(request, pk: int, action: str):
    """Release a quarantined message into intake, or discard it; both are decided once."""
    if not access.is_coordinator(request.user):
        raise Http404
    row = access.get_visible_or_404(InboundMessage.objects, request.user, pk=pk)
    service = services.release_message if action == "release" else services.discard_message
    try:
        row = service(actor=request.user, message=row)
    except services.NotReleasable as error:
        messages.error(request, _("This message cannot be released: %(reason)s.") % {"reason": error})
        return redirect("interop:inbound_list")
    if row.decision == InboundMessage.Decision.RELEASED:
        messages.success(
            request, _("Released into intake: %(outcome)s.") % {"outcome": row.get_outcome_display()}
        )
    elif row.decision == InboundMessage.Decision.DISCARDED:
        messages.success(request, _("Message discarded."))
    else:
        messages.error(request, _("The report could not be accepted: %(detail)s") % {"detail": row.detail})
    return redirect("interop:inbound_list")
