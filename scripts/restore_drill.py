"""Backup restore drill: dump a PostgreSQL database (pg_dump custom format), restore it into a
fresh database, and check that every table has the same number of rows and that a login works
on the copy. Everything it makes (the dump, the copy, a seeded source) is removed at the end.

    make restore-drill                                   # a throw-away source with the demo data
    .venv/bin/python scripts/restore_drill.py --source "$DATABASE_URL" [--login someone@example.fi]

With --source the drill reads that database and never writes to it; the login is tried on the
restored copy: as --login with the password in RESTORE_DRILL_PASSWORD, or else as a temporary
user made in the copy. Exit status 0 when the copy is complete and a login works.
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEMO_LOGIN = ("tilaaja@example.org", "kokemus-demo-2026")  # README, demo logins

# Run in a Django process on the restored copy: log in through the real login view.
LOGIN_CHECK = """
import json, uuid
from django.conf import settings
from django.test import Client
from kokemustori.accounts.models import User
email, password = {email!r}, {password!r}
if email is None:
    email, password = f"restore-drill-{{uuid.uuid4().hex[:8]}}@example.invalid", uuid.uuid4().hex
    User.objects.create_user(email, password)
hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
client = Client(HTTP_HOST=hosts[0] if hosts else "testserver")
response = client.post("/en/accounts/login/", {{"login": email, "password": password}}, secure=True)
location = response.get("Location", "")
print(json.dumps({{
    "status": response.status_code,
    "logged_in": "_auth_user_id" in client.session,
    "second_factor_asked": "/2fa/" in location,
    "users": User.objects.count(),
}}))
"""


def log(message):
    print(f"[restore-drill] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.replace("postgis", "postgres"), parts.netloc, f"/{name}", parts.query, "")
    )


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server_connection(url: str):
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str) -> None:
    with server_connection(url) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    with server_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def differences(source: dict[str, int], copy: dict[str, int]) -> list[str]:
    """What the copy lacks or has more of, table by table (empty: the same)."""
    found = []
    for table in sorted(set(source) | set(copy)):
        if table not in copy:
            found.append(f"{table}: missing from the copy")
        elif table not in source:
            found.append(f"{table}: only in the copy")
        elif source[table] != copy[table]:
            found.append(f"{table}: {source[table]} rows, the copy has {copy[table]}")
    return found


def django(url: str, code: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def seed(url: str) -> None:
    result = django(
        url,
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "call_command('load_demo_data', verbosity=0)\n",
    )
    if result.returncode != 0:
        raise SystemExit(f"seeding the source failed:\n{result.stderr[-3000:]}")


def dump(url: str, path: Path) -> None:
    subprocess.run(  # noqa: S603
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), "--dbname", url],  # noqa: S607
        check=True,
        timeout=600,
    )


def restore(path: Path, url: str) -> None:
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            url,
            str(path),
        ],
        check=True,
        timeout=600,
    )


def check_login(url: str, email: str | None, password: str | None) -> dict:
    result = django(url, LOGIN_CHECK.format(email=email, password=password))
    if result.returncode != 0:
        raise SystemExit(f"the login check could not run:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", help="the database to dump (default: a seeded throw-away one)")
    parser.add_argument("--login", help="e-mail to log in with (password: RESTORE_DRILL_PASSWORD)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    server = args.source or os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        server = "postgres://postgres@127.0.0.1:5432/postgres"
    stamp = f"{os.getpid()}_{int(time.time())}"
    copy_name = f"kokemustori_restore_drill_{stamp}"
    seeded_name = None if args.source else f"kokemustori_restore_drill_source_{stamp}"
    source = args.source or with_database(server, seeded_name)
    copy = with_database(server, copy_name)
    if args.login:
        email, password = args.login, os.environ.get("RESTORE_DRILL_PASSWORD")
        if not password:
            parser.error("--login needs the password in RESTORE_DRILL_PASSWORD")
    elif args.source:
        email = password = None  # a temporary user in the copy
    else:
        email, password = DEMO_LOGIN

    previous_umask = os.umask(0o077)  # the dump is readable by its owner only
    try:
        with tempfile.TemporaryDirectory(prefix="kokemustori-drill-") as folder:
            if seeded_name:
                log(f"seeding a throw-away source database {seeded_name} (migrate, demo data)")
                create_database(server, seeded_name)
                seed(source)
            path = Path(folder) / "kokemustori.dump"
            log(f"pg_dump --format=custom of {database_name(source)}")
            dump(source, path)
            mode = stat.S_IMODE(path.stat().st_mode)
            log(f"dump: {path.stat().st_size:,} bytes, permissions {mode:o}")
            if mode & 0o077:
                log("FAILED: the dump is readable by others")
                return 1
            log(f"pg_restore into a fresh database {copy_name}")
            create_database(server, copy_name)
            restore(path, copy)

            before, after = row_counts(source), row_counts(copy)
            missing = differences(before, after)
            if missing:
                log("FAILED: the copy differs:\n  " + "\n  ".join(missing))
                return 1
            log(f"row counts equal in all {len(before)} tables ({sum(before.values()):,} rows)")

            login = check_login(copy, email, password)
            if not (login["logged_in"] or login["second_factor_asked"]):
                log(f"FAILED: could not log in on the copy ({login})")
                return 1
            who = args.login or (DEMO_LOGIN[0] if seeded_name else "a temporary user")
            step = "logged in" if login["logged_in"] else "password accepted, second factor asked"
            log(f"login on the copy as {who}: {step}")
    finally:
        os.umask(previous_umask)
        drop_database(server, copy_name)
        if seeded_name:
            drop_database(server, seeded_name)
        log(f"cleaned up ({time.monotonic() - started:.1f} s)")
    log("OK: the backup restores completely and a login works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
