"""HTTP benchmark: `make bench` (after the server-time benchmarks).

Generates 10,000 services in a scratch database (guichet_http), starts gunicorn with
production settings (DEBUG off, 2 sync workers, CONN_MAX_AGE 60) on loopback ports —
one server with the page cache as shipped, one with it switched off — and drives them
with `wrk` (16 connections, BENCH_SECONDS per row, 10 by default):

1. each page of issue #17's table, cached and uncached, with requests/s, p50, p99 and
   the ratio to the static CSS file measured in the same run;
2. cache-busting junk: a random unknown parameter on every request (served from the
   cache: the parameter is dropped), then 10,000 distinct searches, after which the
   home page and a service page must still be served from the cache, and the workers'
   memory must not have grown past the caches' bounds;
3. the load: 200 connections for BENCH_LOAD_SECONDS (60) against a mix of cached and
   uncached pages, counting errors and non-2xx/3xx answers, while the number of
   database connections is sampled against max_connections.

Targets: cached pages >= 0.30 of the static file, uncached search with two filters
>= 0.10, p99 <= 100 ms at 16 connections for cached pages; under load 0 errors and the
database connections within max_connections. The machine is shared: the figures vary
from run to run (docs/deploy.md explains the sizing they lead to).
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from guichet import dbroles  # noqa: E402

SERVICES = 10_000
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WORKERS = 2
DB_NAME = "guichet_http"

# Printed by wrk at the end of each run: one JSON line the benchmark reads.
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect, e.read, e.write, e.timeout, e.status))
end
"""

