"""The statistics pages under load (bench/run.py part `stats`): /en/explore/ with filters and
searches no one asked before, drawn from the data as bench/distinct.py draws list URLs (the
lists' own parameters, with a kind: organisations, projects or both), and the country pages,
each once per content version (so each is made, not served from the cache), at 1 and 8
clients. Reports p50/p95/p99 next to the target (p95 at most 100 ms at 8 clients)."""

import threading
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

from bench.distinct import url_sources
from bench.load import run_load
from bench.server import HOST
from bench.server import bump_cache_version

TARGET_P95_MS_AT_8 = 100
# The statistics' kind for the list a URL was drawn for, and "both" now and then.
KIND_OF = {"organisations": "organisations", "projects": "projects"}
DROPPED = {"sort", "page"}  # order and page change nothing in the statistics


class StatsUrls:
    """New overview URLs, one per call (thread-safe): a list URL from bench.distinct without
    its order and page, with a kind; None once no new one is found."""

    def __init__(self, seed: int):
        self.sources = url_sources(seed)
        self.seen: set[str] = set()
        self.turn = 0
        self.lock = threading.Lock()

    def __call__(self) -> str | None:
        with self.lock:
            for _ in range(1000):
                self.turn += 1
                list_kind = ("organisations", "projects")[self.turn % 2]
                drawn = self.sources[list_kind]()
                if drawn is None:
                    return None
                params = [
                    (key, value)
                    for key, value in parse_qsl(urlsplit(drawn).query)
                    if key not in DROPPED
                ]
                kind = "both" if self.turn % 3 == 0 else KIND_OF[list_kind]
                if kind == "both":  # the filters of one kind only would not apply to the other
                    params = [(k, v) for k, v in params if k not in ("type", "size", "live")]
                url = "/en/explore/?" + urlencode([*params, ("kind", kind)])
                if url not in self.seen:
                    self.seen.add(url)
                    return url
            return None


def country_urls() -> list[str]:
    from directory.vocabularies import vocabulary

    return [f"/en/explore/countries/{term.code.lower()}/" for term in vocabulary("country")]


def stats_runs(port: int, *, clients: list[int], seconds: float, seed: int) -> dict:
    """The overview with new filters, then every country page once, at each number of
    clients (a new content version before each run: nothing cached answers)."""
    source = StatsUrls(seed)
    countries = country_urls()
    runs: dict[str, dict] = {}
    for count in clients:
        print(f"Load: new statistics URLs, {count} client(s), {seconds:g} s ...", flush=True)
        bump_cache_version()
        runs.setdefault(str(count), {})["overview"] = run_load(
            HOST, port, next_url=source, clients=count, seconds=seconds
        )
        print(f"Load: {len(countries)} country pages, {count} client(s) ...", flush=True)
        bump_cache_version()
        runs[str(count)]["country"] = run_load(
            HOST, port, countries, clients=count, requests=len(countries)
        )
    return {"runs": runs, "urls": len(source.seen), "countries": len(countries)}


def report_lines(stats: dict) -> list[str]:
    lines = [
        f"Statistics pages ({stats['urls']} new overview URLs, {stats['countries']} countries, "
        "each made afresh):"
    ]
    for clients, groups in stats["runs"].items():
        for group, result in groups.items():
            line = (
                f"  {group:<9} {clients} client(s): {result['requests']} requests, "
                f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
                f"p99 {result['p99_ms']} ms, {result['rps']} req/s, statuses {result['statuses']}"
            )
            if clients == "8":
                met = result["p95_ms"] <= TARGET_P95_MS_AT_8
                line += f" (target p95 <= {TARGET_P95_MS_AT_8} ms: {'met' if met else 'MISSED'})"
            lines.append(line)
    return lines
