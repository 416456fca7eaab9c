"""Demo fee schedules: realistic figures for every default task type, after one association's
published recommendation (talks and lectures 100–600 € per event, group leading and its
preparation 25 €/h, client meetings 50 € per meeting, meeting fees 50–100 €, development
projects 300–600 €, other work 25 €/h)."""

from datetime import date
from decimal import Decimal

from kokemustori.tasktypes.models import FeeBasis, FeeSchedule, TaskType

E, H, M = FeeBasis.PER_EVENT, FeeBasis.PER_HOUR, FeeBasis.PER_MEETING

# slug: (basis, fee, range from, range up to)
DEMO_FEES = {
    "lecture": (E, "200", "100", "600"),
    "first-info-lecture": (E, "150", "100", "600"),
    "training": (E, "300", "100", "600"),
    "working-group": (M, "75", "50", "100"),
    "workshop": (E, "300", "300", "600"),
    "client-panel": (M, "75", "50", "100"),
    "resident-panel": (M, "75", "50", "100"),
    "interview": (M, "50", None, None),
    "advocacy": (H, "25", None, None),
    "peer-group": (H, "25", None, None),
    "client-work": (M, "50", None, None),
    "peer-partnership": (M, "50", None, None),
}
# Other task types an administrator adds: "other work", 25 €/h.
OTHER_WORK = (H, "25", None, None)


def _money(value):
    return Decimal(value) if value is not None else None


def load_demo_fee_schedules(organisations, today: date) -> int:
    """This year's schedule for every organisation and task type; the first organisation has
    also entered next year's (lectures up by 20 €), to show a schedule entered before it
    starts. Returns the number of rows made."""
    count = 0
    for index, organisation in enumerate(organisations):
        for task_type in TaskType.objects.all():
            basis, fee, low, high = DEMO_FEES.get(task_type.slug, OTHER_WORK)
            this_year_ends = date(today.year, 12, 31) if index == 0 else None
            FeeSchedule.objects.create(
                organisation=organisation,
                task_type=task_type,
                basis=basis,
                amount=Decimal(fee),
                amount_min=_money(low),
                amount_max=_money(high),
                valid_from=date(today.year, 1, 1),
                valid_until=this_year_ends,
            )
            count += 1
            if index == 0:
                raise_by = Decimal("20") if basis == E and low == "100" else Decimal("0")
                FeeSchedule.objects.create(
                    organisation=organisation,
                    task_type=task_type,
                    basis=basis,
                    amount=Decimal(fee) + raise_by,
                    amount_min=_money(low),
                    amount_max=_money(high),
                    valid_from=date(today.year + 1, 1, 1),
                )
                count += 1
    return count