# A unique value per request, so that nothing can be served from the cache.
UNIQUE_LUA = """
local counter = 0
local prefix = ""
setup = function(thread) thread:set("prefix", tostring(math.random(1, 1e9))) end
request = function()
  counter = counter + 1
  local path = string.gsub(wrk.path, "UNIQUE", prefix .. "x" .. counter)
  return wrk.format(nil, path)
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str = "") -> str:
    """The address of the scratch database ``name`` (DB_NAME, read when called) on the
    server the settings name."""
    name = name or DB_NAME
    db = connection.settings_dict
    user = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    if not db["HOST"] or db["HOST"].startswith("/"):
        return f"postgres://{user}@/{name}?host={urllib.parse.quote(db['HOST'] or '/var/run/postgresql')}"
    return f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


class Server:
    def __init__(self, name: str, **env):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "guichet.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DEBUG": "false",
                "HTTPS": "false",
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "DATABASE_URL": database_url(),
                "CONN_MAX_AGE": "60",
                "LOG_LEVEL": "WARNING",
                **env,
            },
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=5)  # noqa: S310
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit(f"gunicorn ({name}) did not start") from None
                time.sleep(0.2)

    def get(self, path: str) -> tuple[dict, bytes]:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310
            return dict(response.headers), response.read()

    def rss_kib(self) -> int:
        """Resident memory of the workers (KiB), from /proc."""
        total = 0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if not children.exists():
            return 0
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url: str, *, connections: int = 16, seconds: int = SECONDS, lua: str = "") -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + DONE_LUA)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    return figures


def row(label: str, figures: dict, static_rps: float) -> str:
    return (
        f"{label:44} {figures['rps']:>9.0f} {figures['p50']:>8.1f} {figures['p99']:>8.1f} "
        f"{figures['rps'] / static_rps:>7.3f} {figures['errors'] + figures['status']:>6}"
    )


def prepare_database() -> None:
    settings_dict = connection.settings_dict
    settings_dict.setdefault("TEST", {})["NAME"] = DB_NAME
    with dbroles.as_owner():  # creating and dropping databases is the owner's
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    call_command("generate_catalogue", services=SERVICES, seed=7, verbosity=0)
    # VACUUM and ANALYZE are the owner's (the application's role may not run them).
    with dbroles.as_owner(), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run `make wrk` (as root it installs Debian's wrk)")
    print(f"\nHTTP benchmark: gunicorn, {WORKERS} workers, production settings, loopback")
    started = time.perf_counter()
    prepare_database()
    print(f"generate_catalogue --services {SERVICES}: {time.perf_counter() - started:.1f} s")

    from associations.models import Association
    from services.models import Service

    service = Service.objects.active().order_by("pk")[SERVICES // 2]
    association = Association.objects.active().order_by("pk").first()
    district = service.location.district.slug if service.location else ""
    cached = Server("page cache on")
    uncached = Server("page cache off", PAGE_CACHE_ENABLED="false")
    failures: list[str] = []
    try:
        _headers, home = cached.get("/fr/")
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', home).group(1).decode()
        pages = {
            "/healthz (one SELECT 1)": "/healthz",
            "/fr/ home": "/fr/",
            "search, q + 2 filters": f"/fr/services/?q=avocat&free=1&district={district}",
            "search, broad one word": "/fr/services/?q=aide",
            "a service page": f"/fr/services/{service.slug}/",
            "an association page": f"/fr/associations/{association.slug}/",
            "HSDS services page": "/api/hsds/services?per_page=20",
        }
        for path in pages.values():  # warm both servers, each worker
            for _ in range(WORKERS * 2):
                cached.get(path)
                uncached.get(path)

        static = wrk(cached.base + css)
        print(f"\n{'URL':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'errors':>6}")
        print(row("static CSS (WhiteNoise)", static, static["rps"]))
        for label, path in pages.items():
            figures = wrk(cached.base + path)
            print(row(label + (" — cached" if path != "/healthz" else ""), figures, static["rps"]))
            if path == "/healthz":
                continue
            ratio = figures["rps"] / static["rps"]
            if ratio < 0.30:
                failures.append(f"{label}, cached: {ratio:.3f} of the static file < 0.30")
            if figures["p99"] > 100:
                failures.append(f"{label}, cached: p99 {figures['p99']:.0f} ms > 100 ms")
            figures = wrk(uncached.base + path)
            print(row(label + " — uncached", figures, static["rps"]))
            if label == "search, q + 2 filters" and figures["rps"] / static["rps"] < 0.10:
                failures.append(
                    f"{label}, uncached: {figures['rps'] / static['rps']:.3f} of the static file < 0.10"
                )
        unique = wrk(
            cached.base + f"/fr/services/?q=avocat+UNIQUE&free=1&district={district}",
            lua=UNIQUE_LUA,
        )
        print(row("search, unique q per request (cache misses)", unique, static["rps"]))

        print("\nCache-busting junk (page cache on):")
        junk = wrk(cached.base + "/fr/?utm_source=UNIQUE", lua=UNIQUE_LUA)
        print(row("home + a random unknown parameter", junk, static["rps"]))
        before = cached.rss_kib()
        flood = wrk(
            cached.base + "/fr/services/?q=UNIQUE", lua=UNIQUE_LUA, seconds=max(SECONDS, 20)
        )
        print(row(f"{flood['requests']} distinct searches", flood, static["rps"]))
        after = cached.rss_kib()
        hits = [
            cached.get(path)[0].get("X-Cache")
            for path in ("/fr/", f"/fr/associations/{association.slug}/")
            for _ in range(WORKERS * 3)
        ]
        print(
            f"  after the flood: {hits.count('HIT')} of {len(hits)} requests of the home and an "
            f"association page served from the cache; workers' memory {before / 1024:.0f} MiB -> "
            f"{after / 1024:.0f} MiB"
        )
        if hits.count("HIT") < len(hits):
            failures.append("the flood of searches pushed useful pages out of the cache")

        print(f"\nLoad: 200 connections, {LOAD_SECONDS} s, a mix of cached and uncached pages")
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_connections")
            max_connections = int(cursor.fetchone()[0])
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            from django.db import connections

            watcher = connections.create_connection("default")
            with watcher.cursor() as cursor:
                while not stop.is_set():
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
                    )
                    peak[0] = max(peak[0], cursor.fetchone()[0])
                    time.sleep(0.25)
            watcher.close()

        watcher = threading.Thread(target=sample)
        watcher.start()
        paths = [p for p in pages.values() if p != "/healthz"]
        mix = (
            "local paths = {"
            + ", ".join(json.dumps(p) for p in paths)
            + "}\nlocal counter = 0\nrequest = function()\n  counter = counter + 1\n"
            "  if counter % 10 == 0 then\n"
            '    return wrk.format(nil, "/fr/services/?q=aide+x" .. math.random(1, 1e9) .. "&free=1")\n'
            "  end\n  return wrk.format(nil, paths[counter % #paths + 1])\nend\n"
        )
        load = wrk(cached.base + "/", connections=200, seconds=LOAD_SECONDS, lua=mix)
        stop.set()
        watcher.join()
        print(
            f"  {load['requests']} requests, {load['rps']:.0f} req/s, p50 {load['p50']:.0f} ms, "
            f"p99 {load['p99']:.0f} ms; errors {load['errors']} (connect {load['connect']}, "
            f"read {load['read']}, write {load['write']}, timeout {load['timeout']}); "
            f"non-2xx/3xx {load['status']}"
        )
        print(
            f"  database connections: at most {peak[0]} (this benchmark's watcher included) "
            f"of max_connections {max_connections}"
        )
        if load["errors"] or load["status"]:
            failures.append(f"load: {load['errors']} errors, {load['status']} non-2xx/3xx")
        if peak[0] > max_connections:
            failures.append("load: more database connections than max_connections")
    finally:
        cached.stop()
        uncached.stop()
        with dbroles.as_owner():
            connection.creation.destroy_test_db(DB_NAME, verbosity=0)

    if failures:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("\nAll HTTP targets met.")


if __name__ == "__main__":
    main()
