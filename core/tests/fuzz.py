"""Fuzzing the open-data API from its own OpenAPI schema (schemathesis), for the fuzz tests of
core/tests/test_api.py and directory/tests/test_api_fuzz.py."""

import contextlib
from dataclasses import dataclass
from dataclasses import field

import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from rest_framework.throttling import AnonRateThrottle


@contextlib.contextmanager
def api_schema(monkeypatch):
    """The API's schema, loaded from the hub's own WSGI app, its requests sent straight to it.

    The fuzzer is one client sending thousands of requests, not what the throttle is about; and
    like Django's test client, requests keep the test's connection (and its transaction) open."""
    from dsi_hub.wsgi import application

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class FuzzRun:
    """What a fuzz run did: operations fuzzed, requests sent, and each failing operation's
    error (its label: the first failure Hypothesis kept, with how to reproduce it)."""

    operations: int = 0
    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def fuzz(schema, *, examples: int) -> FuzzRun:
    """Every operation of `schema` gets its own Hypothesis run of `examples` generated requests
    (schemathesis's pytest plugin does not follow pytest 9 yet), each answer checked with every
    check schemathesis has: no server error, status codes, content types, headers and bodies
    as documented, and valid requests (by the schema) accepted, invalid ones refused. The
    schema lists the values each filter takes (core.api.filter_schema), so a request the
    schema calls valid is one the API answers. A failing operation does not stop the run: the
    test reports every failure at once."""
    run = FuzzRun()
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            run.requests += 1
            case.call_and_validate()

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported with the operation
            run.failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    return run


def failures_text(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
