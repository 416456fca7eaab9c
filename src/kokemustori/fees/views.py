from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kokemustori.audit.log import record as audit
from kokemustori.audit.models import Action
from kokemustori.core.permissions import require
from kokemustori.core.roles import coordinated_organisations, expert_of
from kokemustori.experts import identity
from kokemustori.identity import confirmation as strong_identification

from . import earnings, export, queries, services, signals
from .forms import ExpensesForm, FeeFilterForm, FeeScheduleForm, IdentityCodeForm
from .models import FeeRecord, FeeSchedule, FeeStatus
from .rules import is_own_record

PAGE_SIZE = 50


def _record(request, pk, perm):
    record = get_object_or_404(FeeRecord.objects.select_related(*queries.RELATED), pk=pk)
    require(request.user, perm, record, hide=True)
    return record


def _filter_query(form) -> str:
    """The valid filters as a query string, for the export link and the pages."""
    if not form.is_bound or form.errors:
        return ""
    data = form.cleaned_data
    return urlencode(
        {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in data.items()
            if value
        }
    )


def _list_page(request, form, *, status=200):
    records = queries.coordinator_records(request.user)
    if form.is_bound and form.is_valid():
        records = form.filter(records)
    elif form.is_bound:
        records = records.none()
    records = records.order_by("-assignment_date", "-pk")
    context = {
        "form": form,
        "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": queries.totals(records),
        "filter_query": _filter_query(form),
        "statuses": FeeStatus,
    }
    if not form.errors:
        filters = form.cleaned_data if form.is_bound else {}
        for _receiver, extra in signals.fee_list_page.send(
            sender=FeeRecord, user=request.user, filters=filters
        ):
            context.update(extra)
    return render(request, "fees/list.html", context, status=status)


@login_required
@require_GET
def fee_list(request):
    require(request.user, "fees.coordinate")
    params = request.GET.copy()
    params.pop("page", None)
    return _list_page(request, FeeFilterForm(params or None))


@login_required
@require_GET
def overdue(request):
    require(request.user, "fees.coordinate")
    today = earnings.today()
    records = queries.overdue(queries.coordinator_records(request.user), today)
    return render(request, "fees/overdue.html", {"records": records, "today": today})


def _back(request):
    target = request.POST.get("next", "")
    # Only a path on this site; never given to redirect(), which would read a word as the
    # name of a view.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("fees:list")


@login_required
@require_POST
def approve(request, pk):
    record = _record(request, pk, "fees.manage_record")
    try:
        services.approve(request.user, record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The fee of %(name)s was approved.") % {"name": record.expert_name},
        )
    return _back(request)


@login_required
@require_POST
def mark_paid(request, pk):
    record = _record(request, pk, "fees.manage_record")
    try:
        services.mark_paid(request.user, record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The fee of %(name)s was marked paid.") % {"name": record.expert_name},
        )
    return _back(request)


def _export(request, kind):
    """The payer's export of the fees the coordinator's organisations pay, with the list's
    filters; each export is an audit event of each organisation."""
    require(request.user, "fees.coordinate")
    form = FeeFilterForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("The export was not made: please check the filters."))
        return _list_page(request, form, status=400)
    records = form.filter(queries.coordinator_records(request.user)).order_by(
        "assignment_date", "pk"
    )
    today = earnings.today()
    if kind == "xlsx":
        content, count = export.write_xlsx(records)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        count = export.write(records, response)
    response["Content-Disposition"] = f'attachment; filename="fees-{today.isoformat()}.{kind}"'
    codes = export.identity_codes_in(records)
    detail = f"fees.{kind}: {count} rows"
    if codes:
        detail = f"{detail}; identity codes: {len(codes)}"
        for expert in codes:
            audit(request.user, Action.EXPORTED, expert=expert, detail="identity code exported")
    if query := _filter_query(form):
        detail = f"{detail}; {query}"
    for organisation in coordinated_organisations(request.user):
        audit(request.user, Action.EXPORTED, organisation=organisation, detail=detail)
    return response


@login_required
@require_GET
def export_csv(request):
    return _export(request, "csv")


@login_required
@require_GET
def export_xlsx(request):
    return _export(request, "xlsx")


