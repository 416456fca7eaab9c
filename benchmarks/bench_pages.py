"""Page benchmark: requests per second of the main pages against a bare view on the same
server, with 10k and 100k experts, on PostgreSQL.

Run from the repository root (`make bench` runs it after the matching benchmark):

    .venv/bin/python benchmarks/bench_pages.py [--sizes 10000,100000] [--seconds 5]

It needs PostgreSQL, Redis (127.0.0.1:6379, database 14: sessions and cache, as production
is advised to run) and wrk (`make bench-tools`). PAGES_DATABASE_URL names the database
(default postgres://postgres@127.0.0.1:5432/kokemustori_bench_pages); the script DROPS and
re-creates it, and drops it at the end.

The data are the matching benchmark's (bench_matching.World). The server is gunicorn with
production settings (DEBUG off, connections kept, health checks, cached_db sessions on Redis,
static files from WhiteNoise), serving the product and two bare views (pages_settings.py, pages_urls.py): one
anonymous, one behind the login. Each page is loaded with wrk over keep-alive connections on
loopback, then its floor right after it, so both see the same machine; the ratio is
page / floor. Every answer must be 200, or the run stops.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_matching import World, bulk_load, drop_database, recreate_database, vacuum_analyze

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kokemustori_bench_pages"
PORT = 8765

# (what, address, who is logged in, its floor)
PAGES = [
    ("home page (anonymous)", "/fi/", None, "/bench/bare/"),
    ("expert catalogue (orderer)", "/fi/experts/catalogue/", "orderer", "/bench/bare-logged-in/"),
    ("/api/v1/experts (orderer)", "/api/v1/experts", "orderer", "/bench/bare-logged-in/"),
    ("coordinator's inbox", "/fi/orders/inbox/", "coordinator", "/bench/bare-logged-in/"),
]


def production_environment(url: str, static_root: str) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "q8Wz3kLm9pR4sT8vW1yZ3bN6cF0hJ5" * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "CACHE_URL": os.environ.get("PAGES_CACHE_URL", "redis://127.0.0.1:6379/14"),
        "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
        "REQUIRE_SECOND_FACTOR": "false",  # the sessions are made directly, without a login
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pages_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE)]),
    }


def sessions(world) -> dict[str | None, str]:
    """A session cookie for the orderer and for the biggest organisation's coordinator."""
    from django.conf import settings
    from django.test import Client

    from kokemustori.orderers.models import Orderer, Verification

    Orderer.objects.filter(pk=world.orderer.pk).update(verification=Verification.VERIFIED)
    cookies = {None: ""}
    for who, user in (("orderer", world.orderer.user), ("coordinator", world.coordinator_users[0])):
        client = Client()
        client.force_login(user)
        cookies[who] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def start_server(env: dict[str, str], workers: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kokemustori.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def load(path: str, cookie: str, seconds: float, connections: int) -> float:
    """Requests per second wrk reached; stops the run on any answer other than 200."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{PORT}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        sys.exit(f"{path}: not every answer was 200:\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rate:
        sys.exit(f"{path}: wrk printed no rate:\n{out}")
    return float(rate.group(1))


def check_first(path: str, cookie: str) -> None:
    """One request by hand: 200, and not a redirect to the login (wrk counts 3xx as fine)."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        if answer.status != 200 or "/login" in answer.url:
            sys.exit(f"{path}: answered {answer.status} at {answer.url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("The page benchmark needs wrk: make bench-tools")
    url = os.environ.get("PAGES_DATABASE_URL", DEFAULT_URL)
    static_root = tempfile.mkdtemp(prefix="kk-bench-static-")
    env = production_environment(url, static_root)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    recreate_database(url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from kokemustori.matching import features

    print("Page benchmark: migrating, collecting static files …", flush=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    world = World(random.Random(args.seed))
    cookies = sessions(world)
    server = None
    have, results = 0, []
    try:
        for size in sorted(int(s) for s in args.sizes.split(",")):
            with bulk_load():
                world.add_experts(size - have)
            have = size
            features.refresh_all()
            vacuum_analyze()
            if server is None:
                server = start_server(env, args.workers)
            print(
                f"\n{size:,} experts, gunicorn with {args.workers} workers, wrk with "
                f"{args.connections} connections, {args.seconds:g} s each",
                flush=True,
            )
            print(f"  {'page':<30} {'req/s':>8} {'floor req/s':>12} {'ratio':>6}")
            for what, path, who, floor in PAGES:
                for address in (path, floor):
                    check_first(address, cookies[who])
                    load(address, cookies[who], 1, args.connections)  # warm-up
                page = load(path, cookies[who], args.seconds, args.connections)
                bare = load(floor, cookies[who], args.seconds, args.connections)
                results.append((size, what, page, bare))
                print(f"  {what:<30} {page:>8.0f} {bare:>12.0f} {page / bare:>6.2f}", flush=True)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        drop_database(url)
        shutil.rmtree(static_root, ignore_errors=True)
    print("\nexperts  page                            ratio to its floor")
    for size, what, page, bare in results:
        print(f"{size:>7,}  {what:<30} {page / bare:>5.2f}  ({page:.0f} / {bare:.0f} req/s)")


if __name__ == "__main__":
    main()
