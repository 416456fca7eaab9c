"""The backup restore drill (scripts/restore_drill.py, `make restore-drill`; README, Backups).
CI also runs `make restore-drill` on PostgreSQL with the demo data."""

import os

import pytest
from django.db import connection
from scripts import restore_drill


def test_differences_name_each_table_that_does_not_match():
    source = {"accounts_user": 72, "orders_order": 14, "audit_auditevent": 5}
    copy = {"accounts_user": 72, "orders_order": 13, "extra": 0}
    assert restore_drill.differences(source, copy) == [
        "audit_auditevent: missing from the copy",
        "extra: only in the copy",
        "orders_order: 14 rows, the copy has 13",
    ]
    assert restore_drill.differences(source, dict(source)) == []


def test_a_database_url_for_another_database_on_the_same_server():
    url = "postgres://kk:secret@db.example.fi:5433/kokemustori?sslmode=require"
    assert restore_drill.with_database(url, "postgres") == (
        "postgres://kk:secret@db.example.fi:5433/postgres?sslmode=require"
    )


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""), reason="pg_dump needs PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_the_test_database_and_logs_in(capsys):
    from tests.factories import OrdererFactory

    user = OrdererFactory().user
    user.set_password("kokemus-drill-2026")
    user.save()
    s = connection.settings_dict
    source = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    os.environ["RESTORE_DRILL_PASSWORD"] = "wrong password"
    try:
        # The copy is complete, but a wrong password does not log in: the drill fails.
        assert restore_drill.main(["--source", source, "--login", user.email]) == 1
        assert "FAILED: could not log in on the copy" in capsys.readouterr().out
    finally:
        del os.environ["RESTORE_DRILL_PASSWORD"]
    assert restore_drill.main(["--source", source]) == 0
    out = capsys.readouterr().out
    assert "permissions 600" in out
    assert "row counts equal in all" in out
    assert "login on the copy as a temporary user: logged in" in out
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'kokemustori_restore_drill_%'"
        )
        assert cursor.fetchone()[0] == 0  # cleaned up
