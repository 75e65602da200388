"""The directory's benchmark, behind `make bench`.

1. Makes sure a separate database (BENCH_DATABASE_URL, default dsi_bench) is migrated and holds
   at least BENCH_ORGANISATIONS organisations and BENCH_PROJECTS projects (seeds what is missing
   with `seed_demo`, then VACUUM ANALYZE).
2. Serves the hub with gunicorn and production settings (debug off) on a free local port.
3. Drives it over HTTP with bench/load.py: a rotating set of list URLs (searches, filters, sorts,
   deep pages) and detail URLs, at 1 and 8 concurrent clients, BENCH_SECONDS each.
4. The same SQL run alone: each page's queries are captured in-process and replayed over psycopg;
   page time / SQL time shows what the page costs beyond its queries (both uncached: pages are
   cached whole, so the warm page runs no SQL at all).
5. Cold against warm list pages: the cached facet counts are invalidated by bumping the
   directory's cache version, then each page is fetched once cold and again warm.
6. The open-data API: the same rotating searches and filters as /api/v1/ lists, at 2 and 8
   clients; then full downloads (/data/organisations.csv and .json, every published row): rows
   per second, time to the first byte, and how much the serving worker's memory grew.
7. List pages no one asked before (bench/distinct.py): organisations and projects, each request
   a new URL, at 1 and 8 clients (BENCH_DISTINCT_CLIENTS), BENCH_DISTINCT_SECONDS (60) each,
   beside the warm run and the SQL alone; the faceting core's own time where the pages state
   it (`Server-Timing: facets;dur=`), the workers' memory and Redis's afterwards.
8. The statistics pages (bench/explore_stats.py): /en/explore/ with new filters and searches,
   and every country page, made afresh, at 1 and 8 clients (BENCH_DISTINCT_SECONDS each).
9. The explore map's clusters (bench/explore_map.py): every request a new viewport and new
   filters, at 1 and 8 clients (BENCH_DISTINCT_CLIENTS), BENCH_DISTINCT_SECONDS each.

BENCH_PARTS picks some of warm, api, downloads, distinct, stats, sql, cold, explore (all by
default);
BENCH_SEED_DATA=0 measures the database as it is, only reading it (no migrations, no seeding,
no VACUUM ANALYZE). Results are printed next to the targets and written to
bench/results/latest.json.
"""

import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.distinct import distinct_runs  # noqa: E402
from bench.distinct import report_lines  # noqa: E402
from bench.explore_map import explore_runs  # noqa: E402
from bench.explore_map import report_lines as explore_report_lines  # noqa: E402
from bench.explore_stats import report_lines as stats_report_lines  # noqa: E402
from bench.explore_stats import stats_runs  # noqa: E402
from bench.load import Client  # noqa: E402
from bench.load import run_load  # noqa: E402
from bench.load import summarise  # noqa: E402
from bench.pages import api_urls  # noqa: E402
from bench.pages import pick_calendar_urls  # noqa: E402
from bench.pages import pick_urls  # noqa: E402
from bench.server import DATABASE_URL  # noqa: E402
from bench.server import GUNICORN_ARGS  # noqa: E402
from bench.server import HOST  # noqa: E402
from bench.server import bump_cache_version  # noqa: E402
from bench.server import ensure_database  # noqa: E402
from bench.server import environment  # noqa: E402
from bench.server import free_port  # noqa: E402
from bench.server import manage  # noqa: E402
from bench.server import say  # noqa: E402
from bench.server import start_gunicorn  # noqa: E402
from bench.server import stop_gunicorn  # noqa: E402
from bench.server import workers_rss  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "100000"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))
OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "20000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CONCURRENCY = [int(n) for n in os.environ.get("BENCH_CLIENTS", "1,8").split(",")]
API_CONCURRENCY = [int(n) for n in os.environ.get("BENCH_API_CLIENTS", "2,8").split(",")]
# The run of list URLs no one asked before (bench/distinct.py), per list and number of clients.
DISTINCT_SECONDS = float(os.environ.get("BENCH_DISTINCT_SECONDS", "60"))
DISTINCT_CLIENTS = [int(n) for n in os.environ.get("BENCH_DISTINCT_CLIENTS", "1,8").split(",")]
PARTS = ("warm", "api", "downloads", "distinct", "stats", "sql", "cold", "explore")
# BENCH_PARTS=warm,distinct,sql runs only those; BENCH_SEED_DATA=0 measures the database as it
# is (no migrations, no seeding, no VACUUM ANALYZE: it is only read).
SELECTED = os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",")
SEED_DATA = os.environ.get("BENCH_SEED_DATA", "1") != "0"
REPEATS = 3  # per URL, for the page-time and SQL-time medians
TARGETS = {
    "list_p95_ms_at_8": 150,
    "detail_p95_ms": 30,
    "api_p95_ms_at_2": 60,
    "export_rows_per_second": 30_000,
    "export_memory_growth_mb": 20,
    "map_clusters_p95_ms_at_8": 100,
}
RESULTS = BASE_DIR / "bench" / "results" / "latest.json"


