"""A small HTTP load generator: threads, one keep-alive connection each, standard library only.

    python bench/load.py --port 8000 --clients 8 --seconds 20 /en/projects/ /en/organisations/

Each client walks the URL list from its own starting point, so a rotating set of pages is hit
evenly. Latency is measured from sending the request to reading the whole body.
"""

import argparse
import http.client
import json
import math
import threading
import time


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


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def get(self, url: str) -> tuple[int, float, int]:
        """(status, milliseconds, body bytes) of one GET."""
        for attempt in range(2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", url, headers={"Host": self.host})
                response = self.connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
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
    urls: list[str],
    *,
    clients: int,
    seconds: float | None = None,
    requests: int | None = None,
) -> dict:
    """Drive the server with `clients` concurrent clients for `seconds` or `requests` in all."""
    if not urls:
        raise ValueError("No URLs to request.")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    lock = threading.Lock()
    budget = [requests if requests is not None else math.inf]
    deadline = time.perf_counter() + (seconds if seconds is not None else math.inf)

    def worker(number: int) -> None:
        client = Client(host, port)
        position = number * max(1, len(urls) // clients)
        mine: list[float] = []
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if budget[0] <= 0:
                        break
                    budget[0] -= 1
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
        finally:
            client.close()
            with lock:
                latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = summarise(latencies, time.perf_counter() - started, errors[0])
    result["clients"] = clients
    result["statuses"] = {str(code): count for code, count in sorted(statuses.items())}
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
