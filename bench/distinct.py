"""List pages that no one asked before (issue 15): the URLs, drawn from the data, and their run.

What real researchers send: each URL is new, so neither the whole-page cache nor the cached
counts and page ids of a result set can answer it. Each one starts from a random published row:
a word of its name (half of the time), 0-3 of its filter values (so results are rarely empty),
some of them with a second value of the same filter ("Spain or Portugal"), a random sort, and a
page from 1 to 10, drawn within the last page of the results. Every URL is new within a run
(a shared generator hands each out once), and every run starts from a fresh content version, so
an earlier run's cached pages do not answer either.

The last page comes from exact counts kept in this process: every row's filter keys and title
words as bitsets (Python ints). Values of one filter are counted as if combined with AND (today's
rule; issue 15 makes them OR, which can only give more results), and a word by the rows with
that word in their name (the search also finds it in descriptions, and as a prefix): both
lower bounds, so a page past the last one, a 404, is rare under either rule. Its share is
reported.

    python -m bench.distinct --count 20      # prints URLs (DATABASE_URL as it is)
"""

import argparse
import math
import os
import random
import threading
from collections import defaultdict
from urllib.parse import urlencode

from bench.load import run_load
from bench.server import HOST
from bench.server import REDIS_URL
from bench.server import bump_cache_version
from bench.server import workers_rss

KINDS = ("organisations", "projects")
# The filters of each list (query-string parameter = facet kind of directory.search).
PARAMS = {
    "organisations": ("country", "city", "type", "size", "tag", "network"),
    "projects": ("area", "tech", "focus", "country", "city", "live", "tag", "network"),
}
MULTIPLE = {"country", "type", "size", "area", "tech", "focus", "tag", "network"}  # ?x=a&x=b
SORTS = ("", "", "name", "newest", "updated", "relevance")
SEARCH_SHARE = 0.5  # of URLs with a word
SECOND_VALUE_SHARE = 0.3  # of filters with a second value of the same filter
MAX_FILTERS = 3
MAX_PAGE = 10
ATTEMPTS = 1000  # draws for one new URL before the generator gives up