def ensure_directory() -> dict:
    """Seed what is missing, then refresh the planner's statistics."""
    from django.db import connection

    from directory.models import Organisation
    from directory.models import Project
    from events.models import Event
    from funding.models import Opportunity

    organisations = Organisation.objects.published().count()
    projects = Project.objects.published().count()
    seeding = {"seconds": None, "organisations": 0, "projects": 0}
    if not SEED_DATA:
        say("BENCH_SEED_DATA=0: the database is measured as it is, and only read.")
    elif organisations < ORGANISATIONS or projects < PROJECTS:
        more = {
            "organisations": max(0, ORGANISATIONS - organisations),
            "projects": max(0, PROJECTS - projects),
        }
        say(f"Seeding {more['organisations']:,} organisations and {more['projects']:,} projects")
        started = time.monotonic()
        manage(
            "seed_demo",
            f"--organisations={more['organisations']}",
            f"--projects={more['projects']}",
        )
        seeding = {"seconds": round(time.monotonic() - started, 1), **more}
    else:
        say(f"Already seeded: {organisations:,} organisations, {projects:,} projects.")
    if SEED_DATA:
        events = Event.objects.published().count()
        if events < EVENTS:
            say(f"Seeding {EVENTS - events:,} events")
            manage("seed_events", f"--events={EVENTS - events}", "--seed=2017")
        opportunities = Opportunity.objects.published().count()
        if opportunities < OPPORTUNITIES:
            say(f"Seeding {OPPORTUNITIES - opportunities:,} funding opportunities")
            manage(
                "seed_funding", f"--opportunities={OPPORTUNITIES - opportunities}", "--seed=2017"
            )
        say("VACUUM ANALYZE ...")  # fresh statistics, visibility map and GIN pending lists
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "organisations": Organisation.objects.published().count(),
        "projects": Project.objects.published().count(),
        "events": Event.objects.published().count(),
        "opportunities": Opportunity.objects.published().count(),
        "seeding": seeding,
    }


def warm_up(port: int, urls: list[str]) -> dict:
    """One pass over every URL; reports statuses, so a broken page is seen at once."""
    client = Client(HOST, port)
    statuses: dict[str, list[str]] = {}
    for url in urls:
        status, _, _ = client.get(url)
        statuses.setdefault(str(status), []).append(url)
    client.close()
    for status, failing in statuses.items():
        if status != "200":
            say(f"  {len(failing)} URL(s) answered {status}, e.g. {failing[0]}")
    return {status: len(urls) for status, urls in statuses.items()}


def cold_and_warm(port: int, urls: list[str], version_key: str = "directory:version") -> dict:
    """Each list page fetched right after its content version changed, then again warm."""
    client = Client(HOST, port)
    cold, warm = [], []
    for url in urls:
        bump_cache_version(version_key)
        cold.append(client.get(url)[1])
        warm.append(statistics.median(client.get(url)[1] for _ in range(3)))
    client.close()
    return {"cold": summarise(cold, 0), "warm": summarise(warm, 0)}