@login_required
@require_GET
def mine(request):
    require(request.user, "fees.view_own")
    expert = expert_of(request.user)
    return render(
        request,
        "fees/mine.html",
        {
            "expert": expert,
            "records": queries.expert_records(expert),
            "summary": earnings.summary(expert),
            "strong_identification": strong_identification.broker() is not None,
            "identity_confirmation": strong_identification.of(expert),
        },
    )


@login_required
def expenses(request, pk):
    record = _record(request, pk, "fees.edit_expenses")
    own = is_own_record(request.user, record)
    done = redirect("fees:mine" if own else "fees:list")
    if record.status != FeeStatus.PENDING:
        messages.error(
            request,
            _("The fee has already been approved. Ask your coordinator to correct the expenses."),
        )
        return done
    if request.method == "POST":
        form = ExpensesForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                services.set_expenses(
                    request.user,
                    record,
                    data["amount"] or 0,
                    data["note"],
                    public_transport=data["public_transport"] or 0,
                    kilometres=data["kilometres"] or 0,
                    daily_allowance=data["daily_allowance"] or 0,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The expenses were saved."))
                return done
    else:
        form = ExpensesForm(
            initial={
                "public_transport": record.public_transport_amount or None,
                "kilometres": record.mileage_km or None,
                "daily_allowance": record.daily_allowance_amount or None,
                "amount": record.other_expenses_amount or None,
                "note": record.expenses_note,
            }
        )
    return render(
        request,
        "fees/expenses.html",
        {
            "form": form,
            "record": record,
            "own": own,
            "rate": services.mileage_rate(record.assignment_date.year),
        },
    )


@login_required
@require_GET
def schedule(request):
    """The coordinator's own organisations' fee schedules: current, coming and past rows."""
    require(request.user, "fees.keep_schedule")
    organisations = coordinated_organisations(request.user)
    rows = (
        FeeSchedule.objects.filter(organisation__in=organisations)
        .select_related("organisation", "task_type")
        .order_by("organisation__name", "task_type__order", "task_type__slug", "-valid_from")
    )
    return render(
        request,
        "fees/schedule.html",
        {"rows": rows, "today": earnings.today(), "current": "schedule"},
    )


def _schedule_form(request, row):
    organisations = coordinated_organisations(request.user)
    if request.method == "POST":
        form = FeeScheduleForm(request.POST, instance=row, organisations=organisations)
        if form.is_valid():
            form.save()
            messages.success(request, _("The fee schedule was saved."))
            return redirect("fees:schedule")
        messages.error(request, _("Please check the fields marked below."))
        status = 400
    else:
        initial = {"valid_from": earnings.today()} if row.pk is None else None
        form = FeeScheduleForm(instance=row, organisations=organisations, initial=initial)
        status = 200
    return render(request, "fees/schedule_form.html", {"form": form, "row": row}, status=status)


@login_required
def schedule_add(request):
    require(request.user, "fees.keep_schedule")
    return _schedule_form(request, FeeSchedule())


@login_required
def schedule_edit(request, pk):
    row = get_object_or_404(FeeSchedule.objects.select_related("organisation"), pk=pk)
    require(request.user, "fees.edit_schedule_row", row, hide=True)
    return _schedule_form(request, row)


@login_required
def identity_code(request):
    """The expert enters (or removes) their personal identity code for the payer."""
    require(request.user, "fees.view_own")
    expert = expert_of(request.user)
    if not identity.available():
        messages.error(
            request, _("Personal identity codes cannot be stored yet: ask the administrator.")
        )
        return redirect("fees:mine")
    form = IdentityCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["remove"]:
                expert.personal_identity_code_encrypted = ""
                messages.success(request, _("Your personal identity code was removed."))
            else:
                expert.personal_identity_code_encrypted = identity.encrypt(
                    form.cleaned_data["personal_identity_code"]
                )
                messages.success(request, _("Your personal identity code was saved."))
            expert.save(update_fields=["personal_identity_code_encrypted", "updated_at"])
            return redirect("fees:mine")
        status = 400
    else:
        status = 200
    current = identity.masked(identity.decrypt(expert.personal_identity_code_encrypted))
    return render(
        request,
        "fees/identity_code.html",
        {
            "form": form,
            "current": current,
            "strong_identification": strong_identification.broker() is not None,
        },
        status=status,
    )
