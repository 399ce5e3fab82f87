"""The coordinators' log of the intake mailbox: every message read and what became of it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from ungcuu.core.htmx import render_page_or_fragment
from ungcuu.core.pagination import paginate
from ungcuu.interop.models import InboundMessage
from ungcuu.organizations import access


@login_required
@require_GET
def inbound_list(request):
    # For those who take reports in for the whole province; anyone else is told it is not there.
    if not access.is_coordinator(request.user):
        raise Http404
    messages = InboundMessage.objects.visible_to(request.user).select_related("incident", "organization")
    outcome = request.GET.get("outcome", "")
    if outcome in InboundMessage.Outcome.values:
        messages = messages.filter(outcome=outcome)
    context = {
        "page": paginate(request, messages, per_page=50),
        "outcome": outcome,
        "outcomes": InboundMessage.Outcome.choices,
    }
    return render_page_or_fragment(
        request, "interop/inbound_list.html", "interop/_inbound_table.html", context
    )
