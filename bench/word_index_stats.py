"""The statistics overview (/en/explore/) in-process, one client, with the word index on or off:
new URLs drawn as bench/explore_stats.py draws them (about half carry a search word), each
fetched once after Redis is emptied, the facet (and word) indexes built first. Run once per
setting, in either order; the database is only read.

    DJANGO_DEBUG=true DATABASE_URL=postgres://.../dsi_hub_facets \\
        REDIS_URL=redis://127.0.0.1:6379/15 python -m bench.word_index_stats true|false [seed]
"""

import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

URLS = 300


def main() -> None:
    setting = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    os.environ.update(FACET_INDEX_BACKGROUND="false", WORD_INDEX=setting)
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from bench.explore_stats import StatsUrls
    from core.text_index import text_index
    from directory.facets import FACET_INDEXES

    source = StatsUrls(seed)
    urls = [source() for _ in range(URLS)]
    cache.clear()
    for index in FACET_INDEXES.values():
        index.current(None)
        if setting == "true":
            text_index(index.model).words.current(None)
    client = Client(HTTP_HOST="127.0.0.1")
    times: dict[str, list[float]] = {"with a search word": [], "without": []}
    for url in urls:
        started = time.perf_counter()
        response = client.get(url, secure=True)
        took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        times["with a search word" if "q=" in url else "without"].append(took)
    for name, values in times.items():
        values.sort()
        p95 = values[round(0.95 * (len(values) - 1))]
        print(
            f"WORD_INDEX={setting} {name}: n={len(values)} p50 "
            f"{statistics.median(values):.1f} ms  p95 {p95:.1f} ms  max {values[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
