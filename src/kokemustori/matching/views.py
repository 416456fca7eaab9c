from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.experts.models import Expert
from kokemustori.offers.services import default_expiry, send_offers
from kokemustori.orders.models import Order, OrderState
from kokemustori.requirements.checks import needs_of, unmet_by_expert

from .candidates import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Filters,
    match,
    order_facts,
    ranked_among,
    why_not_offerable,
)
from .forms import MatchFilterForm, SendOffersForm
from .ranking import Ranked, Reason

MATCHABLE = (OrderState.MATCHING, OrderState.OFFERED)
TOP_REASONS = 2


@dataclass(frozen=True)
class Row:
    ranked: Ranked
    position: int
    name: str
    legal_name: str  # only for coordinators of the expert's own organisation
    own_organisation: bool
    organisation: str
    kinds: list
    checked: bool
    expert: object = None
    wished: bool = False  # the orderer asked for this expert ("Order this expert")

    @property
    def top_reasons(self):
        """The two reasons that weigh most, for the one-line view; the rest behind a click."""
        weighed = [r for r in self.ranked.reasons if r.points]
        return sorted(weighed, key=lambda r: -abs(r.points))[:TOP_REASONS]

    @property
    def month_load(self):
        """(assignments in the assignment's month, the expert's own limit or None)."""
        c = self.ranked.candidate
        return c.assignments_in_month, c.workload_limit


def _name_for(expert, viewer_org_ids):
    """Coordinators of the expert's organisation may see the legal name; everyone else sees
    the public name only."""
    own = expert.organisation_id in viewer_org_ids
    return expert.display_name, (expert.legal_name if own else ""), own


def why_not(order, expert_ids, *, viewer):
    """`why_not_offerable`, with the order's requirements as a reason too (for the expert's
    own coordinators only, like every other reason). Until candidates.why_not_offerable says
    so itself: then this is why_not_offerable again."""
    found = why_not_offerable(order, expert_ids, viewer=viewer)
    rest = [pk for pk in {int(pk) for pk in expert_ids} if pk not in found]
    unmet = unmet_by_expert(order, rest)
    if unmet:
        own = coordinated_organisation_ids(viewer) if viewer is not None else frozenset()
        orgs = dict(Expert.objects.filter(pk__in=unmet).values_list("pk", "organisation_id"))
        for pk, text in unmet.items():
            found[pk] = Reason("requirements", 0, text) if orgs.get(pk) in own else None
    return found


def _wish(order, result, viewer):
    """What the page says of the expert the orderer wished for, or None: whether they are in
    the list, further down it, or may not be offered the order now (and why, for one's own)."""
    expert = order.wished_expert
    if expert is None:
        return None
    shown = result.ranked(expert.pk) is not None
    refused = {} if shown else why_not(order, [expert.pk], viewer=viewer)
    eligible = expert.pk not in refused
    reason = refused.get(expert.pk)
    return {
        "name": expert.display_name,
        "shown": shown,
        "eligible": eligible,
        "reason": reason,
    }


def _rows(result, viewer_org_ids, selected, wished_id=None):
    rows = []
    for position, ranked in enumerate(result.shown, start=1):
        expert = result.experts[ranked.expert_id]
        name, legal_name, own = _name_for(expert, viewer_org_ids)
        rows.append(
            Row(
                ranked=ranked,
                position=position,
                name=name,
                legal_name=legal_name,
                own_organisation=own,
                organisation=expert.organisation.name,
                kinds=expert.held_kind_labels(),
                checked=str(ranked.expert_id) in selected,
                expert=expert,
                wished=ranked.expert_id == wished_id,
            )
        )
    return rows


def _offered(result, viewer_org_ids):
    out = []
    for offer in result.offered:
        name, legal_name, own = _name_for(offer.expert, viewer_org_ids)
        out.append({"offer": offer, "name": name, "legal_name": legal_name, "own": own})
    return out


def _with(request, **values) -> str:
    query = request.GET.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


def _eligible(order):
    return order_facts(order).eligible_kinds


def _limit(request):
    try:
        value = int(request.GET.get("show", DEFAULT_LIMIT))
    except ValueError:
        value = DEFAULT_LIMIT
    return max(DEFAULT_LIMIT, min(value, MAX_LIMIT))


@login_required
def order_matching(request, order_pk):
    """Step 3 of the ordering path: the ranked experts for an order, and sending offers."""
    order = get_object_or_404(
        Order.objects.select_related(
            "orderer",
            "organisation",
            "task_type",
            "topic__area",
            "language",
            "region",
            "wished_expert__user",
        ),
        pk=order_pk,
    )
    require(request.user, "matching.match_order", order, hide=True)
    viewer_org_ids = coordinated_organisation_ids(request.user)
    context = {"order": order, "can_match": order.state in MATCHABLE}
    if not context["can_match"]:
        return render(request, "matching/order.html", context)

    limit = _limit(request)
    facts_only = {key: request.GET[key] for key in ("own", "kind", "region") if key in request.GET}
    filter_form = MatchFilterForm(facts_only or None, eligible_kinds=_eligible(order))
    filters = Filters(**filter_form.filters(viewer_org_ids)) if facts_only else None
    result = match(order, viewer=request.user, limit=limit, filters=filters)
    data = request.POST if request.method == "POST" else None
    chosen_ranking = {}  # filled when the form checks the chosen experts

    def allowed(ids):
        chosen_ranking.update(ranked_among(order, ids, viewer=request.user))
        return chosen_ranking.keys()

    form = SendOffersForm(
        data,
        order=order,
        allowed=allowed,
        explain=lambda ids: why_not(order, ids, viewer=request.user),
        initial={"expires_at": default_expiry(order)},
    )
    if data is not None and form.is_valid():
        chosen = form.cleaned_data["experts"]
        experts = list(Expert.objects.filter(pk__in=chosen))
        try:
            send_offers(
                order,
                experts,
                actor=request.user,
                message=form.cleaned_data["message"].strip(),
                expires_at=form.cleaned_data["expires_at"],
                reasons={pk: chosen_ranking[pk].summary() for pk in chosen},
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "The offer was sent to %(count)s expert.",
                    "The offer was sent to %(count)s experts.",
                    len(experts),
                )
                % {"count": len(experts)},
            )
            return redirect("orders:detail", order.pk)

    selected = set(form["experts"].value() or []) if data is not None else set()
    context.update(
        {
            "form": form,
            "match": result,
            "rows": _rows(
                result, viewer_org_ids, {str(v) for v in selected}, order.wished_expert_id
            ),
            "wish": _wish(order, result, request.user),
            "offered": _offered(result, viewer_org_ids),
            "more": min(limit + DEFAULT_LIMIT, MAX_LIMIT)
            if result.total > limit and limit < MAX_LIMIT
            else None,
            "limit": limit,
            "filter_form": filter_form,
            "filtered": bool(filters),
            "more_query": _with(request, show=min(limit + DEFAULT_LIMIT, MAX_LIMIT)),
            "requirements": needs_of(order).texts(),
        }
    )
    return render(request, "matching/order.html", context)
