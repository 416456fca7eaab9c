from django.db import migrations

from kokemustori.matching import features


def add_indexes(apps, schema_editor):
    # PostgreSQL only: the GIN indexes that find the experts of one tier (features.best).
    if schema_editor.connection.vendor == "postgresql":
        for statement in features.index_sql():
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in features.TIER_INDEXED:
            schema_editor.execute(f"DROP INDEX IF EXISTS {features.TABLE}_{column}")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