def sql_alone(port: int, urls: list[str]) -> dict:
    """Per URL, uncached: median page time over HTTP, median time of its SQL replayed alone."""
    import psycopg
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    django_client = DjangoClient(HTTP_HOST=HOST)
    http = Client(HOST, port)
    per_url = []
    with psycopg.connect(DATABASE_URL, autocommit=True) as replay:
        for url in urls:
            # Pages are cached whole; to compare a page with its SQL, both run uncached: the
            # directory's cache version moves on before each fetch.
            bump_cache_version()
            with CaptureQueriesContext(connection) as captured:
                django_client.get(url)
            queries = [
                query["sql"]
                for query in captured.captured_queries
                if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            page_times = []
            for _ in range(REPEATS):
                bump_cache_version()
                page_times.append(http.get(url)[1])
            sql_times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                for query in queries:
                    replay.execute(query).fetchall()
                sql_times.append((time.perf_counter() - started) * 1000)
            page, sql = statistics.median(page_times), statistics.median(sql_times)
            per_url.append(
                {
                    "url": url,
                    "queries": len(captured.captured_queries),
                    "page_ms": round(page, 2),
                    "sql_ms": round(sql, 2),
                    "ratio": round(page / sql, 2) if sql > 0 else None,
                }
            )
    http.close()
    pages = [row["page_ms"] for row in per_url]
    sqls = [row["sql_ms"] for row in per_url]
    ratios = [row["ratio"] for row in per_url if row["ratio"] is not None]
    return {
        "page_median_ms": round(statistics.median(pages), 2),
        "sql_median_ms": round(statistics.median(sqls), 2),
        "ratio_of_medians": round(statistics.median(pages) / statistics.median(sqls), 2)
        if statistics.median(sqls) > 0
        else None,
        "median_ratio": round(statistics.median(ratios), 2) if ratios else None,
        "max_queries": max(row["queries"] for row in per_url),
        "per_url": per_url,
    }


def download(port: int, url: str, master_pid: int) -> dict:
    """One full download: time to first byte, rows per second, and the workers' memory growth
    (the largest growth of any worker: the one that served it)."""
    import csv
    import http.client

    before = workers_rss(master_pid)
    connection = http.client.HTTPConnection(HOST, port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", url, headers={"Host": HOST})
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    peak = dict(before)
    with tempfile.TemporaryFile() as body:
        body.write(first)
        size = len(first)
        chunks = 0
        while chunk := response.read(1 << 16):
            body.write(chunk)
            size += len(chunk)
            chunks += 1
            if chunks % 64 == 0:  # every 4 MB: the peak, not only the end
                for pid, rss in workers_rss(master_pid).items():
                    peak[pid] = max(peak.get(pid, 0), rss)
        elapsed = time.perf_counter() - started
        after = workers_rss(master_pid)
        for pid, rss in after.items():
            peak[pid] = max(peak.get(pid, 0), rss)
        body.seek(0)
        text = body.read().decode()
    connection.close()
    if url.endswith(".csv"):
        rows = sum(1 for _ in csv.reader(text.splitlines(keepends=True))) - 1
    else:
        rows = len(json.loads(text))
    growth = max((peak[pid] - before.get(pid, peak[pid])) for pid in peak) / (1 << 20)
    return {
        "url": url,
        "status": response.status,
        "rows": rows,
        "megabytes": round(size / (1 << 20), 1),
        "seconds": round(elapsed, 2),
        "first_byte_ms": round(first_byte * 1000, 1),
        "rows_per_second": round(rows / elapsed) if elapsed > 0 else 0,
        "memory_growth_mb": round(growth, 1),
    }


def _line(label: str, result: dict, target: float | None = None) -> str:
    verdict = ""
    if target is not None:
        verdict = (
            f"   target p95 <= {target} ms: {'met' if result['p95_ms'] <= target else 'MISSED'}"
        )
    rate = f"{result['rps']:7.1f} req/s  " if result["seconds"] else ""
    return (
        f"  {label:<22} p50 {result['p50_ms']:7.1f}  p95 {result['p95_ms']:7.1f}  "
        f"p99 {result['p99_ms']:7.1f} ms  {rate}"
        f"({result['requests']} requests, {result['errors']} errors){verdict}"
    )


def report(results: dict) -> None:
    say("\n=== Results ===")
    data = results["data"]
    say(
        f"Directory: {data['organisations']:,} organisations, {data['projects']:,} projects; "
        f"{data.get('events', 0):,} events, {data.get('opportunities', 0):,} funding "
        "opportunities."
    )
    if data["seeding"]["seconds"] is not None:
        say(f"Seeding took {data['seeding']['seconds']} s.")
    config = results["config"]
    say(
        f"gunicorn {config['gunicorn']}; {config['seconds']} s per run; {config['cpus']} CPUs, "
        f"load average {config['load_average']} at the start (other work skews the figures)."
    )
    for clients, groups in results.get("load", {}).items():
        say(f"{clients} client(s):")
        for group, result in groups.items():
            target = None
            if group in ("list", "events", "funding") and clients == "8":
                target = TARGETS["list_p95_ms_at_8"]
            if group == "detail":
                target = TARGETS["detail_p95_ms"]
            say(_line(f"{group} pages", result, target))
    for clients, result in results.get("api", {}).items():
        target = TARGETS["api_p95_ms_at_2"] if clients == "2" else None
        say(_line(f"API lists, {clients} clients", result, target))
    if "downloads" in results:
        report_downloads(results["downloads"])
    if "cache" in results:
        say("List pages, one client, cache cold vs warm:")
        say(_line("cold (version bumped)", results["cache"]["cold"]))
        say(_line("warm", results["cache"]["warm"]))
    for group in ("events", "funding"):
        if group in results.get("cold", {}):
            say(f"{group.capitalize()} lists and calendars, one client, cache cold vs warm:")
            say(_line("cold (version bumped)", results["cold"][group]["cold"]))
            say(_line("warm", results["cold"][group]["warm"]))
    sql = results.get("sql")
    if sql:
        say(
            f"Same SQL run alone, uncached ({len(sql['per_url'])} URLs, up to "
            f"{sql['max_queries']} queries per page): page median {sql['page_median_ms']} ms, "
            f"SQL median {sql['sql_median_ms']} ms, "
            f"page/SQL {sql['ratio_of_medians']} (median of per-URL ratios {sql['median_ratio']})."
        )
        slowest = sorted(sql["per_url"], key=lambda row: row["page_ms"], reverse=True)[:5]
        for row in slowest:
            say(
                f"  {row['page_ms']:8.1f} ms page  {row['sql_ms']:8.1f} ms SQL  "
                f"{row['queries']:3d} queries  {row['url']}"
            )
    if "distinct" in results:
        for line in report_lines(results["distinct"], results.get("load", {}), sql):
            say(line)
    if "stats" in results:
        for line in stats_report_lines(results["stats"]):
            say(line)
    if "explore" in results:
        for line in explore_report_lines(results["explore"], TARGETS["map_clusters_p95_ms_at_8"]):
            say(line)
    say(f"Written to {RESULTS.relative_to(BASE_DIR)}")


def report_downloads(rows: list[dict]) -> None:
    say("Whole downloads: made row by row (the first since a change), then from the kept file:")
    for row in rows:
        rate_ok = row["rows_per_second"] >= TARGETS["export_rows_per_second"]
        memory_ok = row["memory_growth_mb"] < TARGETS["export_memory_growth_mb"]
        say(
            f"  {row['url']:<26} {row.get('source', 'made'):<9} "
            f"{row['rows']:,} rows, {row['megabytes']} MB "
            f"in {row['seconds']} s: "
            f"{row['rows_per_second']:,} rows/s ({'met' if rate_ok else 'MISSED'}), first byte "
            f"{row['first_byte_ms']} ms, worker memory +{row['memory_growth_mb']} MB "
            f"({'met' if memory_ok else 'MISSED'})"
        )


def main() -> int:
    rng = random.Random(int(os.environ.get("BENCH_SEED", "2017")))
    unknown = set(SELECTED) - set(PARTS)
    if unknown:
        say(f"BENCH_PARTS: unknown {', '.join(sorted(unknown))}; the parts are {', '.join(PARTS)}.")
        return 2
    static_root = tempfile.mkdtemp(prefix="dsi-bench-static-")
    environment(static_root)
    process = None
    try:
        ensure_database()
        if SEED_DATA:
            say(f"Migrating {DATABASE_URL.rsplit('/', 1)[-1]} ...")
            manage("migrate", "--no-input", "-v0")
        import django

        django.setup()
        data = ensure_directory()
        say("Collecting static files ...")
        manage("collectstatic", "--no-input", "-v0")
        list_urls, detail_urls = pick_urls(rng)
        calendar_urls = pick_calendar_urls()
        say(f"{len(list_urls)} list URLs, {len(detail_urls)} detail URLs.")
        load_average = round(os.getloadavg()[0], 2)
        port = free_port()
        process = start_gunicorn(port)
        say("Warm-up pass ...")
        statuses = warm_up(
            port, list_urls + detail_urls + calendar_urls["events"] + calendar_urls["funding"]
        )
        results = {
            "config": {
                "database": DATABASE_URL.rsplit("/", 1)[-1],
                "gunicorn": GUNICORN_ARGS,
                "seconds": SECONDS,
                "distinct_seconds": DISTINCT_SECONDS,
                "parts": SELECTED,
                "cpus": os.cpu_count(),
                "load_average": load_average,
            },
            "data": data,
            "warm_up_statuses": statuses,
            "targets": TARGETS,
            "list_urls": list_urls,
            "calendar_urls": calendar_urls,
        }
        if "warm" in SELECTED:
            results["load"] = warm_runs(port, list_urls, detail_urls, calendar_urls)
        if "api" in SELECTED:
            results["api"] = api_runs(port, list_urls)
        if "downloads" in SELECTED:
            results["downloads"] = downloads(port, process.pid)
        if "distinct" in SELECTED:
            # Each run starts from a new content version: the warm pages are stale after it.
            results["distinct"] = distinct_runs(
                port,
                process.pid,
                clients=DISTINCT_CLIENTS,
                seconds=DISTINCT_SECONDS,
                seed=int(os.environ.get("BENCH_SEED", "2017")),
            )
        # The Explore parts: new URLs at each number of clients, as the distinct lists.
        for part, runs in (("stats", stats_runs), ("explore", explore_runs)):
            if part in SELECTED:
                results[part] = runs(
                    port,
                    clients=DISTINCT_CLIENTS,
                    seconds=DISTINCT_SECONDS,
                    seed=int(os.environ.get("BENCH_SEED", "2017")),
                )
        if "sql" in SELECTED:
            say("The same SQL run alone ...")
            results["sql"] = sql_alone(port, list_urls + detail_urls[:20])
        if "cold" in SELECTED:
            # Last: each cache version bump makes every cached list stale, not only the next one.
            say("Cold and warm list pages ...")
            results["cache"] = cold_and_warm(port, list_urls)
            results["cold"] = {
                group: cold_and_warm(port, calendar_urls[group], f"{group}:version")
                for group in ("events", "funding")
            }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2))
        report(results)
        return 0
    finally:
        if process is not None:
            stop_gunicorn(process)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(os.environ["DOWNLOAD_FILES_DIR"], ignore_errors=True)


