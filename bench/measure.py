"""Shared by the benchmarks: count a page's SQL queries and time it over repeated requests."""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client


def measure(client: Client, url: str, runs: int) -> dict:
    """Count the queries of one request with an empty cache (the most it can take),
    then warm up and time ``runs`` more (milliseconds)."""
    cache.clear()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries),
        "median_ms": statistics.median(timings),
        "p90_ms": sorted(timings)[int(runs * 0.9) - 1],
        "bytes": len(response.content),
        "html": response.content,
    }
