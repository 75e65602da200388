"""The facet index (core.facets) against the Postgres path on list URLs no one asked before
(bench.distinct, as `make bench` makes them), in-process, one page at a time, on an already
seeded database:

    python -m bench.facet_run --count 300
    python -m bench.facet_run --count 50 --api   # the same draws as API list URLs

Each URL is asked twice, in two passes over the list: with the index (its own time from the
page's `Server-Timing`: `facets` the index, `search` the text search's query) and without it
(FACET_INDEX_MAX_ROWS 0: today's Postgres path), the page cache emptied before each pass. Reports
p50/p95 of the whole page, of the core (the index plus the search's ids; on the Postgres path
the counting statement and the page's ids) and the SQL, the index's build time and memory.

A database seeded before the change log existed (no core_facetchange) is read through an
empty temporary one on each connection: the run writes nothing. Uses DATABASE_URL as it is and
BENCH_REDIS_URL (default DB 15).
"""

import argparse
import gc
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.load import percentile  # noqa: E402
from bench.server import environment  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results"
TIMING = re.compile(r"(\w+);dur=([\d.]+)")
SEARCHED = re.compile(r"[?&](q|search)=")
# The API's orders drawn for --api (the list's own sort is dropped): "" is the default.
API_ORDERINGS = ("", "", "name", "-name", "published", "-published", "updated", "-updated")
TEMP_LOG = """
    CREATE TEMP TABLE IF NOT EXISTS core_facetchange (
        seq bigserial PRIMARY KEY, label varchar(100), object_id bigint, xid bigint,
        created_at timestamptz DEFAULT now())
"""


def _kind(sql: str) -> str:
    if "unnest(array_append" in sql:
        return "counts"
    if "core_facetchange" in sql:
        return "look"
    if '"id" IN (' in sql:
        return "cards"
    if "ORDER BY" in sql and "LIMIT" in sql:
        return "page ids"
    if "search_vector" in sql:
        return "search"
    return "other"


def api_url(url: str, rng: random.Random) -> str:
    """The API's list URL with the list URL's filters, search and page, in a random order
    (relevance where the list URL asked for it)."""
    path, _, query = url.partition("?")
    params = [
        ("search" if name == "q" else name, value)
        for name, value in parse_qsl(query)
        if name != "sort"
    ]
    ordering = "relevance" if "sort=relevance" in query else rng.choice(API_ORDERINGS)
    if ordering:
        params.append(("ordering", ordering))
    kind = path.strip("/").split("/")[-1]
    return f"/api/v1/{kind}/" + (f"?{urlencode(params)}" if params else "")


def _stats(values: list[float]) -> dict:
    return {"p50": round(percentile(values, 0.5), 2), "p95": round(percentile(values, 0.95), 2)}


