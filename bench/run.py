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

Results are printed next to the targets and written to bench/results/latest.json.
"""

import datetime as dt
import json
import os
import random
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.load import Client  # noqa: E402
from bench.load import run_load  # noqa: E402
from bench.load import summarise  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dsi_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "100000"))
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "100000"))
OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "20000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
# The production config (gunicorn.conf.py: threaded workers), with one worker per core and one,
# and no recycling of workers: a worker restarted after its 5,000th request would make its
# first request (imports, caches) look like a download's first byte and memory growth.
GUNICORN_ARGS = os.environ.get(
    "BENCH_GUNICORN_ARGS", "-c gunicorn.conf.py --workers 3 --max-requests 0"
)
CONCURRENCY = [int(n) for n in os.environ.get("BENCH_CLIENTS", "1,8").split(",")]
API_CONCURRENCY = [int(n) for n in os.environ.get("BENCH_API_CLIENTS", "2,8").split(",")]
REPEATS = 3  # per URL, for the page-time and SQL-time medians
DETAIL_SAMPLE = 100  # detail pages per kind
TARGETS = {
    "list_p95_ms_at_8": 150,
    "detail_p95_ms": 30,
    "api_p95_ms_at_2": 60,
    "export_rows_per_second": 30_000,
    "export_memory_growth_mb": 20,
}
RESULTS = BASE_DIR / "bench" / "results" / "latest.json"
HOST = "127.0.0.1"


def say(message: str) -> None:
    print(message, flush=True)


def _environment(static_root: str) -> None:
    """Production-like settings for this process, manage.py and gunicorn alike."""
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8000",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CACHE_KEY_PREFIX="dsi_bench",
        BENCH_STATIC_ROOT=static_root,
        # None kept yet: the first whole download is made, not sent from an earlier run's file.
        DOWNLOAD_FILES_DIR=tempfile.mkdtemp(prefix="dsi-bench-downloads-"),
        LOG_LEVEL="ERROR",  # pages beyond the last one answer 404: expected, not news
        # One load generator is not who the throttle is for; at its rate, the throttle's list of
        # recent requests from one address would grow to thousands and be measured instead.
        API_ANON_RATE="",
    )


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], check=True, cwd=BASE_DIR)


def ensure_database() -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.conninfo import make_conninfo

    params = conninfo_to_dict(DATABASE_URL)
    name = params.get("dbname")
    server = make_conninfo(DATABASE_URL, dbname="postgres")
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            say(f"Creating the database {name} ...")
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_directory() -> dict:
    """Seed what is missing, then refresh the planner's statistics."""
    from django.db import connection

    from directory.models import Organisation
    from directory.models import Project

    organisations = Organisation.objects.published().count()
    projects = Project.objects.published().count()
    seeding = {"seconds": None, "organisations": 0, "projects": 0}
    if organisations < ORGANISATIONS or projects < PROJECTS:
        more = {
            "organisations": max(0, ORGANISATIONS - organisations),
            "projects": max(0, PROJECTS - projects),
        }
        say(f"Seeding {more['organisations']:,} organisations and {more['projects']:,} projects")
        started = time.monotonic()
        _manage(
            "seed_demo",
            f"--organisations={more['organisations']}",
            f"--projects={more['projects']}",
        )
        seeding = {"seconds": round(time.monotonic() - started, 1), **more}
    else:
        say(f"Already seeded: {organisations:,} organisations, {projects:,} projects.")
    from events.models import Event
    from funding.models import Opportunity

    events = Event.objects.published().count()
    if events < EVENTS:
        say(f"Seeding {EVENTS - events:,} events")
        _manage("seed_events", f"--events={EVENTS - events}", "--seed=2017")
    opportunities = Opportunity.objects.published().count()
    if opportunities < OPPORTUNITIES:
        say(f"Seeding {OPPORTUNITIES - opportunities:,} funding opportunities")
        _manage("seed_funding", f"--opportunities={OPPORTUNITIES - opportunities}", "--seed=2017")
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


def _top(queryset, field: str, count: int, *, reverse: bool = False) -> list[str]:
    from django.db.models import Count

    order = "n" if reverse else "-n"
    rows = queryset.values(field).annotate(n=Count("*")).order_by(order, field)[:count]
    return [row[field] for row in rows if row[field]]