def warm_runs(port: int, list_urls: list[str], detail_urls: list[str], calendar: dict) -> dict:
    """The rotating URLs (served from the page cache after their first hit) at each number of
    clients."""
    load = {}
    for clients in CONCURRENCY:
        load[str(clients)] = {}
        for group, urls in (
            ("list", list_urls),
            ("detail", detail_urls),
            ("events", calendar["events"]),
            ("funding", calendar["funding"]),
        ):
            say(f"Load: {group} pages, {clients} client(s), {SECONDS:g} s ...")
            load[str(clients)][group] = run_load(HOST, port, urls, clients=clients, seconds=SECONDS)
    return load


def api_runs(port: int, list_urls: list[str]) -> dict:
    api = {}
    urls = api_urls(list_urls)
    warm_up(port, urls)
    for clients in API_CONCURRENCY:
        say(f"Load: API lists, {clients} client(s), {SECONDS:g} s ...")
        api[str(clients)] = run_load(HOST, port, urls, clients=clients, seconds=SECONDS)
    return api


def downloads(port: int, master_pid: int) -> list[dict]:
    # Small filtered downloads first, from several clients at once, so that every worker has
    # loaded the download code: a worker's first request of a kind imports modules and fills
    # caches, which is not the download's memory growth.
    small = [
        f"/data/{kind}.{extension}?q=lichen"
        for kind in ("organisations", "projects")
        for extension in ("csv", "json")
    ]
    run_load(HOST, port, small, clients=6, requests=48)
    rows = []
    for url in ("/data/organisations.csv", "/data/organisations.json", "/data/projects.csv"):
        # The first whole download since the last change is made row by row (and kept); the
        # next is sent from the kept file (directory.download_files).
        for source in ("made", "kept file"):
            say(f"Download {url} ({source}) ...")
            rows.append({**download(port, url, master_pid), "source": source})
    return rows


if __name__ == "__main__":
    sys.exit(main())