def _bitset(positions: list[int], size: int) -> int:
    bits = bytearray((size + 7) // 8)
    for position in positions:
        bits[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bits, "little")


def title_words(title: str) -> list[str]:
    from core.search import search_words

    return [word for word in search_words(title) if len(word) > 2 and word.isalpha()]


class RowIndex:
    """The published rows of one list: filter keys and title words as bitsets, for counts."""

    def __init__(self, rows: list[tuple[str, list[str]]]):
        self.rows = rows
        self.size = len(rows)
        keys: dict[str, list[int]] = defaultdict(list)
        self._word_positions: dict[str, list[int]] = defaultdict(list)
        for position, (title, row_keys) in enumerate(rows):
            for key in row_keys:
                keys[key].append(position)
            for word in set(title_words(title)):
                self._word_positions[word].append(position)
        self.keys = {key: _bitset(positions, self.size) for key, positions in keys.items()}
        self._words: dict[str, int] = {}
        self.values: dict[str, list[str]] = defaultdict(list)  # facet kind -> key values
        for key in sorted(self.keys):
            kind, _, value = key.partition(":")
            self.values[kind].append(value)

    def word(self, word: str) -> int:
        if word not in self._words:
            self._words[word] = _bitset(self._word_positions.get(word, []), self.size)
        return self._words[word]

    def count(self, keys: list[str], word: str | None = None) -> int:
        """Rows with every key (and the word in their name): a lower bound of the results."""
        bits = (1 << self.size) - 1
        for key in keys:
            bits &= self.keys.get(key, 0)
        if word:
            bits &= self.word(word)
        return bits.bit_count()


def _slugs() -> dict[str, dict[str, str]]:
    """The URL value of each filter key's value (a vocabulary term's or tag's pk)."""
    from directory.models import Tag
    from directory.vocabularies import VOCABULARIES
    from directory.vocabularies import vocabulary

    slugs = {kind: {str(term.pk): term.slug for term in vocabulary(kind)} for kind in VOCABULARIES}
    slugs["tag"] = slugs["network"] = {
        str(pk): slug for pk, slug in Tag.objects.values_list("pk", "slug")
    }
    slugs["live"] = {"1": "live", "0": "closed"}
    return slugs


def load_index(kind: str) -> RowIndex:
    from directory.models import Organisation
    from directory.models import Project

    model = {"organisations": Organisation, "projects": Project}[kind]
    rows = model.objects.published().order_by("pk").values_list("search_title", "facet_keys")
    return RowIndex([(title or "", keys or []) for title, keys in rows.iterator(chunk_size=5000)])


class DistinctUrls:
    """New list URLs of one kind, one per call (thread-safe); None once no new one is found."""

    def __init__(self, kind: str, index: RowIndex, slugs: dict, *, seed: int, page_size: int):
        self.kind, self.index, self.slugs, self.page_size = kind, index, slugs, page_size
        self.rng = random.Random(f"{seed}:{kind}")
        self.seen: set[str] = set()
        self.pages: list[tuple[int, int]] = []  # (page, last page by the counts) of each URL
        self.lock = threading.Lock()

    def _value(self, name: str, value: str) -> str | None:
        if name == "city":
            return value  # the folded name: the filter folds what it is given the same way
        return self.slugs.get(name, {}).get(value)

    def _draw(self) -> tuple[str, int, int] | None:
        rng, index = self.rng, self.index
        if not index.rows:
            return None
        title, row_keys = rng.choice(index.rows)
        params, keys, word = [], [], None
        words = title_words(title)
        if words and rng.random() < SEARCH_SHARE:
            word = rng.choice(words)
            params.append(("q", word))
        usable = [key for key in row_keys if key.partition(":")[0] in PARAMS[self.kind]]
        for key in rng.sample(usable, min(len(usable), rng.randint(0, MAX_FILTERS))):
            name, _, value = key.partition(":")
            values = [value]
            if name in MULTIPLE and rng.random() < SECOND_VALUE_SHARE:
                values.append(rng.choice(index.values[name]))
            for value in dict.fromkeys(values):
                url_value = self._value(name, value)
                if url_value is None:
                    return None
                params.append((name, url_value))
                keys.append(f"{name}:{value}")
        sort = rng.choice(SORTS)
        if sort:
            params.append(("sort", sort))
        last = max(1, math.ceil(index.count(keys, word) / self.page_size))
        page = rng.randint(1, min(MAX_PAGE, last))
        if page > 1:
            params.append(("page", str(page)))
        return f"/en/{self.kind}/" + (f"?{urlencode(params)}" if params else ""), page, last

    def __call__(self) -> str | None:
        with self.lock:
            for _ in range(ATTEMPTS):
                drawn = self._draw()
                if drawn is not None and drawn[0] not in self.seen:
                    url, page, last = drawn
                    self.seen.add(url)
                    self.pages.append((page, last))
                    return url
            return None


def url_sources(seed: int) -> dict[str, DistinctUrls]:
    """One generator of new URLs per list, from the database's published rows."""
    from directory.views.browse import PAGE_SIZE

    slugs = _slugs()
    return {
        kind: DistinctUrls(kind, load_index(kind), slugs, seed=seed, page_size=PAGE_SIZE)
        for kind in KINDS
    }


def _megabytes(value: int) -> float:
    return round(value / (1 << 20), 1)


def redis_memory() -> dict:
    """used_memory of the Redis server (all its databases: shared with whatever else runs)
    and the number of keys in the benchmark's database."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        info = client.info("memory")
        return {"used_memory_mb": _megabytes(info["used_memory"]), "keys": client.dbsize()}
    finally:
        client.close()


def distinct_run(
    port: int,
    source: DistinctUrls,
    *,
    clients: int,
    seconds: float | None = None,
    requests: int | None = None,
) -> dict:
    """Every request a URL not asked before, for `seconds` (or `requests`) at `clients`."""
    bump_cache_version()  # nothing an earlier run cached (pages, counts, ids) answers
    first = len(source.pages)
    result = run_load(
        HOST, port, next_url=source, clients=clients, seconds=seconds, requests=requests
    )
    requests = sum(result["statuses"].values())
    result["not_found_share"] = (
        round(result["statuses"].get("404", 0) / requests, 3) if requests else 0.0
    )
    pages = [page for page, _ in source.pages[first:]]
    result["pages"] = {str(n): pages.count(n) for n in sorted(set(pages))}
    result["facets"] = result.get("server_timing", {}).get("facets")
    return result


def distinct_runs(port: int, master_pid: int, *, clients: list[int], seconds: float, seed: int):
    """Both lists at each number of clients; then each worker's memory and Redis's."""
    sources = url_sources(seed)
    runs: dict[str, dict] = {}
    for count in clients:
        for kind, source in sources.items():
            print(f"Load: new {kind} URLs, {count} client(s), {seconds:g} s ...", flush=True)
            runs.setdefault(str(count), {})[kind] = distinct_run(
                port, source, clients=count, seconds=seconds
            )
    return {
        "runs": runs,
        "urls": {kind: len(source.seen) for kind, source in sources.items()},
        "workers_rss_mb": sorted(_megabytes(rss) for rss in workers_rss(master_pid).values()),
        "redis": redis_memory(),
    }


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.3g}x" if base else "-"


def report_lines(distinct: dict, warm: dict, sql: dict | None) -> list[str]:
    """The distinct-URL runs beside the warm run (same clients) and the SQL-alone figures."""
    lines = ["List pages, every URL new (p50 / p95 / p99 ms, req/s; x = times the warm run):"]
    for clients, kinds in distinct["runs"].items():
        base = warm.get(clients, {}).get("list")
        if base:
            lines.append(
                f"  warm list pages, {clients} client(s): {base['p50_ms']} / {base['p95_ms']} / "
                f"{base['p99_ms']} ms, {base['rps']} req/s"
            )
        for kind, run in kinds.items():
            ratio = ""
            if base:
                ratio = (
                    "  ("
                    + " / ".join(_ratio(run[f"p{n}_ms"], base[f"p{n}_ms"]) for n in (50, 95, 99))
                    + f", req/s {_ratio(run['rps'], base['rps'])})"
                )
            facets = run.get("facets")
            core = (
                f"facets p50 {facets['p50_ms']} / p95 {facets['p95_ms']} ms"
                if facets
                else "facets: not reported"
            )
            lines.append(
                f"  new {kind:<13} {clients} client(s): {run['p50_ms']} / {run['p95_ms']} / "
                f"{run['p99_ms']} ms, {run['rps']} req/s{ratio}; "
                f"{run['requests']} requests, {run['not_found_share']:.1%} 404; {core}"
            )
    if sql:
        lines.append(
            f"  SQL alone (rotating URLs, uncached): page median {sql['page_median_ms']} ms, "
            f"SQL median {sql['sql_median_ms']} ms"
        )
    rss = ", ".join(f"{mb} MB" for mb in distinct["workers_rss_mb"])
    redis = distinct["redis"]
    lines.append(
        f"  after these runs: gunicorn workers' RSS {rss}; Redis used_memory "
        f"{redis['used_memory_mb']} MB (whole server), {redis['keys']:,} keys in the bench's DB"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--kind", choices=KINDS, default=None)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    import django

    django.setup()
    sources = url_sources(args.seed)
    for kind in [args.kind] if args.kind else KINDS:
        for _ in range(args.count):
            print(sources[kind]())


if __name__ == "__main__":
    main()
