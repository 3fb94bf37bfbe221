"""Shared by the benchmarks: count pages' SQL queries and time them over repeated requests."""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client


def measure(client: Client, urls: dict[str, str], runs: int) -> dict[str, dict]:
    """For each of ``urls`` (label: url): count the queries of one request made with an
    empty cache (the most it can take), then time ``runs`` requests (milliseconds).

    The timed requests take the pages in turn, round after round, so that a slow spell
    of the machine (a shared virtual machine has them) falls on every page alike rather
    than on whichever page was being measured then.
    """
    results = {}
    for label, url in urls.items():
        cache.clear()
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        client.get(url)  # warm
        results[label] = {
            "queries": len(queries),
            "bytes": len(response.content),
            "html": response.content,
            "timings": [],
        }
    for _ in range(runs):
        for label, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            results[label]["timings"].append((time.perf_counter() - started) * 1000)
    for result in results.values():
        timings = sorted(result.pop("timings"))
        result["median_ms"] = statistics.median(timings)
        result["p90_ms"] = timings[int(runs * 0.9) - 1]
    return results


def profile(client: Client, url: str, runs: int) -> dict[str, float]:
    """Where the median request's milliseconds go: SQL (time in the database driver),
    template (rendering, less the SQL it triggers) and Python (the rest: middleware,
    view, forms, serialising)."""
    from django.template.backends.django import Template

    spent = {"sql": 0.0, "sql_in_template": 0.0, "template": 0.0}
    in_template = [False]
    original = Template.render

    def timed_render(self, *args, **kwargs):
        in_template[0] = True
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent["template"] += time.perf_counter() - started
            in_template[0] = False

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            spent["sql"] += elapsed
            if in_template[0]:
                spent["sql_in_template"] += elapsed

    totals = []
    Template.render = timed_render
    try:
        with connection.execute_wrapper(timed_sql):
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                totals.append(time.perf_counter() - started)
    finally:
        Template.render = original
    total = sum(totals)
    template = spent["template"] - spent["sql_in_template"]
    return {
        "total_ms": statistics.median(totals) * 1000,
        "sql": spent["sql"] / total,
        "template": template / total,
        "python": (total - spent["sql"] - template) / total,
    }
