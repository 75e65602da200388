"""Fuzzing the open-data API from its own OpenAPI schema (schemathesis), for the fuzz tests of
core/tests/test_api.py and directory/tests/test_api_fuzz.py."""

import contextlib

import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance


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


def fuzz(schema, *, examples: int) -> tuple[int, dict[str, str]]:
    """Every operation of `schema` gets its own Hypothesis run of `examples` generated requests
    (schemathesis's pytest plugin does not follow pytest 9 yet). Returns the number of
    operations and each failing operation's error, so a test reports every failure at once.

    Filter values are slugs of rows (tags, countries...), which the schema cannot list: a
    well-formed but unknown slug is rightly a 400, so that one check is left out."""
    failures, operations = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as error:  # noqa: BLE001 - reported with the operation
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    return operations, failures


def failures_text(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
