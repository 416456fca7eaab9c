"""The API answers as its schema says: schemathesis against /api/v1/openapi.json.

Builds a fresh database with the demo data (PostgreSQL when DATABASE_URL names a server,
else a temporary SQLite file), serves it on a free loopback port, and runs schemathesis with
every check, a fixed seed and a bounded number of examples: once anonymous, once as the demo
orderer and once as the demo expert. Exits non-zero on any failure.

    .venv/bin/python scripts/api_contract.py [--examples 30] [--seed 20261201]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCHEMATHESIS = str(Path(PYTHON).parent / "schemathesis")
ROLES = {"anonymous": None, "orderer": "tilaaja@example.org", "expert": "asiantuntija@example.org"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(workdir):
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith("postgres"):
        return f"sqlite:///{workdir}/contract.sqlite3", None
    parts = urlsplit(given)
    name = f"kokemustori_contract_{os.getpid()}"
    return urlunsplit(parts._replace(path="/" + name)), (given, name)


def psql(admin_url, sql):
    parts = urlsplit(admin_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", maintenance, "-qAtc", sql], check=True)


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def session_headers(env, email):
    """A logged-in session for a demo account, with a CSRF token for writes."""
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, "
        "HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django.middleware.csrf import _get_new_csrf_string\n"
        f"user = get_user_model().objects.get(email={email!r})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key, _get_new_csrf_string())\n"
    )
    out = manage(env, "shell", "-c", code, capture_output=True, text=True).stdout.split()
    session, csrf = out[-2], out[-1]
    # The session rides in a header of its own, so schemathesis is told not to vary the
    # schema's cookie parameter: it could not take the header's cookie away anyway. The
    # anonymous run checks that every operation refuses a missing session.
    return [
        "-H",
        f"Cookie: sessionid={session}; csrftoken={csrf}",
        "-H",
        f"X-CSRFToken: {csrf}",
        "--generation-with-security-parameters",
        "false",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, pg = database_url(workdir)
        if pg:
            psql(pg[0], f'DROP DATABASE IF EXISTS "{pg[1]}"')
            psql(pg[0], f'CREATE DATABASE "{pg[1]}"')
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "true",
            "REQUIRE_SECOND_FACTOR": "false",
            "EMAIL_URL": "dummymail://",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        server = None
        try:
            manage(env, "migrate", "--noinput", "-v", "0")
            manage(env, "load_demo_data", stdout=subprocess.DEVNULL)
            port = free_port()
            env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
            server = subprocess.Popen(
                [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(Path(workdir) / "server.log", "w"),  # noqa: SIM115
            )
            schema = f"http://127.0.0.1:{port}/api/v1/openapi.json"
            for _ in range(60):
                try:
                    urllib.request.urlopen(schema, timeout=2)  # noqa: S310 (loopback)
                    break
                except OSError:
                    time.sleep(0.5)
            failed = []
            for role, email in ROLES.items():
                print(f"\n=== schemathesis: {role}", flush=True)
                headers = session_headers(env, email) if email else []
                run = subprocess.run(
                    [
                        SCHEMATHESIS,
                        "run",
                        schema,
                        "--checks",
                        "all",
                        "--seed",
                        str(args.seed),
                        "--max-examples",
                        str(args.examples),
                        "--workers",
                        "1",
                        "--generation-database",
                        "none",
                        "--no-color",
                        "--request-timeout",
                        "30",
                        # No stateful phase: the schema declares no links, and the links
                        # schemathesis infers feed one answer's counts (0) into another
                        # request's ids, which the schema itself says must be 1 or more.
                        "--phases",
                        "examples,coverage,fuzzing",
                        *headers,
                    ],
                    cwd=ROOT,
                    env=env,
                )
                if run.returncode:
                    failed.append(role)
            if failed:
                print(f"\nschemathesis found failures for: {', '.join(failed)}")
                print((Path(workdir) / "server.log").read_text()[-4000:])
                return 1
            print("\nschemathesis: no failures (anonymous, orderer, expert)")
            return 0
        finally:
            if server:
                server.terminate()
                server.wait(timeout=20)
            if pg:
                psql(pg[0], f'DROP DATABASE IF EXISTS "{pg[1]}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
