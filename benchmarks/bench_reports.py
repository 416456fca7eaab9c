"""Reports benchmark: the reports page with 100k experts and 200k orders of history.

Run from the repository root (`make bench` runs it after the page benchmark):

    .venv/bin/python benchmarks/bench_reports.py [--experts 100000] [--orders 200000]

It needs PostgreSQL. REPORTS_DATABASE_URL names the database (default
postgres://postgres@127.0.0.1:5432/kokemustori_bench_reports); the script DROPS and re-creates
it, and drops it at the end unless --keep is given.

The experts are the matching benchmark's (bench_matching.World). The history is made with
bulk_create over the two years before today, spread like the demo's year (demo/history.py):
orders sent to the organisations (and some to the network) by orderers of five organisations,
reviewed, declined, offered, agreed, cancelled, done, debriefed and paid, with feedback both
ways and support asked in debriefs. Then the whole page (view, figures, tables, charts and the
template) is asked for a year by three readers — the biggest organisation's coordinator, the
network administrator and an orderer — a few times each after a warm-up, through Django's test
client with DEBUG off. It prints p50 and p95 per reader and the number of queries, which must
be the same as with a small history (tests/reports/test_pages.py checks that).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from bench_matching import (
    World,
    bulk_load,
    drop_database,
    percentile,
    recreate_database,
    vacuum_analyze,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kokemustori_bench_reports"
CHUNK = 10_000  # orders made (with everything that hangs on them) per round of bulk_create
ORDERER_ORGANISATIONS = ["County", "University", "City", "Hospital district", "College"]


def environment(url: str, static_root: str) -> dict[str, str]:
    return {
        "STATIC_ROOT": static_root,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "r7Tq2mKx8pW4sL9vB1yN3cF6hJ0dZ5" * 2,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": url,
        "MFA_ENCRYPTION_KEYS": "3q1Ttq0rG6cK9v2pYkS1cZrj0uTQm0Y3n5mQm2m8YxU=",
        "REQUIRE_SECOND_FACTOR": "false",  # the readers log in with force_login
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "kokemustori.settings",
    }


class History:
    """Two years of orders for the reports, made in bulk."""

    def __init__(self, world, rng: random.Random):
        from kokemustori.accounts.models import User
        from kokemustori.experts.models import Expert
        from kokemustori.orderers.models import Orderer, Verification

        self.world, self.rng = world, rng
        users = User.objects.bulk_create(
            [
                User(
                    email=f"orderer{i}@example.org", password="!", first_name="O", last_name=str(i)
                )
                for i in range(len(ORDERER_ORGANISATIONS) * 4)
            ]
        )
        self.orderers = [world.orderer] + Orderer.objects.bulk_create(
            [
                Orderer(
                    user=user,
                    organisation_name=ORDERER_ORGANISATIONS[i % len(ORDERER_ORGANISATIONS)],
                    verification=Verification.VERIFIED,
                )
                for i, user in enumerate(users)
            ]
        )
        Orderer.objects.filter(pk=world.orderer.pk).update(verification=Verification.VERIFIED)
        self.experts = {org.pk: [] for org in world.orgs}
        for pk, org_id in Expert.objects.approved().values_list("pk", "organisation_id"):
            self.experts[org_id].append(pk)
        self.coordinator_of = {
            org.pk: user.pk for org, user in zip(world.orgs, world.coordinator_users, strict=True)
        }

    def add(self, count: int, days: int = 730) -> None:
        now = self.world.now
        made = 0
        while made < count:
            n = min(CHUNK, count - made)
            self._chunk(
                [now - timedelta(days=days * (made + i) / count) for i in range(n)],
                now,
            )
            made += n
            print(f"  {made:,} of {count:,} orders", flush=True)

    def _chunk(self, sent_times, now) -> None:  # noqa: C901, PLR0915 — one order's path, flat
        from kokemustori.agreements.models import Agreement, AgreementState
        from kokemustori.fees.models import FeeRecord, FeeStatus
        from kokemustori.followup.models import Debrief, Feedback
        from kokemustori.offers.models import FeeType, Offer, OfferState
        from kokemustori.orders.models import FeeChoice, Order, OrderEvent, OrderState

        rng, world = self.rng, self.world
        orders, paths = [], []
        for sent in sent_times:
            organisation = rng.choices([*world.orgs, None], [*world.org_weights, 15])[0]
            in_charge = organisation or rng.choices(world.orgs, world.org_weights)[0]
            starts = sent + timedelta(days=rng.randint(14, 45))
            orders.append(
                Order(
                    orderer=rng.choice(self.orderers),
                    organisation=organisation,
                    task_type=rng.choice(world.task_types),
                    title="History",
                    audience="professionals",
                    audience_size=rng.choice((8, 12, 20, 30, 45, 60, 120)),
                    starts_at=starts,
                    region=rng.choice(world.regions),
                    language=world.languages[0],
                    event_minutes=rng.choice((60, 90, 120)),
                    preparation_minutes=rng.choice((60, 120)),
                    planning_minutes=30,
                    debrief_minutes=30,
                    travel_minutes=rng.choice((0, 60, 120)),
                    experts_needed=rng.choice((1, 1, 1, 2)),
                    fee_choice=FeeChoice.OFFERED,
                    fee_amount=Decimal(rng.choice(("150.00", "200.00", "250.00"))),
                    planning_meeting=rng.random() < 0.7,
                    submitted_at=sent,
                    state=OrderState.SUBMITTED,
                )
            )
            paths.append(in_charge.pk)
        Order.objects.bulk_create(orders, batch_size=5000)

        events, offers, accepted_of = [], [], {}
        for order, in_charge in zip(orders, paths, strict=True):
            coordinator = self.coordinator_of[in_charge]
            sent = order.submitted_at

            def step(at, action, before, after, order=order, coordinator=coordinator):
                events.append(
                    OrderEvent(
                        order=order,
                        at=at,
                        action=action,
                        from_state=before,
                        to_state=after,
                        actor_id=coordinator,
                    )
                )
                order.state = after

            reviewed = sent + timedelta(hours=rng.choice((3, 20, 26, 50, 75, 120, 200)))
            if reviewed > now:
                continue
            if rng.random() < 0.07:
                step(reviewed, "decline", OrderState.SUBMITTED, OrderState.DECLINED)
                continue
            step(reviewed, "accept", OrderState.SUBMITTED, OrderState.MATCHING)
            offered_at = reviewed + timedelta(hours=rng.choice((2, 10, 30, 60, 100)))
            pool = self.experts[in_charge]
            if offered_at > now or not pool:
                continue
            step(offered_at, "offer", OrderState.MATCHING, OrderState.OFFERED)
            accepted = 0
            for expert in rng.sample(pool, order.experts_needed + rng.choice((0, 1, 2))):
                roll = rng.random()
                if accepted < order.experts_needed and roll < 0.75:
                    state, accepted = OfferState.ACCEPTED, accepted + 1
                else:
                    state = OfferState.DECLINED if roll < 0.9 else OfferState.EXPIRED
                answered = offered_at + timedelta(hours=rng.choice((4, 12, 30, 70)))
                offers.append(
                    Offer(
                        order=order,
                        expert_id=expert,
                        state=state,
                        sent_by_id=coordinator,
                        sent_at=offered_at,
                        expires_at=offered_at + timedelta(days=3),
                        responded_at=None if state == OfferState.EXPIRED else answered,
                        fee_type=FeeType.WORK_COMPENSATION if state == OfferState.ACCEPTED else "",
                    )
                )
            if not accepted:
                continue
            if rng.random() < 0.06 and offered_at + timedelta(days=2) <= now:
                step(offered_at + timedelta(days=2), "cancel", order.state, OrderState.CANCELLED)
                continue
            agreed_at = offered_at + timedelta(hours=rng.choice((80, 100, 120)))
            step(agreed_at, "agree", OrderState.OFFERED, OrderState.AGREED)
            order.seats_taken = accepted
            accepted_of[order.pk] = agreed_at
            done_at = order.starts_at + timedelta(hours=3)
            if done_at <= now:
                step(done_at, "done", OrderState.AGREED, OrderState.DONE)
                order.state = rng.choice((OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED))
        OrderEvent.objects.bulk_create(events, batch_size=5000)
        Order.objects.bulk_update(orders, ["state", "seats_taken"], batch_size=5000)
        Offer.objects.bulk_create(offers, batch_size=5000)

        agreements = []
        for offer in offers:
            order = offer.order
            if offer.state != OfferState.ACCEPTED or order.pk not in accepted_of:
                continue
            agreed_at = accepted_of[order.pk]
            agreements.append(
                Agreement(
                    offer=offer,
                    order=order,
                    expert_id=offer.expert_id,
                    state=AgreementState.ACCEPTED,
                    tasks=order.title,
                    starts_at=order.starts_at,
                    fee_amount=order.fee_amount,
                    fee_type=FeeType.WORK_COMPENSATION,
                    cancellation_terms="A week before.",
                    orderer_contact="Orderer",
                    expert_legal_name="Expert",
                    expert_public_name="Expert",
                    orderer_accepted_at=agreed_at - timedelta(hours=1),
                    expert_accepted_at=agreed_at,
                )
            )
        Agreement.objects.bulk_create(agreements, batch_size=5000)

        done = (OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)
        records, debriefs, feedback = [], [], []
        organisation_of = {pk: org for org in world.orgs for pk in self.experts[org.pk]}
        for agreement in agreements:
            order = agreement.order
            if order.state not in done:
                continue
            done_at = order.starts_at + timedelta(hours=3)
            coordinator = self.coordinator_of[organisation_of[agreement.expert_id].pk]
            paid_at = done_at + timedelta(days=rng.choice((3, 6, 9, 12, 13, 16, 21, 35)))
            paid = paid_at <= now and rng.random() < 0.9
            records.append(
                FeeRecord(
                    agreement=agreement,
                    expert_id=agreement.expert_id,
                    organisation=organisation_of[agreement.expert_id],
                    assignment_date=order.starts_at.date(),
                    fee_amount=agreement.fee_amount,
                    fee_type=agreement.fee_type,
                    expenses_amount=Decimal(rng.choice(("0", "0", "12.40", "24.80", "38.00"))),
                    status=FeeStatus.PAID if paid else FeeStatus.PENDING,
                    approved_at=paid_at - timedelta(days=1) if paid else None,
                    approved_by_id=coordinator if paid else None,
                    paid_at=paid_at if paid else None,
                    paid_by_id=coordinator if paid else None,
                )
            )
            if order.state != OrderState.DONE:
                wants = rng.random() < 0.15
                handled = done_at + timedelta(days=rng.choice((1, 2, 3, 6)))
                handled = handled if wants and handled <= now else None
                debriefs.append(
                    Debrief(
                        order=order,
                        expert_id=agreement.expert_id,
                        held_at=done_at + timedelta(hours=1),
                        held_by="Coordinator",
                        wants_support=wants,
                        support_handled_at=handled,
                        support_handled_by_id=coordinator if handled else None,
                        recorded_by_id=coordinator,
                    )
                )
            if done_at + timedelta(days=2) > now:
                continue
            if rng.random() < 0.8:
                feedback.append(
                    Feedback(
                        order=order,
                        expert_id=agreement.expert_id,
                        direction=Feedback.ORDERER_ON_ASSIGNMENT,
                        overall=rng.choice((3, 4, 4, 5, 5, 5)),
                        given_by_id=order.orderer.user_id,
                    )
                )
            if rng.random() < 0.7:
                feedback.append(
                    Feedback(
                        order=order,
                        expert_id=agreement.expert_id,
                        direction=Feedback.EXPERT_ON_ORDERER,
                        expectations_clear=rng.choice((2, 3, 4, 4, 5, 5)),
                        time_respected=rng.choice((3, 4, 5, 5)),
                        treated_as_equal=rng.choice((3, 4, 4, 5, 5, 5)),
                    )
                )
        FeeRecord.objects.bulk_create(records, batch_size=5000)
        Debrief.objects.bulk_create(debriefs, batch_size=5000)
        Feedback.objects.bulk_create(feedback, batch_size=5000)
        # The services stamp "now"; the history keeps its own dates, as demo/history.py does.
        for model, field, rows, at in (
            (Agreement, "created_at", agreements, lambda a: accepted_of[a.order.pk]),
            (Debrief, "created_at", debriefs, lambda d: d.held_at),
            (Feedback, "created_at", feedback, lambda f: f.order.starts_at + timedelta(days=2)),
        ):
            for row in rows:
                setattr(row, field, at(row))
            model.objects.bulk_update(rows, [field], batch_size=5000)


def measure(readers, repeats: int):
    from django.db import connection
    from django.test import Client

    year = {"kind": "year", "year": str(time.localtime().tm_year)}
    results = []
    for what, user in readers:
        client = Client()
        client.force_login(user)
        answer = client.get("/fi/reports/", year)  # warm-up
        if answer.status_code != 200:
            sys.exit(f"{what}: the reports page answered {answer.status_code}")
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *a, seen=queries: seen.append(sql) or execute(sql, *a)
        ):
            client.get("/fi/reports/", year)
        timings = []
        for _ in range(repeats):
            began = time.perf_counter()
            client.get("/fi/reports/", year)
            timings.append((time.perf_counter() - began) * 1000)
        results.append(
            (what, percentile(timings, 50), percentile(timings, 95), len(queries), repeats)
        )
        print(
            f"  {what:<34} p50 {results[-1][1]:7.0f} ms  p95 {results[-1][2]:7.0f} ms"
            f"  {len(queries)} queries",
            flush=True,
        )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=20262)
    args = parser.parse_args()
    url = os.environ.get("REPORTS_DATABASE_URL", DEFAULT_URL)
    static_root = tempfile.mkdtemp(prefix="kk-bench-static-")
    os.environ.update(environment(url, static_root))
    sys.path.insert(0, str(ROOT / "src"))
    recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from kokemustori.orders.models import Order
    from kokemustori.reports.models import NetworkAdministrator

    began = time.perf_counter()
    try:
        print("Reports benchmark: migrating …", flush=True)
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        rng = random.Random(args.seed)
        world = World(rng)
        with bulk_load():
            world.add_experts(args.experts)
            print(f"{args.experts:,} experts made; the history …", flush=True)
            history = History(world, rng)
            history.add(args.orders)
        vacuum_analyze()
        admin = world.coordinator_users[0].__class__.objects.create(
            email="network@example.org", password="!", first_name="Network", last_name="Admin"
        )
        NetworkAdministrator.objects.create(user=admin)
        print(
            f"\n{args.experts:,} experts, {Order.objects.count():,} orders, made in "
            f"{time.perf_counter() - began:.0f} s; the page for this year, {args.repeats} times "
            "each after a warm-up:",
            flush=True,
        )
        readers = [
            ("coordinator (biggest organisation)", world.coordinator_users[0]),
            ("network administrator", admin),
            ("orderer", world.orderer.user),
        ]
        results = measure(readers, args.repeats)
    finally:
        connections.close_all()
        if not args.keep:
            drop_database(url)
        shutil.rmtree(static_root, ignore_errors=True)
    print("\nreader                              p50 ms   p95 ms  queries")
    for what, p50, p95, queries, _n in results:
        print(f"{what:<34} {p50:>7.0f}  {p95:>7.0f}  {queries:>7}")


if __name__ == "__main__":
    main()
