"""A small HTTP load generator: threads, one keep-alive connection each, standard library only.

    python bench/load.py --port 8000 --clients 8 --seconds 20 /en/projects/ /en/organisations/

Each client walks the URL list from its own starting point, so a rotating set of pages is hit
evenly (or takes each URL from a shared source, `next_url`, that hands every one out once).
Latency is measured from sending the request to reading the whole body; durations the server
states in a `Server-Timing` header (`facets;dur=3.2`) are gathered by name.
"""

import argparse
import contextlib
import http.client
import json
import math
import threading
import time
from collections.abc import Callable


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank); 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(latencies_ms: list[float], seconds: float, errors: int = 0) -> dict:
    """p50/p95/p99 (ms), requests per second and error count of a load run."""
    return {
        "requests": len(latencies_ms),
        "errors": errors,
        "seconds": round(seconds, 2),
        "rps": round(len(latencies_ms) / seconds, 1) if seconds > 0 else 0.0,
        "p50_ms": round(percentile(latencies_ms, 0.50), 1),
        "p95_ms": round(percentile(latencies_ms, 0.95), 1),
        "p99_ms": round(percentile(latencies_ms, 0.99), 1),
        "max_ms": round(max(latencies_ms), 1) if latencies_ms else 0.0,
    }


def server_timing(header: str) -> dict[str, float]:
    """Durations (ms) by name of a Server-Timing header: "facets;dur=3.2, db;dur=5" ->
    {"facets": 3.2, "db": 5.0}; metrics without a duration are left out."""
    timings = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _, value = param.partition("=")
            if name and key.strip().lower() == "dur":
                with contextlib.suppress(ValueError):
                    timings[name] = float(value.strip().strip('"'))
    return timings


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.timings: dict[str, float] = {}  # the last answer's Server-Timing durations

    def get(self, url: str) -> tuple[int, float, int]:
        """(status, milliseconds, body bytes) of one GET."""
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", url, headers={"Host": self.host})
                response = self.connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                self.timings = server_timing(response.getheader("server-timing") or "")
                if response.getheader("connection", "").lower() == "close":
                    self.connection.close()
                return response.status, elapsed, len(body)
            except (http.client.HTTPException, ConnectionError):
                # A keep-alive connection the server had already dropped: once more, afresh.
                self.connection.close()
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.connection.close()


def run_load(
    host: str,
    port: int,
    urls: list[str] | None = None,
    *,
    clients: int,
    seconds: float | None = None,
    requests: int | None = None,
    next_url: Callable[[], str | None] | None = None,
) -> dict:
    """Drive the server with `clients` concurrent clients for `seconds` or `requests` in all,
    over `urls` in turn or, with `next_url`, each URL it gives (until it gives None)."""
    if not urls and next_url is None:
        raise ValueError("No URLs to request.")
    latencies: list[float] = []
    timings: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    errors = [0]
    lock = threading.Lock()
    budget = [requests if requests is not None else math.inf]
    deadline = time.perf_counter() + (seconds if seconds is not None else math.inf)

    def worker(number: int) -> None:
        client = Client(host, port)
        position = number * max(1, len(urls or ()) // clients)
        mine: list[float] = []
        mine_timings: dict[str, list[float]] = {}
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if budget[0] <= 0:
                        break
                    budget[0] -= 1
                if next_url is not None:
                    url = next_url()
                    if url is None:
                        break
                else:
                    url = urls[position % len(urls)]
                    position += 1
                try:
                    status, elapsed, _ = client.get(url)
                except (OSError, http.client.HTTPException):
                    with lock:
                        errors[0] += 1
                    continue
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status >= 400:
                        errors[0] += 1
                mine.append(elapsed)
                for name, duration in client.timings.items():
                    mine_timings.setdefault(name, []).append(duration)
        finally:
            client.close()
            with lock:
                latencies.extend(mine)
                for name, durations in mine_timings.items():
                    timings.setdefault(name, []).extend(durations)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = summarise(latencies, time.perf_counter() - started, errors[0])
    result["clients"] = clients
    result["statuses"] = {str(code): count for code, count in sorted(statuses.items())}
    result["server_timing"] = {
        name: {
            "requests": len(durations),
            "p50_ms": round(percentile(durations, 0.50), 1),
            "p95_ms": round(percentile(durations, 0.95), 1),
        }
        for name, durations in sorted(timings.items())
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--requests", type=int, default=None)
    args = parser.parse_args()
    if args.seconds is None and args.requests is None:
        args.seconds = 10
    result = run_load(
        args.host,
        args.port,
        args.urls,
        clients=args.clients,
        seconds=args.seconds,
        requests=args.requests,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
