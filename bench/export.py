"""Open-data export under load: `make bench` (after bench/web.py).

Issue #13: the tabular export (/api/hsds/tabular.zip), linked from every page, was rebuilt
on each request (4 s at 3,000 services); two downloads at once slowed /healthz to 3 s. It
is now built once per catalogue change and language, one build at a time, and served
from the cache with an ETag.

Generates 3,000 services in a scratch database (guichet_export), starts gunicorn with
production settings (DEBUG off, 2 sync workers, as bench/web.py), times the first
download (the build; each worker builds once with the local-memory cache, once for all
with a shared CACHE_URL), then keeps 20 downloads of the French package in flight for
BENCH_SECONDS (10 by default) while one client asks /healthz again and again. Prints
the downloads' count and throughput, /healthz's median, 90th percentile and worst
time (and alone, before, to show the machine's own load), and a conditional download
(304).

Target: /healthz median under 50 ms while the 20 downloads run.
"""

import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

import web  # bench/web.py: the scratch database and the gunicorn server

SERVICES = 3_000
DOWNLOADS = 20
SECONDS = web.SECONDS
TARGET_MS = 50.0
PATH = "/api/hsds/tabular.zip?lang=fr"


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def main() -> None:
    # The scratch database of this benchmark, not bench/web.py's.
    web.DB_NAME = "guichet_export"
    web.SERVICES = SERVICES
    print(f"\nOpen-data export: {DOWNLOADS} concurrent downloads of {PATH}, {SERVICES} services")
    started = time.perf_counter()
    web.prepare_database()
    print(f"generate_catalogue --services {SERVICES}: {time.perf_counter() - started:.1f} s")
    server = web.Server("export")
    failures: list[str] = []
    try:
        for _ in range(web.WORKERS * 2):  # the build, in each worker
            start = time.perf_counter()
            answers = []
            while not answers or answers[-1] != 200:  # 503 while it is being built
                if answers:
                    time.sleep(1)
                answers.append(fetch(server.base + PATH)[0])
            print(
                f"  a download before the run: 200 after {time.perf_counter() - start:.2f} s "
                f"({len(answers) - 1} answers 503 while it was built)"
            )
        alone = []
        for _ in range(50):
            start = time.perf_counter()
            fetch(server.base + "/healthz")
            alone.append((time.perf_counter() - start) * 1000)
            time.sleep(0.02)
        print(f"  /healthz alone: median {statistics.median(alone):.1f} ms (the machine's load)")
        stop = threading.Event()
        health: list[float] = []

        def healthz() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                fetch(server.base + "/healthz")
                health.append((time.perf_counter() - start) * 1000)
                time.sleep(0.02)

        prober = threading.Thread(target=healthz)
        prober.start()
        try:
            # wrk (C, keep-alive off on gunicorn's side) keeps 20 downloads in flight.
            figures = web.wrk(server.base + PATH, connections=DOWNLOADS, seconds=SECONDS)
        finally:
            stop.set()
            prober.join()
        _status, headers, body = fetch(server.base + PATH)
        print(
            f"  downloads: {figures['requests']} in {figures['seconds']:.0f} s "
            f"({figures['rps']:.0f}/s, {figures['rps'] * len(body) / 1e6:.0f} MB/s, "
            f"{len(body) / 1e6:.1f} MB each), p50 {figures['p50']:.0f} ms, "
            f"errors {figures['errors']}, non-2xx/3xx {figures['status']}"
        )
        health.sort()
        median = statistics.median(health)
        p90 = health[int(len(health) * 0.9)]
        print(
            f"  /healthz during the downloads: {len(health)} requests, median {median:.1f} ms, "
            f"p90 {p90:.1f} ms, worst {health[-1]:.0f} ms"
        )
        if median >= TARGET_MS:
            failures.append(f"/healthz median {median:.1f} ms >= {TARGET_MS:.0f} ms")
        if figures["errors"] or figures["status"]:
            failures.append(f"downloads: {figures['errors']} errors, {figures['status']} non-2xx")

        again, _headers, body = fetch(
            server.base + PATH, {"If-None-Match": headers.get("ETag", "")}
        )
        print(f"  asked again with its ETag: {again}, {len(body)} bytes")
        if again != 304:
            failures.append(f"a conditional download answered {again}, not 304")
    finally:
        server.stop()
        with web.dbroles.as_owner():
            web.connection.creation.destroy_test_db(web.DB_NAME, verbosity=0)

    if failures:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nExport target met.")


if __name__ == "__main__":
    main()
