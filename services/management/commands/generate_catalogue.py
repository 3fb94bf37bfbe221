"""Generate a large synthetic catalogue for benchmarks (bulk inserts)."""

import random
import time as clock
from datetime import time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from associations.models import Association, Location
from services.demo import load_reference_data, read_catalogue
from services.models import OpeningHours, Service
from services.search import refresh_search_index

SERVICES_PER_ASSOCIATION = 10
BATCH = 2000

# Words to build plausible texts from, so that searches hit and miss realistically.
WORDS = {
    "ar": [
        "مساعدة",
        "دعم",
        "استشارة",
        "مجانية",
        "مرافقة",
        "توجيه",
        "ورشة",
        "دروس",
        "رعاية",
        "حماية",
        "إيواء",
        "تكوين",
    ],
    "fr": [
        "aide",
        "soutien",
        "conseil",
        "gratuit",
        "accompagnement",
        "orientation",
        "atelier",
        "cours",
        "soins",
        "protection",
        "accueil",
        "formation",
    ],
    "es": [
        "ayuda",
        "apoyo",
        "asesoría",
        "gratuita",
        "acompañamiento",
        "orientación",
        "taller",
        "clases",
        "atención",
        "protección",
        "acogida",
        "formación",
    ],
    "en": [
        "help",
        "support",
        "advice",
        "free",
        "accompaniment",
        "guidance",
        "workshop",
        "classes",
        "care",
        "protection",
        "shelter",
        "training",
    ],
}


def _sentence(rng: random.Random, code: str, n: int) -> str:
    return " ".join(rng.choice(WORDS[code]) for _ in range(n)).capitalize() + "."


class Command(BaseCommand):
    help = "Generate N synthetic services (and their associations) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="how many services")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, services: int, seed: int, **options):
        if services < 1 or services > 1_000_000:
            raise CommandError("--services must be between 1 and 1,000,000.")
        started = clock.monotonic()
        rng = random.Random(seed)
        ref = load_reference_data(read_catalogue())
        categories = list(ref["categories"].values())
        audiences = list(ref["audiences"].values())
        languages = list(ref["languages"].values())
        districts = list(ref["districts"].values())
        run = f"gen{seed}-{int(clock.time())}"
        today = timezone.localdate()

        with transaction.atomic():
            count_assoc = max(1, services // SERVICES_PER_ASSOCIATION)
            associations = Association.objects.bulk_create(
                [
                    Association(
                        slug=f"{run}-assoc-{i}",
                        is_verified=True,
                        last_verified_on=today - timedelta(days=rng.randint(0, 400)),
                        phone="+212 539 00 00 00",
                        **{f"name_{c}": f"{_sentence(rng, c, 2)[:-1]} {i}" for c in WORDS},
                        **{f"description_{c}": _sentence(rng, c, 12) for c in WORDS},
                    )
                    for i in range(count_assoc)
                ],
                batch_size=BATCH,
            )
            locations = Location.objects.bulk_create(
                [
                    Location(
                        association=association,
                        district=rng.choice(districts),
                        latitude=round(rng.uniform(35.735, 35.79), 6),
                        longitude=round(rng.uniform(-5.88, -5.79), 6),
                        **{f"name_{c}": _sentence(rng, c, 2) for c in WORDS},
                        **{
                            f"address_{c}": f"{rng.randint(1, 200)} {_sentence(rng, c, 2)}"
                            for c in WORDS
                        },
                    )
                    for association in associations
                ],
                batch_size=BATCH,
            )
            rows = []
            for i in range(services):
                index = i % count_assoc
                category = rng.choice(categories)
                rows.append(
                    Service(
                        association=associations[index],
                        location=locations[index],
                        slug=f"{run}-service-{i}",
                        is_free=rng.random() < 0.8,
                        no_id_needed=rng.random() < 0.5,
                        any_status_accepted=rng.random() < 0.5,
                        access=rng.choice(Service.Access.values),
                        last_verified_on=today - timedelta(days=rng.randint(0, 400)),
                        **{
                            f"name_{c}": f"{getattr(category, f'name_{c}')} — "
                            f"{_sentence(rng, c, 2)[:-1]} {i}"
                            for c in WORDS
                        },
                        **{f"summary_{c}": _sentence(rng, c, 10) for c in WORDS},
                        **{f"description_{c}": _sentence(rng, c, 40) for c in WORDS},
                        **{f"eligibility_{c}": _sentence(rng, c, 8) for c in WORDS},
                    )
                )
                rows[-1]._category = category
            created = Service.objects.bulk_create(rows, batch_size=BATCH)

            through = Service.categories.through
            through.objects.bulk_create(
                [through(service_id=s.pk, category_id=s._category.pk) for s in created],
                batch_size=BATCH * 5,
            )
            through = Service.audiences.through
            through.objects.bulk_create(
                [
                    through(service_id=s.pk, audience_id=a.pk)
                    for s in created
                    for a in rng.sample(audiences, 2)
                ],
                batch_size=BATCH * 5,
            )
            through = Service.languages.through
            through.objects.bulk_create(
                [
                    through(service_id=s.pk, language_id=lang.pk)
                    for s in created
                    for lang in rng.sample(languages, 3)
                ],
                batch_size=BATCH * 5,
            )
            hours = []
            for s in created:
                opens = time(rng.choice([8, 9, 10, 14, 20]), rng.choice([0, 30]))
                closes = time(8, 0) if opens.hour == 20 else time(opens.hour + 4, 0)
                for day in rng.sample(range(7), rng.randint(2, 6)):
                    hours.append(OpeningHours(service=s, weekday=day, opens=opens, closes=closes))
            OpeningHours.objects.bulk_create(hours, batch_size=BATCH * 5)
            refresh_search_index([s.pk for s in created])

        self.stdout.write(
            f"Generated {services} services in {len(associations)} associations "
            f"in {clock.monotonic() - started:.1f} s."
        )
