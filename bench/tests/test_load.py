import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from bench.load import percentile
from bench.load import run_load
from bench.load import server_timing
from bench.load import summarise


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.5) == 0.0
    assert percentile([3, 1, 2], 0.5) == 2  # order of arrival does not matter


def test_summary_gives_latencies_and_throughput():
    summary = summarise([10.0] * 90 + [50.0] * 9 + [200.0], seconds=2.0, errors=1)
    assert summary["requests"] == 100
    assert summary["rps"] == 50.0
    assert (summary["p50_ms"], summary["p95_ms"], summary["p99_ms"]) == (10.0, 50.0, 50.0)
    assert summary["max_ms"] == 200.0 and summary["errors"] == 1


@pytest.fixture
def server():
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def do_GET(self):
            status = 404 if self.path == "/missing" else 200
            body = self.path.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_load_run_counts_requests_and_errors(server):
    result = run_load("127.0.0.1", server, ["/a", "/b", "/missing"], clients=3, requests=30)
    assert result["requests"] == 30
    assert set(result["statuses"]) == {"200", "404"}
    assert sum(result["statuses"].values()) == 30
    assert result["errors"] == result["statuses"]["404"] > 0
    assert result["clients"] == 3 and result["p99_ms"] >= result["p50_ms"] > 0


def test_server_timing_gives_durations_by_name():
    assert server_timing('facets;dur=3.25, db;desc="SQL";dur=5, cache') == {
        "facets": 3.25,
        "db": 5.0,
    }
    assert server_timing("") == {} and server_timing("facets;dur=x") == {}


def test_a_load_run_takes_each_url_from_a_source_until_it_gives_none(server):
    urls = iter(["/1", "/2", "/3", "/4", "/5"])
    result = run_load("127.0.0.1", server, next_url=lambda: next(urls, None), clients=2, seconds=5)
    assert result["requests"] == 5 and result["statuses"] == {"200": 5}
    assert result["server_timing"] == {}
