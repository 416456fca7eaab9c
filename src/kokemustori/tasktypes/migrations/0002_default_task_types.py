from django.db import migrations


def create(apps, schema_editor):
    from kokemustori.tasktypes.defaults import DEFAULT_TASK_TYPES

    TaskType = apps.get_model("tasktypes", "TaskType")
    for order, (slug, nature, kinds, minutes, fee_basis, names) in enumerate(DEFAULT_TASK_TYPES):
        fi, sv, en = names
        TaskType.objects.update_or_create(
            slug=slug,
            defaults={
                "nature": nature,
                "allowed_kinds": kinds,
                "usual_duration_minutes": minutes,
                "fee_basis": fee_basis,
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tasktypes", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