def pick_urls(rng: random.Random) -> tuple[list[str], list[str]]:
    """At least 50 list URLs and a sample of detail URLs, from what the database holds."""
    from directory.models import DSIFocus
    from directory.models import Organisation
    from directory.models import OrganisationSize
    from directory.models import OrganisationType
    from directory.models import Project
    from directory.models import SocialArea
    from directory.models import Technology

    orgs = Organisation.objects.published()
    projects = Project.objects.published()
    countries = _top(orgs, "country__slug", 3) or ["spain"]
    cities = _top(orgs, "city", 3) or ["Barcelona"]
    types = list(OrganisationType.objects.values_list("slug", flat=True)) or [""]
    sizes = list(OrganisationSize.objects.values_list("slug", flat=True)) or [""]
    areas = _top(Project.social_areas.through.objects, "socialarea__slug", 10) or list(
        SocialArea.objects.values_list("slug", flat=True)
    )
    techs = _top(Project.technologies.through.objects, "technology__slug", 18) or list(
        Technology.objects.values_list("slug", flat=True)
    )
    focus = list(DSIFocus.objects.values_list("slug", flat=True)) or [""]
    tags = _top(Project.tags.through.objects, "tag__slug", 3)
    rare_tags = _top(Project.tags.through.objects, "tag__slug", 2, reverse=True)
    networks = _top(Organisation.network_tags.through.objects, "tag__slug", 2)
    org_tags = _top(Organisation.tags.through.objects, "tag__slug", 2)
    first = lambda values, n=0: values[n % len(values)] if values else ""  # noqa: E731

    common = [
        {"q": "open"},
        {"q": "data"},
        {"q": "lab"},
        {"q": "community"},
        {"q": "open data"},
    ]
    rare = [{"q": "lichen"}, {"q": "numismatics"}, {"q": "tartu"}]
    accents = [{"q": "liberte"}, {"q": "zurich"}, {"q": "krakow"}]
    prefixes = [{"q": "citi"}, {"q": "edu"}]
    plain = [{}, {"sort": "name"}, {"sort": "newest"}, {"sort": "updated"}]
    deep = [{"page": 50}, {"page": 500, "sort": "name"}, {"q": "open", "page": 20}]
    shared_filters = [
        {"country": first(countries)},
        {"city": first(cities)},
        {"country": first(countries, 1), "sort": "newest"},
        {"q": "open", "country": first(countries)},
        {"q": "citi", "city": first(cities, 1)},
        {"q": "liberte", "sort": "relevance"},
    ]
    organisation_params = [
        *plain,
        *common,
        *rare,
        *accents,
        *prefixes,
        *deep,
        *shared_filters,
        {"type": first(types)},
        {"size": first(sizes)},
        {"tag": first(org_tags)},
        {"network": first(networks)},
        {"country": first(countries), "type": first(types), "size": first(sizes)},
        {"country": first(countries), "tag": first(org_tags), "sort": "name"},
        {"q": "data", "type": first(types, 2), "page": 2},
    ]
    project_params = [
        *plain,
        *common,
        *rare,
        *accents,
        *prefixes,
        *deep,
        *shared_filters,
        {"area": first(areas)},
        {"tech": first(techs, 5)},
        {"focus": first(focus)},
        {"live": "closed"},
        {"tag": first(tags)},
        {"tag": first(rare_tags)},
        {"network": first(networks)},
        {"country": first(countries), "area": first(areas), "tech": first(techs)},
        {"area": [first(areas), first(areas, 1)]},
        {"area": first(areas, 2), "tech": first(techs, 3), "focus": first(focus), "live": "live"},
        {"q": "data", "area": first(areas), "sort": "newest"},
        {"q": "open", "country": first(countries), "tech": first(techs), "page": 2},
    ]
    list_urls = [
        f"/en/{kind}/" + (f"?{urlencode(params, doseq=True)}" if params else "")
        for kind, all_params in (
            ("organisations", organisation_params),
            ("projects", project_params),
        )
        for params in all_params
    ]
    list_urls = list(dict.fromkeys(list_urls))
    detail_urls = [
        f"/en/organisations/{slug}/"
        for slug in orgs.order_by("?").values_list("slug", flat=True)[:DETAIL_SAMPLE]
    ] + [
        f"/en/projects/{slug}/"
        for slug in projects.order_by("?").values_list("slug", flat=True)[:DETAIL_SAMPLE]
    ]
    rng.shuffle(list_urls)
    rng.shuffle(detail_urls)
    return list_urls, detail_urls


