"""Demo data for `make run`: three background organisations, 66 experts of every kind, and
one login per role (listed in README.md). Safe to run twice: it does nothing the second time.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kokemustori.accounts.demo import activate_demo_authenticator
from kokemustori.demo.fees import load_demo_fee_schedules
from kokemustori.demo.history import load_history, load_network_administrator
from kokemustori.demo.orders import load_demo_orders
from kokemustori.demo.vocabulary import AREAS, LANGUAGES, REGIONS, TOPICS
from kokemustori.experts.models import Expert, ExpertStatus, KindApplication, TrainingRecord
from kokemustori.kinds import ExpertKind, TrainingType
from kokemustori.orderers.models import Orderer, Verification
from kokemustori.organisations.models import Coordinator, Organisation
from kokemustori.tasktypes.eligibility import PERMITTED_NATURES
from kokemustori.tasktypes.models import TaskType
from kokemustori.taxonomy.models import ExperienceArea, Language, Region, Topic

DEMO_PASSWORD = "kokemus-demo-2026"

# (name, slug, description in fi, sv and en)
ORGANISATIONS = [
    (
        "Mielenterveysyhdistys Lyhty ry",
        "lyhty",
        {
            "fi": "Mielenterveys- ja päihdetyön kokemusosaajia vuodesta 2012.",
            "sv": "Erfarenhetsexperter inom psykisk hälsa och missbruk sedan 2012.",
            "en": "Experience experts in mental health and substance use since 2012.",
        },
    ),
    (
        "Perhekuntoutuskeskus Satama",
        "satama",
        {
            "fi": "Perhekuntoutusta; kouluttaa kokemuskumppaneita, joilla on lastensuojelutausta.",
            "sv": "Familjerehabilitering; utbildar erfarenhetspartner med bakgrund i barnskyddet.",
            "en": "Family rehabilitation; trains experience partners with a child-welfare "
            "background.",
        },
    ),
    (
        "Kokemusverkosto Pohjantähti ry",
        "pohjantahti",
        {
            "fi": "Kokemustoimijoiden ja kehittäjäasiakkaiden verkosto Pohjanmaalla ja Lapissa.",
            "sv": "Ett nätverk av erfarenhetsaktörer och utvecklarklienter i Österbotten och "
            "Lappland.",
            "en": "A network of experience actors and developer clients in Ostrobothnia and "
            "Lapland.",
        },
    ),
]

FIRST_NAMES = [
    "Aino",
    "Eero",
    "Helmi",
    "Juho",
    "Kaisa",
    "Lauri",
    "Minna",
    "Niko",
    "Outi",
    "Pekka",
    "Riikka",
    "Sami",
    "Tiina",
    "Ville",
    "Anneli",
    "Mikko",
    "Sofia",
    "Henrik",
    "Elina",
    "Jari",
    "Linnea",
    "Oskar",
    "Marja",
    "Tapio",
    "Saara",
    "Antti",
    "Ulla",
    "Kalle",
    "Veera",
    "Jonne",
    "Amina",
    "Hassan",
    "Irina",
    "Leo",
    "Ella",
]
LAST_NAMES = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Lindqvist",
    "Nyström",
    "Salonen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Hietala",
    "Söderberg",
    "Ahonen",
    "Aalto",
]
BIOS = [
    "Puhun toipumisesta arkisena asiana: pienistä askelista, takapakeista ja siitä, mikä auttoi.",
    "Olen ollut asiakasraadeissa ja kehitän mielelläni palveluja yhdessä ammattilaisten kanssa.",
    "Luennoin opiskelijoille siitä, millaista on olla pöydän toisella puolella.",
    "Haluan, että ammattilaiset kuulevat, miltä lastensuojelu näyttää perheen sisältä.",
    "Kokemusta pitkäaikaissairaudesta ja paluusta työelämään.",
    "Osallistun työryhmiin, jotta palvelut olisi helpompi löytää ja käyttää.",
    "Jag berättar om återhämtning på svenska och finska, gärna för studerande.",
]

# (kind sets, how many) — every kind, some people holding two.
KIND_PLAN = [
    ([ExpertKind.TRAINED_EXPERT], 18),
    ([ExpertKind.TRAINED_EXPERT, ExpertKind.EXPERIENCE_ACTOR], 4),
    ([ExpertKind.EXPERIENCE_ACTOR], 14),
    ([ExpertKind.DEVELOPER_CLIENT], 14),
    ([ExpertKind.EXPERIENCE_PARTNER], 10),
]


class Command(BaseCommand):
    help = "Load demo organisations, vocabulary, experts and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, seed, **options):
        self.rng = random.Random(seed)
        load_vocabulary()
        User = get_user_model()
        if User.objects.filter(email="admin@example.org").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        self.password = make_password(DEMO_PASSWORD)
        self.organisations = [
            Organisation.objects.create(
                name=name,
                slug=slug,
                email=f"info@{slug}.example.org",
                **{f"description_{language}": text for language, text in description.items()},
            )
            for name, slug, description in ORGANISATIONS
        ]
        admin = self.make_user(
            "admin@example.org", "Ylläpitäjä", "Demo", is_staff=True, is_superuser=True
        )
        activate_demo_authenticator(admin)
        for index, organisation in enumerate(self.organisations):
            email = (
                "koordinaattori@example.org"
                if index == 0
                else f"koordinaattori{index + 1}@example.org"
            )
            user = self.make_user(email, "Kaija", f"Koordinaattori {index + 1}")
            activate_demo_authenticator(user)
            Coordinator.objects.create(
                user=user, organisation=organisation, title="Kokemustoiminnan koordinaattori"
            )
        orderer = Orderer.objects.create(
            user=self.make_user("tilaaja@example.org", "Tuula", "Tilaaja"),
            organisation_name="Pohjanmaan hyvinvointialue",
            unit="Psykiatrian poliklinikka",
            title="Osastonhoitaja",
            phone="+358 40 000 0000",
            verification=Verification.VERIFIED,
        )
        # A new orderer waiting for a coordinator's approval (orderers:waiting).
        Orderer.objects.create(
            user=self.make_user("uusitilaaja@example.org", "Ulla", "Uusi"),
            organisation_name="Lapin hyvinvointialue",
            unit="Sosiaalityö",
            title="Sosiaalityöntekijä",
            phone="+358 40 000 0001",
        )
        self.areas = list(ExperienceArea.objects.all())
        self.topics = list(Topic.objects.all())
        self.languages = {lang.slug: lang for lang in Language.objects.all()}
        self.regions = list(Region.objects.all())
        self.task_types = list(TaskType.objects.filter(is_active=True))

        number = 0
        for kinds, count in KIND_PLAN:
            for _ in range(count):
                number += 1
                email = "asiantuntija@example.org" if number == 1 else f"expert{number}@example.org"
                self.make_expert(email, kinds, number)
        # Applicants waiting for review, one with too little training for what they ask.
        self.make_expert(
            "hakija@example.org", [ExpertKind.TRAINED_EXPERT], number + 1, approve=False
        )
        self.make_expert(
            "expert-short@example.org",
            [ExpertKind.TRAINED_EXPERT],
            number + 2,
            approve=False,
            hours=Decimal("44"),
        )
        for extra in range(number + 3, number + 7):
            self.make_expert(
                f"expert{extra}@example.org", [ExpertKind.DEVELOPER_CLIENT], extra, approve=False
            )
        load_demo_fee_schedules(self.organisations, timezone.localdate())

        lyhty = self.organisations[0]
        trained = [
            e
            for e in Expert.objects.filter(organisation=lyhty, on_break=False)
            .select_related("user")
            .order_by("pk")
            if ExpertKind.TRAINED_EXPERT in e.held_kinds()
        ]
        load_demo_orders(
            orderer,
            Coordinator.objects.get(user__email="koordinaattori@example.org").user,
            lyhty,
            trained[:4],
        )
        # A year of past work, so that every chart of the reports has something to show,
        # and the network administrator who reads them all.
        load_network_administrator(self.password)
        load_history(
            self.organisations,
            [
                Coordinator.objects.filter(organisation=o).order_by("pk").first().user
                for o in self.organisations
            ],
            self.password,
            seed=seed,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {Expert.objects.count()} experts in {len(self.organisations)} "
                f"organisations. Demo password: {DEMO_PASSWORD}; coordinators' and the "
                "administrator's authenticator code: manage.py demo_totp"
            )
        )

    def make_user(self, email, first, last, **extra):
        User = get_user_model()
        user = User(email=email, first_name=first, last_name=last, password=self.password, **extra)
        user.save()
        return user

    def make_expert(self, email, kinds, number, approve=True, hours=None):
        rng = self.rng
        user = self.make_user(email, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if ExpertKind.EXPERIENCE_PARTNER in kinds:
            organisation = self.organisations[1]
        else:
            organisation = self.organisations[number % 3 if number % 3 != 1 else 0]
        now = timezone.now()
        expert = Expert.objects.create(
            user=user,
            organisation=organisation,
            status=ExpertStatus.ACTIVE if approve else ExpertStatus.SUBMITTED,
            uses_pseudonym=number % 9 == 0,
            pseudonym=f"Kokija {number}" if number % 9 == 0 else "",
            phone=f"+358 50 {number:03d} {number * 7 % 1000:04d}",
            municipality=rng.choice(["Helsinki", "Vaasa", "Tampere", "Oulu", "Rovaniemi", "Turku"]),
            bio=rng.choice(BIOS),
            experience_story="Oma tarina, joka näkyy vain koordinaattoreille.",
            works_remotely=rng.random() < 0.6,
            workload_limit=rng.choice([None, 2, 3, 4, 6]),
            monthly_earnings_limit=rng.choice([None, None, Decimal("1000.00"), Decimal("850.00")]),
            # Some have a calendar-year cap instead of (or besides) the monthly limit.
            yearly_earnings_limit=Decimal("9000.00") if number % 5 == 0 else None,
            on_break=approve and number % 17 == 0,
            break_started_at=now if approve and number % 17 == 0 else None,
            show_areas=rng.random() < 0.4,
            show_topics=rng.random() < 0.9,
            show_story=False,
            consent_given_at=now,
            privacy_notice_version="2026-11",
            submitted_at=now - timedelta(days=rng.randint(1, 400)),
        )
        if ExpertKind.EXPERIENCE_PARTNER in kinds:
            expert.areas_own.set([a for a in self.areas if a.slug == "child-welfare"])
        else:
            expert.areas_own.set(rng.sample(self.areas, k=rng.randint(1, 2)))
        if rng.random() < 0.3:
            expert.areas_close.set(rng.sample(self.areas, k=1))
        chosen = rng.sample(self.topics, k=rng.randint(2, 5))
        expert.topics.set(chosen[:-1] if len(chosen) > 2 else chosen)
        if len(chosen) > 2:
            expert.topics_not_now.set(chosen[-1:])
        languages = [self.languages["fi"]]
        if rng.random() < 0.3:
            languages.append(self.languages["sv"])
        if rng.random() < 0.4:
            languages.append(self.languages["en"])
        if rng.random() < 0.1:
            languages.append(self.languages[rng.choice(["se", "ru", "ar", "so", "fse"])])
        expert.languages.set(languages)
        expert.regions.set(rng.sample(self.regions, k=rng.randint(1, 3)))
        allowed = {nature for kind in kinds for nature in PERMITTED_NATURES[kind]}
        expert.task_types.set([t for t in self.task_types if t.nature in allowed])

        training_types = {
            ExpertKind.TRAINED_EXPERT: TrainingType.EXPERT,
            ExpertKind.EXPERIENCE_ACTOR: TrainingType.ACTOR,
            ExpertKind.EXPERIENCE_PARTNER: TrainingType.PARTNER,
        }
        for kind in kinds:
            training = None
            if kind in training_types:
                start = date(2024, 1, 15) + timedelta(days=rng.randint(0, 500))
                training = TrainingRecord.objects.create(
                    expert=expert,
                    training_type=training_types[kind],
                    organiser=organisation.name,
                    hours=hours
                    or {
                        TrainingType.EXPERT: Decimal(rng.choice([50, 56, 60, 72])),
                        TrainingType.ACTOR: Decimal(rng.choice([45, 48, 52])),
                        TrainingType.PARTNER: Decimal(rng.choice([20, 30, 40])),
                    }[training_types[kind]],
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(130, 240)),
                    status=TrainingRecord.VERIFIED if approve else TrainingRecord.PENDING,
                    reviewed_at=now if approve else None,
                )
            KindApplication.objects.create(
                expert=expert,
                kind=kind,
                status=KindApplication.GRANTED if approve else KindApplication.APPLIED,
                training=training if approve else None,
                reason="Koulutus tarkistettu." if approve else "",
                decided_at=now if approve else None,
            )
        return expert


def load_vocabulary():
    """Areas, topics, languages and regions with their three names (idempotent)."""
    for model, rows in (
        (ExperienceArea, AREAS),
        (Topic, TOPICS),
        (Language, LANGUAGES),
        (Region, REGIONS),
    ):
        for order, (slug, fi, sv, en) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug,
                defaults={"name": fi, "name_fi": fi, "name_sv": sv, "name_en": en, "order": order},
            )