def _temporary_log(sender, connection, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.core_facetchange') IS NULL")
        if cursor.fetchone()[0]:
            cursor.execute(TEMP_LOG)


def one_pass(urls: list[str]) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for url in urls:
        times: dict[str, float] = {}

        def timed(execute, sql, params, many, context, times=times):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                kind = _kind(sql)
                times[kind] = times.get(kind, 0.0) + (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(url)
        total = (time.perf_counter() - started) * 1000
        timing = {name: float(ms) for name, ms in TIMING.findall(response.get("Server-Timing", ""))}
        if timing:
            core = timing["facets"] + timing["search"]
            # the relevance page of a search comes from Postgres on both paths
            core_page = core + times.get("page ids", 0.0)
        else:
            core = times.get("counts", 0.0) + times.get("page ids", 0.0)
            core_page = core
        rows.append(
            {
                "url": url,
                "status": response.status_code,
                "ms": total,
                "sql_ms": sum(times.values()),
                "core_ms": core,
                "core_with_page_ms": core_page,
                "index_ms": timing.get("facets", 0.0),
                "search_ms": timing.get("search", times.get("search", 0.0)),
            }
        )
    return rows


def time_changes(state) -> dict:
    """What a change costs a worker in memory (no write to the database): one row moved to
    other keys and to the top of every order; and ranking one order again."""
    pk = next(iter(state.all))
    keys = sorted(state.bitmaps)[:6]
    started = time.perf_counter()
    for number in range(100):
        state.apply([pk], [(pk, keys, f"aaa {number}", 2**60, 2**60 + number)])
    one = (time.perf_counter() - started) * 10  # ms per change
    started = time.perf_counter()
    state._order(state.sorts["updated"])
    return {"apply_one_ms": round(one, 3), "rank_one_order_ms": round(ms_since(started), 1)}


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def summary(rows: list[dict]) -> dict:
    out = {}
    for kind in ("organisations", "projects"):
        mine = [row for row in rows if f"/{kind}/" in row["url"]]
        out[kind] = {
            key: _stats([row[key] for row in mine])
            for key in ("ms", "core_ms", "core_with_page_ms", "index_ms", "search_ms", "sql_ms")
        }
    out["all"] = {key: _stats([row[key] for row in rows]) for key in ("ms", "core_ms")}
    for name, searched in (("without_search", False), ("with_search", True)):
        mine = [row for row in rows if bool(SEARCHED.search(row["url"])) == searched]
        out[name] = {"count": len(mine)} | {
            key: _stats([row[key] for row in mine]) for key in ("ms", "core_ms", "index_ms")
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--build-only", action="store_true", help="time the builds alone")
    parser.add_argument("--api", action="store_true", help="the API's lists, not the pages")
    parser.add_argument(
        "--warm", type=int, default=0, help="URLs asked on both paths first, not measured"
    )
    args = parser.parse_args()
    database = os.environ.get("DATABASE_URL")  # as it is (see above), not the bench's own
    environment(os.environ.get("BENCH_STATIC_ROOT") or tempfile.mkdtemp())
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ.update(LOG_LEVEL="INFO", FACET_INDEX_BACKGROUND="false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    import psutil
    from django.conf import settings
    from django.db.backends.signals import connection_created

    from bench.distinct import url_sources
    from directory.facets import FACET_INDEXES

    connection_created.connect(_temporary_log)
    sources = url_sources(args.seed)
    drawn = (args.count + args.warm) // 2
    urls = [url for _ in range(drawn) for url in (s() for s in sources.values()) if url]
    if args.api:
        rng = random.Random(args.seed)
        urls = [api_url(url, rng) for url in urls]
    # The generators' rows (some 400,000 lists and tuples at 100k + 100k) would make each full
    # garbage collection take over half a second, counted in whichever request it fell.
    del sources
    gc.collect()
    process = psutil.Process()
    before = process.memory_info().rss
    builds = {}
    for name, index in FACET_INDEXES.items():
        index.current()
        builds[name] = {"ms": round(index.build_ms), "rows": len(index.state.all)}
    built = process.memory_info().rss
    result = {"urls": len(urls) - args.warm, "builds": builds}
    result["index_rss_mb"] = (built - before) / (1 << 20)
    for name, index in FACET_INDEXES.items():  # again: from the snapshot the build shared
        index.reset()
        index.current()
        builds[name]["loaded_from_redis_ms"] = round(index.build_ms)
    result["changes"] = time_changes(FACET_INDEXES["project"].state)
    cap = settings.FACET_INDEX_MAX_ROWS
    if args.build_only:
        print(json.dumps(result, indent=2))
        return
    # First uses (the text index, serializers, translations) would fall on the first pass.
    warm, urls = urls[: args.warm], urls[args.warm :]
    one_pass(warm)
    settings.FACET_INDEX_MAX_ROWS = 0
    for index in FACET_INDEXES.values():
        index.reset()
    one_pass(warm)
    settings.FACET_INDEX_MAX_ROWS = cap
    for index in FACET_INDEXES.values():
        index.reset()
        index.current()
    indexed = one_pass(urls)
    result["index"] = summary(indexed)
    settings.FACET_INDEX_MAX_ROWS = 0
    for index in FACET_INDEXES.values():
        index.reset()
    plain = one_pass(urls)
    result["postgres"] = summary(plain)
    result["slowest"] = [
        {**row, "postgres_ms": other["ms"], "postgres_core_ms": other["core_ms"]}
        for row, other in sorted(zip(indexed, plain, strict=True), key=lambda p: -p[0]["ms"])[:15]
    ]
    result["load_average"] = os.getloadavg()[0]
    RESULTS.mkdir(exist_ok=True)
    name = f"facet-run-{'api-' if args.api else ''}{args.count}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