def pick_calendar_urls() -> dict[str, list[str]]:
    """List URLs of the events and the funding opportunities: plain, searched, filtered,
    past or closed, by month, deep pages; and the month calendar."""
    from django.utils import timezone

    from directory.models import SocialArea
    from events.models import Event
    from funding.models import FundingTarget
    from funding.models import FundingType

    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    next_month = f"{(today.replace(day=1) + dt.timedelta(days=32)):%Y-%m}"
    areas = list(SocialArea.objects.values_list("slug", flat=True)[:3]) or ["health-and-care"]
    countries = _top(Event.objects.published(), "country__slug", 2) or ["spain"]
    cities = _top(Event.objects.published(), "city", 2) or ["Barcelona"]
    types = list(FundingType.objects.values_list("slug", flat=True)[:3]) or [""]
    targets = list(FundingTarget.objects.values_list("slug", flat=True)[:2]) or [""]
    event_params = [
        {},
        {"when": "past"},
        {"page": 5},
        {"when": "past", "page": 40},
        {"q": "meetup"},
        {"q": "open data"},
        {"q": "lichen"},
        {"month": month},
        {"month": next_month, "area": areas[0]},
        {"country": countries[0]},
        {"city": cities[0]},
        {"attendance": "online"},
        {"free": "1", "area": areas[1 % len(areas)]},
        {"q": "workshop", "country": countries[-1], "when": "past"},
    ]
    funding_params = [
        {},
        {"status": "closed"},
        {"status": "upcoming"},
        {"page": 3},
        {"q": "fund"},
        {"q": "climate"},
        {"type": types[0]},
        {"target": targets},
        {"country": countries[0]},
        {"amount": 20000},
        {"closes": next_month},
        {"area": areas[0], "type": types[-1]},
        {"q": "grant", "status": "closed", "page": 2},
    ]
    calendar_params = [{}, {"month": next_month}, {"month": month, "area": areas[0]}]

    def urls(path, all_params):
        return [f"{path}?{urlencode(p, doseq=True)}" if p else path for p in all_params]

    return {
        "events": urls("/en/events/", event_params) + urls("/en/events/calendar/", calendar_params),
        "funding": urls("/en/funding/", funding_params),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dsi_hub.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        *shlex.split(GUNICORN_ARGS),
    ]
    say(f"Starting gunicorn on port {port}: {GUNICORN_ARGS}")
    process = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}).")
        try:
            status, _, _ = Client(HOST, port, timeout=5).get("/en/organisations/")
            if status < 500:
                return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 seconds.")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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


