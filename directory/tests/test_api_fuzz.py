"""A fuzz run of the open-data API from its own OpenAPI schema (schemathesis).

Every operation gets `fuzz_examples` generated requests (FUZZ_EXAMPLES, 100 by default: see the
root conftest.py), valid and invalid; no answer may be a 5xx, and every answer must match the
schema: its status code, content type, headers and body. Marked `fuzz`: `make fuzz` runs the fuzz
tests alone; they are part of the suite as well.
"""

import pytest
import schemathesis
from django.core.signals import request_finished
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Technology
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.fuzz


@pytest.fixture
def api_schema(db, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    from dsi_hub.wsgi import application

    # The fuzzer is one client sending thousands of requests: not what the throttle is about.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})
    organisation = OrganisationFactory(name="Liberté Numérique", city="Zürich")
    for n in range(3):
        project = ProjectFactory(
            name=f"Open project {n}",
            vocabularies__social_areas=list(SocialArea.objects.all()[:2]),
            vocabularies__technologies=list(Technology.objects.all()[:2]),
        )
        ProjectOrganisation.objects.create(project=project, organisation=organisation)
    # Requests go straight to the WSGI app: like Django's test client, keep the test's
    # connection (and its transaction) open across them.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_answers_every_generated_request_as_its_schema_says(api_schema, fuzz_examples):
    # schemathesis's pytest plugin does not follow pytest 9 yet: each operation gets its own
    # Hypothesis run here instead, and every failure is reported at the end.
    failures, operations = {}, 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=fuzz_examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            # Filter values are slugs of rows (tags, countries...), which the schema cannot list:
            # a well-formed but unknown slug is rightly a 400, so that one check is left out.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Exception as error:  # noqa: BLE001 - reported with the operation below
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
    assert operations >= 16
    assert not failures, "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
