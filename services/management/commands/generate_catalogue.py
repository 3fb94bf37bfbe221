"""Generate a large synthetic catalogue for benchmarks (bulk inserts)."""

import random
import re
import time as clock
from datetime import time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from associations.models import Association, Location
from guichet import dbroles
from services.demo import load_reference_data, read_catalogue
from services.models import OpeningHours, Service, refresh_catalogue_statistics

SERVICES_PER_ASSOCIATION = 10
BATCH = 2000

LANGUAGES = ("ar", "fr", "es", "en")
TRANSLATED = ("name", "summary", "description", "eligibility", "required_documents", "fees")


def vocabulary(data: dict) -> dict[str, dict[str, list[str]]]:
    """Return, per category and language, the words the demo catalogue uses for it.

    Generated services draw their texts from these, so a search term matches about
    as many of them as it would in a real catalogue of that size.
    """
    words: dict[str, dict[str, list[str]]] = {}
    for association in data["associations"]:
        for service in association["services"]:
            for slug in service["categories"]:
                for code in LANGUAGES:
                    text = " ".join(
                        service[field][code] for field in ("name", "summary", "description")
                    )
                    bucket = words.setdefault(slug, {}).setdefault(code, [])
                    bucket.extend(w for w in re.findall(r"\w+", text) if len(w) > 2)
    return words


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choices(words, k=n)).capitalize() + "."


def _insert_rows(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` (``{column: value}``) into ``model``'s table and return their keys,
    in order; the other columns take their field's default. Much faster than building
    and saving model instances with dozens of translated fields each."""
    now = timezone.now()
    with_keys = bool(rows) and model._meta.pk.attname in rows[0]
    fields = [
        f
        for f in model._meta.concrete_fields
        if (with_keys or not f.primary_key) and not f.generated
    ]

    def value(field, row):
        if field.attname in row:
            return row[field.attname]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        return field.get_default()

    return _insert(
        model._meta.db_table,
        tuple(f.column for f in fields),
        [tuple(value(f, row) for f in fields) for row in rows],
        returning=model._meta.pk.column,
    )


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple], returning: str = ""):
    """Insert plain rows in pages of a few thousand (no model instances to build); with
    ``returning``, return that column of each row, in order."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s"  # noqa: S608 (our names)
    with connection.cursor() as cursor:
        found = execute_values(
            cursor.cursor,
            f"{sql} RETURNING {returning}" if returning else sql,
            rows,
            page_size=BATCH,
            fetch=bool(returning),
        )
    return [key for (key,) in found] if returning else None


class Command(BaseCommand):
    help = "Generate N synthetic services (and their associations) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, required=True, help="how many services")
        parser.add_argument("--seed", type=int, default=1, help="random seed")

    def handle(self, *args, services: int, seed: int, **options):
        if services < 1 or services > 1_000_000:
            raise CommandError("--services must be between 1 and 1,000,000.")
        started = clock.monotonic()
        # Synthetic data, not security.
        rng = random.Random(seed)  # nosec B311
        data = read_catalogue()
        ref = load_reference_data(data)
        words = vocabulary(data)
        general = {
            code: [w for bucket in words.values() for w in bucket[code]] for code in LANGUAGES
        }
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
                        **{
                            f"name_{c}": f"{_sentence(rng, general[c], 2)[:-1]} {i}"
                            for c in LANGUAGES
                        },
                        **{f"description_{c}": _sentence(rng, general[c], 12) for c in LANGUAGES},
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
                        **{f"name_{c}": _sentence(rng, general[c], 2) for c in LANGUAGES},
                        **{
                            f"address_{c}": f"{rng.randint(1, 200)} {_sentence(rng, general[c], 2)}"
                            for c in LANGUAGES
                        },
                    )
                    for association in associations
                ],
                batch_size=BATCH,
            )
            rows = []
            chosen = []
            for i in range(services):
                index = i % count_assoc
                category = rng.choice(categories)
                vocabulary_of = words[category.slug]
                texts = {
                    **{
                        f"name_{c}": f"{getattr(category, f'name_{c}')} — "
                        f"{_sentence(rng, vocabulary_of[c], 2)[:-1]} {i}"
                        for c in LANGUAGES
                    },
                    **{f"summary_{c}": _sentence(rng, vocabulary_of[c], 10) for c in LANGUAGES},
                    **{f"description_{c}": _sentence(rng, vocabulary_of[c], 40) for c in LANGUAGES},
                    **{f"eligibility_{c}": _sentence(rng, vocabulary_of[c], 8) for c in LANGUAGES},
                }
                rows.append(
                    {
                        "association_id": associations[index].pk,
                        "location_id": locations[index].pk,
                        "slug": f"{run}-service-{i}",
                        "is_free": rng.random() < 0.8,
                        "no_id_needed": rng.random() < 0.5,
                        "any_status_accepted": rng.random() < 0.5,
                        "access": rng.choice(Service.Access.values),
                        "last_verified_on": today - timedelta(days=rng.randint(0, 400)),
                        # The untranslated columns hold the default language, as
                        # modeltranslation keeps them.
                        **{field: texts.get(f"{field}_fr", "") for field in TRANSLATED},
                        **texts,
                    }
                )
                chosen.append(category)
            # The services' keys are taken first and their category links written
            # before them (Django's foreign keys are checked at commit): PostgreSQL then
            # indexes each service once, as it is inserted with its categories, rather
            # than again when its links arrive.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Service._meta.db_table, services],
                )
                keys = [key for (key,) in cursor.fetchall()]
            _insert(
                Service.categories.through._meta.db_table,
                ("service_id", "category_id"),
                [(pk, category.pk) for pk, category in zip(keys, chosen, strict=True)],
            )
            # Fresh statistics, so that indexing each service looks its categories
            # up through the index rather than scanning thousands of new links.
            dbroles.refresh_statistics("services_service_categories")
            for row, key in zip(rows, keys, strict=True):
                row["id"] = key
            created = _insert_rows(Service, rows)

            # Link and opening-hour rows are many and plain: inserted as tuples.
            _insert(
                Service.audiences.through._meta.db_table,
                ("service_id", "audience_id"),
                [(pk, a.pk) for pk in created for a in rng.sample(audiences, 2)],
            )
            _insert(
                Service.languages.through._meta.db_table,
                ("service_id", "language_id"),
                [(pk, lang.pk) for pk in created for lang in rng.sample(languages, 3)],
            )
            hours = []
            for pk in created:
                opens = time(rng.choice([8, 9, 10, 14, 20]), rng.choice([0, 30]))
                closes = time(8, 0) if opens.hour == 20 else time(opens.hour + 4, 0)
                hours.extend(
                    (pk, day, opens, closes, "", "", "", "", "")
                    for day in rng.sample(range(7), rng.randint(2, 6))
                )
            _insert(
                OpeningHours._meta.db_table,
                (
                    "service_id",
                    "weekday",
                    "opens",
                    "closes",
                    "note",
                    *(f"note_{c}" for c in LANGUAGES),
                ),
                hours,
            )

        # A bulk load: until autovacuum comes by, the planner would take the new
        # thousands of rows for a handful, and searches would be ten times slower.
        refresh_catalogue_statistics()
        self.stdout.write(
            f"Generated {services} services in {len(associations)} associations "
            f"in {clock.monotonic() - started:.1f} s."
        )