def _bump_cache_version(key: str = "directory:version") -> None:
    """Move a content version on (directory, events:version, funding:version): every page,
    count and facet cached under the old one is stale."""
    from django.core.cache import cache

    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def cold_and_warm(port: int, urls: list[str], version_key: str = "directory:version") -> dict:
    """Each list page fetched right after its content version changed, then again warm."""
    client = Client(HOST, port)
    cold, warm = [], []
    for url in urls:
        _bump_cache_version(version_key)
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
            _bump_cache_version()
            with CaptureQueriesContext(connection) as captured:
                django_client.get(url)
            queries = [
                query["sql"]
                for query in captured.captured_queries
                if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            page_times = []
            for _ in range(REPEATS):
                _bump_cache_version()
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


API_NAMES = {"q": "search", "sort": "ordering"}
API_ORDERINGS = {"name": "name", "newest": "-published", "updated": "-updated"}


def api_urls(list_urls: list[str]) -> list[str]:
    """The list pages' searches and filters as API requests (?q= is ?search=, and so on)."""
    from urllib.parse import parse_qsl
    from urllib.parse import urlsplit

    urls = []
    for url in list_urls:
        parts = urlsplit(url)
        kind = parts.path.strip("/").split("/")[-1]
        params = []
        for name, value in parse_qsl(parts.query):
            if name == "sort":
                value = API_ORDERINGS.get(value, value)
            params.append((API_NAMES.get(name, name), value))
        urls.append(f"/api/v1/{kind}/" + (f"?{urlencode(params)}" if params else ""))
    return list(dict.fromkeys(urls))


def _workers_rss(master_pid: int) -> dict[int, int]:
    import psutil

    return {child.pid: child.memory_info().rss for child in psutil.Process(master_pid).children()}


def download(port: int, url: str, master_pid: int) -> dict:
    """One full download: time to first byte, rows per second, and the workers' memory growth
    (the largest growth of any worker: the one that served it)."""
    import csv
    import http.client

    before = _workers_rss(master_pid)
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
                for pid, rss in _workers_rss(master_pid).items():
                    peak[pid] = max(peak.get(pid, 0), rss)
        elapsed = time.perf_counter() - started
        after = _workers_rss(master_pid)
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
    for clients, groups in results["load"].items():
        say(f"{clients} client(s):")
        for group, result in groups.items():
            target = None
            if group in ("list", "events", "funding") and clients == "8":
                target = TARGETS["list_p95_ms_at_8"]
            if group == "detail":
                target = TARGETS["detail_p95_ms"]
            say(_line(f"{group} pages", result, target))
    for clients, result in results["api"].items():
        target = TARGETS["api_p95_ms_at_2"] if clients == "2" else None
        say(_line(f"API lists, {clients} clients", result, target))
    say("Whole downloads: made row by row (the first since a change), then from the kept file:")
    for row in results["downloads"]:
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
    say("List pages, one client, cache cold vs warm:")
    say(_line("cold (version bumped)", results["cache"]["cold"]))
    say(_line("warm", results["cache"]["warm"]))
    for group in ("events", "funding"):
        if group in results.get("cold", {}):
            say(f"{group.capitalize()} lists and calendars, one client, cache cold vs warm:")
            say(_line("cold (version bumped)", results["cold"][group]["cold"]))
            say(_line("warm", results["cold"][group]["warm"]))
    sql = results["sql"]
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
    say(f"Written to {RESULTS.relative_to(BASE_DIR)}")


def main() -> int:
    rng = random.Random(int(os.environ.get("BENCH_SEED", "2017")))
    static_root = tempfile.mkdtemp(prefix="dsi-bench-static-")
    _environment(static_root)
    process = None
    try:
        ensure_database()
        say(f"Migrating {DATABASE_URL.rsplit('/', 1)[-1]} ...")
        _manage("migrate", "--no-input", "-v0")
        import django

        django.setup()
        data = ensure_directory()
        say("Collecting static files ...")
        _manage("collectstatic", "--no-input", "-v0")
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
        load = {}
        for clients in CONCURRENCY:
            load[str(clients)] = {}
            for group, urls in (
                ("list", list_urls),
                ("detail", detail_urls),
                ("events", calendar_urls["events"]),
                ("funding", calendar_urls["funding"]),
            ):
                say(f"Load: {group} pages, {clients} client(s), {SECONDS:g} s ...")
                load[str(clients)][group] = run_load(
                    HOST, port, urls, clients=clients, seconds=SECONDS
                )
        api = {}
        urls = api_urls(list_urls)
        warm_up(port, urls)
        for clients in API_CONCURRENCY:
            say(f"Load: API lists, {clients} client(s), {SECONDS:g} s ...")
            api[str(clients)] = run_load(HOST, port, urls, clients=clients, seconds=SECONDS)
        # Small filtered downloads first, from several clients at once, so that every worker
        # has loaded the download code: a worker's first request of a kind imports modules and
        # fills caches, which is not the download's memory growth.
        small = [
            f"/data/{kind}.{extension}?q=lichen"
            for kind in ("organisations", "projects")
            for extension in ("csv", "json")
        ]
        run_load(HOST, port, small, clients=6, requests=48)
        downloads = []
        for url in ("/data/organisations.csv", "/data/organisations.json", "/data/projects.csv"):
            # The first whole download since the last change is made row by row (and kept);
            # the next is sent from the kept file (directory.download_files).
            for source in ("made", "kept file"):
                say(f"Download {url} ({source}) ...")
                downloads.append({**download(port, url, process.pid), "source": source})
        say("The same SQL run alone ...")
        sql = sql_alone(port, list_urls + detail_urls[:20])
        # Last: each cache version bump makes every cached list stale, not only the next one.
        say("Cold and warm list pages ...")
        cache = cold_and_warm(port, list_urls)
        cold = {
            group: cold_and_warm(port, calendar_urls[group], f"{group}:version")
            for group in ("events", "funding")
        }
        results = {
            "config": {
                "database": DATABASE_URL.rsplit("/", 1)[-1],
                "gunicorn": GUNICORN_ARGS,
                "seconds": SECONDS,
                "cpus": os.cpu_count(),
                "load_average": load_average,
            },
            "data": data,
            "warm_up_statuses": statuses,
            "targets": TARGETS,
            "load": load,
            "api": api,
            "downloads": downloads,
            "cache": cache,
            "cold": cold,
            "sql": sql,
            "list_urls": list_urls,
            "calendar_urls": calendar_urls,
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


if __name__ == "__main__":
    sys.exit(main())
