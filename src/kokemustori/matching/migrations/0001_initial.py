from django.db import migrations, models

from kokemustori.matching import features


def install(apps, schema_editor):
    # PostgreSQL only: the feature columns, the refresh function and its triggers; every
    # expert's row filled. (The SQL lives in matching.features, where the query reads it.)
    features.install(schema_editor)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in features.uninstall_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("experts", "0004_personal_identity_code"),
        ("offers", "0003_fee_figures"),
        ("orders", "0003_starts_at_index"),
        ("taxonomy", "__first__"),
        ("tasktypes", "__first__"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExpertFeatures",
            fields=[
                ("expert_id", models.BigIntegerField(primary_key=True, serialize=False)),
            ],
            options={
                "db_table": "matching_expert_features",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
