from django.db import models


class ExpertFeatures(models.Model):
    """One row per expert with what matching asks about them, kept by the database itself
    (matching.features). On PostgreSQL the table has many more columns (arrays of ids, the
    load counts), added and kept current by SQL triggers; Django knows only the key, so that
    it empties the table with the others (tests, `flush`). Other databases have the key only
    and match in Python."""

    expert_id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "matching_expert_features"
        default_permissions = ()

    def __str__(self):
        return f"features of expert {self.expert_id}"
