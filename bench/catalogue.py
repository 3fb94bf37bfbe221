"""Catalogue benchmark: `make bench`.

Generates 10,000 services in a scratch database (guichet_bench), then measures the
service list (a search term and two filters) and a service page: SQL queries and
median server time over repeated requests, the page weight, and the EXPLAIN of the
search query. Finally times the generation of 20,000 more services.

Targets (issues #3 and #17): at most 10 queries for each page; median server time
15 ms for a search with two filters, 30 ms for a broad one-word search, 20 ms for the
HSDS services page, 50 ms otherwise; list page HTML + CSS + JS at most 60 KB; 20,000
services generated in under a minute. Measured with the page cache off
(PAGE_CACHE_ENABLED=false, set by `make bench`): the cost of building a page, with the
finer memories a catalogue version keeps (word lookups, cards, filter fields, HSDS
objects) as repeated requests leave them. A second table gives each page as the first
request after a catalogue change, those memories and the cached choice lists empty. A
profile then splits each page's time between SQL, template and Python.

Pages are requested through Django's test client without the test environment's
template instrumentation (which copies every template context for the tests): what is
timed is the application as it serves.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from measure import measure, profile  # noqa: E402

from guichet import dbroles  # noqa: E402
from guichet.catalogue import forget_memos  # noqa: E402

RUNS = 40
SERVICES = 10_000
# Median server time targets (issue #17), 50 ms for the other pages.
TARGETS_MS = {
    "service list, q + 2 filters": 15,
    "service list, Spanish q + 2 filters": 15,
    "service list, Arabic q + 2 filters": 15,
    "service list, misspelt q + 2 filters": 15,
    "service list, broad one word": 30,
    "HSDS services page": 20,
}


def page_weight(html: bytes) -> int:
    total = len(html)
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        name = url.decode().removeprefix(settings.STATIC_URL)
        path = finders.find(name) or (Path(settings.STATIC_ROOT) / name)
        total += Path(path).stat().st_size
    return total


def main() -> None:
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "guichet_bench"
    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    call_command("collectstatic", "--noinput", verbosity=0)

    started = time.perf_counter()
    call_command("generate_catalogue", services=SERVICES, seed=7, verbosity=0)
    print(f"generate_catalogue --services {SERVICES}: {time.perf_counter() - started:.1f} s")
    # VACUUM and ANALYZE are the owner's (the application's role may not run them).
    with dbroles.as_owner(), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    from services.models import Service

    client = Client()
    slug = Service.objects.active().order_by("pk").values_list("slug", flat=True)[SERVICES // 2]
    pages = {
        "home": "/fr/",
        "service list, q + 2 filters": "/fr/services/?q=avocat&category=legal-aid&district=beni-makada",
        "service list, Spanish q + 2 filters": "/es/services/?q=medico&free=1&category=health",
        "service list, Arabic q + 2 filters": "/ar/services/?q=%D8%AD%D9%85%D8%A7%D9%8A%D8%A9&district=beni-makada&language=fr",
        "service list, misspelt q + 2 filters": "/fr/services/?q=acompagnement&no_id=1&open_now=1",
        # Fewer than a page match all three words: the list goes on with some words.
        "service list, some of 3 words": "/fr/services/?q=avocat+couture+vaccination",
        # One word that most of the catalogue matches.
        "service list, broad one word": "/fr/services/?q=aide",
        "service list, everyday word": "/ar/services/?q=%D8%B7%D8%B9%D8%A7%D9%85",
        "service list, Darija Latin": "/fr/services/?q=m7ami",
        # Bad input: never a scan that takes seconds.
        "service list, 200 x one letter": "/fr/services/?q=" + "a" * 200,
        "service list, stop words only": "/fr/services/?q=de+la+le+les+des",
        "service list, punctuation": "/fr/services/?q=-+%22+%3F%21",
        "service detail": f"/fr/services/{slug}/",
        "HSDS services page": "/api/hsds/services?per_page=20",
    }
    print(f"\n{'page':40} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'KB':>6}")
    failures = []
    for label, result in measure(client, pages, RUNS).items():
        print(
            f"{label:40} {result['queries']:>7} {result['median_ms']:>10.1f} "
            f"{result['p90_ms']:>8.1f} {result['bytes'] / 1024:>6.1f}"
        )
        if result["queries"] > 10:
            failures.append(f"{label}: {result['queries']} queries > 10")
        target = TARGETS_MS.get(label, 50)
        if result["median_ms"] > target:
            failures.append(f"{label}: median {result['median_ms']:.1f} ms > {target} ms")
        if label.startswith("service list, q"):
            weight = page_weight(result["html"])
            print(
                f"{'  first visit, HTML + CSS + JS':40} {'':>7} {'':>10} {'':>8} {weight / 1024:>6.1f}"
            )
            if weight > 60 * 1024:
                failures.append(f"page weight {weight} B > 60 KB")

    # The same pages as the first request after a catalogue change: the memories of
    # word lookups, cards, filter fields and HSDS objects, and the cached choice lists
    # and counts, all empty (what a visitor meets once per page and catalogue version).
    print(f"\n{'cold: first request after a change':40} {'queries':>7} {'median ms':>10}")
    for label, url in pages.items():
        timings, queries = [], []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        for _run in range(RUNS // 4):
            forget_memos()
            cache.clear()
            queries.clear()
            started = time.perf_counter()
            with connection.execute_wrapper(count):
                client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{label:40} {len(queries):>7} {statistics.median(timings):>10.1f}")

    # Where the milliseconds go, page cache off (the home page's counts stay cached).
    print(
        f"\n{'profile (share of the median request)':40} {'ms':>7} {'SQL':>6} {'tmpl':>6} {'Python':>7}"
    )
    for label, url in pages.items():
        shares = profile(client, url, RUNS // 2)
        print(
            f"{label:40} {shares['total_ms']:>7.1f} {shares['sql']:>6.0%} "
            f"{shares['template']:>6.0%} {shares['python']:>7.0%}"
        )

    # The query that matches, ranks and counts, captured as the list page runs it.
    url = pages["service list, q + 2 filters"]
    captured = []

    def capture(execute, sql, params, many, context):
        if "OVER ()" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        client.get(url)
    print(f"\nEXPLAIN ANALYZE of the search query ({url}):")
    with connection.cursor() as cursor:
        for sql, params in captured:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\n".join(row[0] for row in cursor.fetchall()))

    started = time.perf_counter()
    call_command("generate_catalogue", services=20_000, seed=8, verbosity=0)
    elapsed = time.perf_counter() - started
    print(f"\ngenerate_catalogue --services 20000: {elapsed:.1f} s (target < 60 s)")
    if elapsed > 60:
        failures.append(f"generating 20,000 services took {elapsed:.1f} s")

    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.destroy_test_db("guichet_bench", verbosity=0)
    if failures:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll catalogue targets met.")


if __name__ == "__main__":
    main()
