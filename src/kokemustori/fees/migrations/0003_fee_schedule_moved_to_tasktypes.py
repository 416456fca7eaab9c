"""The fee schedule moved to tasktypes (orders need it to state the fee, and orders sit below
fees). Existing rows are copied, valid from the start of their year with no end."""

import datetime

from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("fees", "FeeSchedule")
    New = apps.get_model("tasktypes", "FeeSchedule")
    start = datetime.date(datetime.date.today().year, 1, 1)
    for row in Old.objects.all():
        New.objects.create(
            organisation_id=row.organisation_id,
            task_type_id=row.task_type_id,
            basis=row.basis,
            amount=row.amount,
            amount_min=row.amount if row.amount_max is not None else None,
            amount_max=row.amount_max,
            valid_from=start,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0002_fee_record_paid_by"),
        ("tasktypes", "0004_fee_schedule"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="FeeSchedule"),
    ]
