"""The explore map's clusters endpoint under load (issue 16): every request a new viewport with
new filters, at 1 and 8 clients.

Each URL takes the filters and search of a list URL no one asked before (bench/distinct.py:
values drawn from a random published row, so results are rarely empty) and a viewport around a
random published organisation's coordinates: a zoom from 3 to 15, the box a 1280 x 800 pixel map
would show there, and the kinds shown (all three most of the time). A short warm-up first lets
each worker load its facet index and build its fine map grid (the first request of a worker
pays for it, as after a deploy), reported apart.

    python -m bench.explore_map --count 20      # prints URLs (DATABASE_URL as it is)
"""

import argparse
import math
import os
import random
import threading
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

from bench.distinct import url_sources
from bench.load import run_load
from bench.server import HOST

URL = "/en/explore/map/clusters.json"
KIND_CHOICES = [
    ("organisations", "projects", "events"),
    ("organisations", "projects", "events"),
    ("organisations",),
    ("projects",),
    ("organisations", "projects"),
]
ZOOMS = range(3, 16)
WIDTH_TILES, HEIGHT_TILES = 1280 / 256, 800 / 256
WARM_UP_REQUESTS = 40
SPOTS = 20_000  # published coordinates sampled for the viewports' centres


def _spots(rng) -> list[tuple[float, float]]:
    from directory.models import Organisation

    rows = list(
        Organisation.objects.published()
        .exclude(latitude=None)
        .exclude(longitude=None)
        .values_list("latitude", "longitude")[:SPOTS]
    )
    rng.shuffle(rows)
    return rows


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def viewport(latitude: float, longitude: float, zoom: int) -> str:
    """The bbox a WIDTH x HEIGHT map centred there shows at `zoom` (clamped to the world)."""
    tiles = 2**zoom
    x = (longitude + 180) / 360
    y = (1 - math.asinh(math.tan(math.radians(max(-85, min(85, latitude))))) / math.pi) / 2
    half_w, half_h = WIDTH_TILES / tiles / 2, HEIGHT_TILES / tiles / 2
    west = max(-180.0, (x - half_w) * 360 - 180)
    east = min(180.0, (x + half_w) * 360 - 180)
    north = min(85.0, _latitude(max(0.0, y - half_h)))
    south = max(-85.0, _latitude(min(1.0, y + half_h)))
    return f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"


class MapUrls:
    """New cluster URLs, one per call (thread-safe)."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}:map")
        self.sources = url_sources(seed)
        self.spots = _spots(self.rng)
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def _draw(self) -> str:
        rng = self.rng
        kind = rng.choice(list(self.sources))
        list_url = self.sources[kind]() or ""
        params = [
            (key, value)
            for key, value in parse_qsl(urlsplit(list_url).query)
            if key not in ("sort", "page")
        ]
        latitude, longitude = rng.choice(self.spots)
        zoom = rng.choice(ZOOMS)
        params += [("bbox", viewport(latitude, longitude, zoom)), ("zoom", str(zoom))]
        params += [("kinds", kind) for kind in rng.choice(KIND_CHOICES)]
        return f"{URL}?{urlencode(params)}"

    def __call__(self) -> str | None:
        with self.lock:
            for _ in range(100):
                url = self._draw()
                if url not in self.seen:
                    self.seen.add(url)
                    return url
            return None


def explore_runs(port: int, *, clients: list[int], seconds: float, seed: int) -> dict:
    urls = MapUrls(seed)
    print("Load: map clusters, warm-up ...", flush=True)
    warm_up = run_load(HOST, port, next_url=urls, clients=4, requests=WARM_UP_REQUESTS)
    runs = {}
    for count in clients:
        print(f"Load: map clusters, new viewports and filters, {count} client(s) ...", flush=True)
        runs[str(count)] = run_load(HOST, port, next_url=urls, clients=count, seconds=seconds)
    return {"warm_up": warm_up, "runs": runs, "urls": len(urls.seen)}


def report_lines(explore: dict, target: float) -> list[str]:
    warm = explore["warm_up"]
    lines = [
        "Map clusters, every viewport and filter new (p50 / p95 / p99 ms, req/s):",
        f"  warm-up ({warm['requests']} requests, workers loading their indexes and grids): "
        f"{warm['p50_ms']} / {warm['p95_ms']} / {warm['p99_ms']} ms",
    ]
    for clients, run in explore["runs"].items():
        verdict = ""
        if clients == "8":
            met = "met" if run["p95_ms"] <= target else "MISSED"
            verdict = f"   target p95 <= {target} ms: {met}"
        lines.append(
            f"  {clients} client(s): {run['p50_ms']} / {run['p95_ms']} / {run['p99_ms']} ms, "
            f"{run['rps']} req/s, {run['requests']} requests, statuses {run['statuses']}{verdict}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsi_hub.settings")
    import django

    django.setup()
    urls = MapUrls(args.seed)
    for _ in range(args.count):
        print(urls())


if __name__ == "__main__":
    main()
