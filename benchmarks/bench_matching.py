"""Matching benchmark: candidates + ranking for one order, with 1k, 10k and 100k experts.

Run from the repository root:

    .venv/bin/python benchmarks/bench_matching.py [--sizes 1000,10000,100000] [--keep] [--explain]

It needs PostgreSQL. DATABASE_URL names the database to use (default
postgres://postgres@127.0.0.1:5432/kokemustori_bench); the script DROPS and re-creates that
database, so never point it at a database you want to keep. It is dropped again at the end
unless --keep is given.

The data are made with bulk_create and spread like a real network: 12 organisations of very
different sizes, four kinds (several per person), 60 topics in 10 experience areas, five
languages, 21 regions, 5 % on a break, 10 % with a topic marked not now, 30 % with a workload
limit, and a third with accepted offers in the last 14 months (some upcoming) plus open offers.

Sizes grow in place (1k, then 9k more, then 90k more), so the whole run stays within a few
minutes on a 2-core machine. For every size, each of the benchmark orders is matched a few
times after one warm-up; p50 and p95 are over all those calls.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kokemustori_bench"


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"Refusing to drop the database {name!r}.")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kokemustori.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


class World:
    """The fixed part: organisations, vocabulary, coordinators, orderer and history orders."""

    def __init__(self, rng: random.Random):
        from django.utils import timezone

        from kokemustori.accounts.models import User
        from kokemustori.orderers.models import Orderer
        from kokemustori.orders.models import Order, OrderState
        from kokemustori.organisations.models import Coordinator, Organisation
        from kokemustori.tasktypes.models import TaskType
        from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

        self.rng = rng
        self.now = timezone.now()

        def named(model, slug, name, **extra):
            return model(slug=slug, name=name, name_fi=name, name_sv=name, name_en=name, **extra)

        self.orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"Organisation {i}", slug=f"org-{i}") for i in range(12)]
        )
        # Very different sizes: the biggest organisation has about a quarter of the experts.
        self.org_weights = [25, 18, 12, 9, 8, 7, 6, 5, 4, 3, 2, 1]
        self.areas = ExperienceArea.objects.bulk_create(
            [named(ExperienceArea, f"area-{i}", f"Area {i}") for i in range(10)]
        )
        self.topics = Topic.objects.bulk_create(
            [named(Topic, f"topic-{i}", f"Topic {i}", area=self.areas[i % 10]) for i in range(60)]
        )
        self.languages = Language.objects.bulk_create(
            [named(Language, code, code) for code in ["fi", "sv", "en", "se", "ru"]]
        )
        self.language_weights = [0.92, 0.15, 0.4, 0.02, 0.05]
        self.regions = Region.objects.bulk_create(
            [named(Region, f"region-{i}", f"Region {i}") for i in range(21)]
        )
        self.task_types = list(TaskType.objects.all())
        users = User.objects.bulk_create(
            [
                User(
                    email=f"staff{i}@example.org",
                    password="!",
                    first_name="Staff",
                    last_name=str(i),
                )
                for i in range(13)
            ]
        )
        Coordinator.objects.bulk_create(
            [Coordinator(user=users[i], organisation=org) for i, org in enumerate(self.orgs)]
        )
        self.coordinator_users = users[:12]
        self.orderer = Orderer.objects.create(user=users[12], organisation_name="County")
        # Past and upcoming orders that accepted offers point at (their starts_at is the
        # assignment date).
        self.history = Order.objects.bulk_create(
            [
                Order(
                    orderer=self.orderer,
                    organisation=rng.choice(self.orgs),
                    state=OrderState.CLOSED,
                    task_type=rng.choice(self.task_types),
                    title=f"History {i}",
                    starts_at=self.now + timedelta(days=rng.randint(-420, 60)),
                )
                for i in range(3000)
            ]
        )
        self.counter = 0

    def add_experts(self, count: int) -> None:
        from django.utils import timezone

        from kokemustori.accounts.models import User
        from kokemustori.experts.models import Expert, ExpertStatus, KindApplication
        from kokemustori.kinds import ExpertKind
        from kokemustori.offers.models import Offer, OfferState

        rng = self.rng
        start = self.counter
        self.counter += count
        batch = 5000
        users = User.objects.bulk_create(
            [
                User(
                    email=f"expert{n}@example.org",
                    password="!",
                    first_name=f"First{n}",
                    last_name=f"Last{n}",
                )
                for n in range(start, start + count)
            ],
            batch_size=batch,
        )
        statuses = (
            [ExpertStatus.ACTIVE] * 90 + [ExpertStatus.SUBMITTED] * 6 + [ExpertStatus.INACTIVE] * 4
        )
        now = timezone.now()
        experts = Expert.objects.bulk_create(
            [
                Expert(
                    user=user,
                    organisation=rng.choices(self.orgs, self.org_weights)[0],
                    status=rng.choice(statuses),
                    uses_pseudonym=rng.random() < 0.15,
                    pseudonym=f"Nick{user.pk}",
                    works_remotely=rng.random() < 0.6,
                    on_break=rng.random() < 0.05,
                    workload_limit=rng.randint(1, 6) if rng.random() < 0.3 else None,
                    show_areas=rng.random() < 0.3,
                    show_topics=rng.random() < 0.85,
                    consent_given_at=now,
                    submitted_at=now,
                )
                for user in users
            ],
            batch_size=batch,
        )

        kinds_menu = [
            ([ExpertKind.TRAINED_EXPERT], 40),
            ([ExpertKind.EXPERIENCE_ACTOR], 20),
            ([ExpertKind.DEVELOPER_CLIENT], 20),
            ([ExpertKind.EXPERIENCE_PARTNER], 8),
            ([ExpertKind.DEVELOPER_CLIENT, ExpertKind.EXPERIENCE_ACTOR], 6),
            ([ExpertKind.TRAINED_EXPERT, ExpertKind.EXPERIENCE_PARTNER], 4),
            ([], 2),  # applied, nothing granted yet
        ]
        kind_sets, kind_weights = zip(*kinds_menu, strict=True)
        applications, topics, not_now, own, close, langs, regions, tasks = ([] for _ in range(8))
        T = Expert
        for e in experts:
            for kind in rng.choices(kind_sets, kind_weights)[0]:
                applications.append(
                    KindApplication(
                        expert=e, kind=kind, status=KindApplication.GRANTED, decided_at=now
                    )
                )
            chosen_topics = rng.sample(self.topics, rng.randint(1, 5))
            topics += [T.topics.through(expert=e, topic=t) for t in chosen_topics]
            if rng.random() < 0.10:
                # Sometimes a listed topic, sometimes another one.
                t = rng.choice(chosen_topics if rng.random() < 0.5 else self.topics)
                not_now.append(T.topics_not_now.through(expert=e, topic=t))
            areas = {t.area_id for t in chosen_topics}
            own += [
                T.areas_own.through(expert=e, experiencearea_id=a)
                for a in list(areas)[: rng.randint(1, 2)]
            ]
            if rng.random() < 0.3:
                close.append(T.areas_close.through(expert=e, experiencearea=rng.choice(self.areas)))
            spoken = [
                lang
                for lang, p in zip(self.languages, self.language_weights, strict=True)
                if rng.random() < p
            ] or [self.languages[0]]
            langs += [T.languages.through(expert=e, language=lang) for lang in spoken]
            regions += [
                T.regions.through(expert=e, region=r)
                for r in rng.sample(self.regions, rng.choice([1, 1, 1, 2, 3]))
            ]
            if rng.random() < 0.6:
                tasks += [
                    T.task_types.through(expert=e, tasktype=t)
                    for t in rng.sample(self.task_types, rng.randint(2, 7))
                ]
        KindApplication.objects.bulk_create(applications, batch_size=batch)
        for rows in (topics, not_now, own, close, langs, regions, tasks):
            type(rows[0]).objects.bulk_create(rows, batch_size=batch)

        offers = []
        for e in experts:
            r = rng.random()
            if r < 0.33:
                n = rng.choice([1, 1, 2, 2, 3, 4, 6, 9])
                for order in rng.sample(self.history, n):
                    offers.append(
                        Offer(
                            order=order,
                            expert=e,
                            state=OfferState.ACCEPTED,
                            sent_at=order.starts_at - timedelta(days=20),
                            expires_at=order.starts_at - timedelta(days=15),
                            responded_at=order.starts_at - timedelta(days=18),
                        )
                    )
            elif r < 0.40:
                order = rng.choice(self.history)
                offers.append(
                    Offer(
                        order=order,
                        expert=e,
                        state=rng.choice([OfferState.OPEN, OfferState.DECLINED]),
                        expires_at=now + timedelta(days=rng.randint(-5, 5)),
                    )
                )
        Offer.objects.bulk_create(offers, batch_size=batch)

    def benchmark_orders(self):
        """A handful of different orders to match, all in MATCHING."""
        from decimal import Decimal

        from kokemustori.orders.models import Order, OrderState
        from kokemustori.tasktypes.models import TaskType

        by_slug = {t.slug: t for t in TaskType.objects.all()}
        specs = [
            ("lecture, biggest org, in person", "lecture", "students", self.orgs[0], False, 3),
            ("lecture, network, remote", "lecture", "professionals", None, True, 7),
            ("client panel, network (all kinds)", "client-panel", "working_group", None, False, 12),
            ("talk to clients, network", "training", "clients", None, False, 21),
            ("peer group, small org", "peer-group", "clients", self.orgs[9], False, 40),
            ("peer partnership, network", "peer-partnership", "clients", None, True, 55),
        ]
        orders = []
        for title, slug, audience, org, remote, topic in specs:
            orders.append(
                Order.objects.create(
                    orderer=self.orderer,
                    organisation=org,
                    state=OrderState.MATCHING,
                    task_type=by_slug[slug],
                    title=title,
                    audience=audience,
                    topic=self.topics[topic],
                    language=self.languages[0] if topic % 2 else self.languages[1],
                    region=None if remote else self.regions[topic % 21],
                    is_remote=remote,
                    starts_at=self.now + timedelta(days=25),
                    fee_amount=Decimal("200"),
                )
            )
        return orders


@contextmanager
def bulk_load():
    """The bulk load runs without triggers (session_replication_role), as a restore would;
    matching's feature rows are then made in one go, and that time is printed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def vacuum_analyze():
    """What autovacuum would have done by the time a coordinator opens the page: fresh
    statistics and visibility maps (index-only scans) after the bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(orders, viewer_for, repeats: int, explain: bool):
    from django.db import connection, reset_queries

    from kokemustori.matching.candidates import match

    timings = []
    details = []
    for order in orders:
        viewer = viewer_for(order)
        match(order, viewer=viewer)  # warm-up (and the coordinator's organisations)
        own = []
        for _ in range(repeats):
            reset_queries()
            start = time.perf_counter()
            result = match(order, viewer=viewer)
            own.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        timings += own
        details.append((order.title, result.total, statistics.median(own), queries))
        if explain:
            explain_main_query(order)
    return timings, details


def explain_main_query(order):
    from django.utils import timezone

    from kokemustori.matching import candidates

    facts = candidates.order_facts(order)
    win = candidates.windows(order, timezone.now())
    qs = candidates.prefiltered(order, facts, win)
    _, rows = candidates.snapshot_rows(qs, facts)
    print(f"\n--- EXPLAIN ANALYZE: {order.title}")
    print(rows.explain(analyze=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE")
    parser.add_argument("--seed", type=int, default=20261)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to PostgreSQL.")

    began = time.perf_counter()
    recreate_database(url)
    setup_django(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from kokemustori.matching import features

    settings.DEBUG = True  # count queries
    print(f"Database {urlsplit(url).path.lstrip('/')} (re)created; migrating …", flush=True)
    call_command("migrate", verbosity=0)
    world = World(random.Random(args.seed))
    orders = world.benchmark_orders()
    coordinator_of = {
        org.pk: user for org, user in zip(world.orgs, world.coordinator_users, strict=True)
    }

    def viewer_for(order):
        return coordinator_of[order.organisation_id or world.orgs[0].pk]

    results = []
    have = 0
    try:
        for size in sizes:
            t0 = time.perf_counter()
            with bulk_load():
                world.add_experts(size - have)
            vacuum_analyze()
            t1 = time.perf_counter()
            refreshed = features.refresh_all()
            t2 = time.perf_counter()
            have = size
            vacuum_analyze()
            load = time.perf_counter() - t0
            print(
                f"\n{size:>7,} experts: matching's feature rows for all {refreshed:,} made "
                f"in {t2 - t1:.1f} s",
                flush=True,
            )
            repeats = 15 if size <= 10_000 else 6
            timings, details = measure(orders, viewer_for, repeats, args.explain)
            p50, p95 = percentile(timings, 50), percentile(timings, 95)
            results.append((size, p50, p95, len(timings)))
            print(
                f"\n{size:>7,} experts (loaded in {load:.0f} s): "
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(timings)} calls",
                flush=True,
            )
            for title, total, median, queries in details:
                print(
                    f"    {title:<36} {total:>6,} may be offered · median {median:7.1f} ms"
                    f" · {queries} queries"
                )
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(url)

    print("\nexperts      p50 ms    p95 ms   calls")
    for size, p50, p95, calls in results:
        print(f"{size:>7,}   {p50:>8.1f}  {p95:>8.1f}   {calls:>5}")
    print(f"\nTotal run time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
