"""A fuzz run of the open-data API from its own OpenAPI schema (schemathesis).

Every operation gets `fuzz_examples` generated requests (FUZZ_EXAMPLES, 100 by default: see the
root conftest.py), valid and invalid; no answer may be a 5xx, and every answer must match the
schema (all of schemathesis's checks): its status code, content type, headers and body (valid
`format: uri` addresses included), and a request the schema calls valid is not refused. Marked
`fuzz`: `make fuzz` runs the fuzz tests alone; they are part of the suite as well.
"""

import pytest

from core.tests.fuzz import api_schema as fuzz_api_schema
from core.tests.fuzz import failures_text
from core.tests.fuzz import fuzz
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.models import Tag
from directory.models import Technology
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory

pytestmark = pytest.mark.fuzz


@pytest.fixture
def api_schema(db, monkeypatch):
    organisation = OrganisationFactory(name="Liberté Numérique", city="Zürich")
    for n in range(3):
        project = ProjectFactory(
            name=f"Open project {n}",
            vocabularies__social_areas=list(SocialArea.objects.all()[:2]),
            vocabularies__technologies=list(Technology.objects.all()[:2]),
        )
        ProjectOrganisation.objects.create(project=project, organisation=organisation)
    # A row stored before addresses were cleaned: the answers still hold valid URIs.
    Project.objects.filter(pk=project.pk).update(
        website='https://example.org/"old" <site>', links=["https://example.org/a b"]
    )
    Tag.objects.create(name="Open source", slug="open-source")
    with fuzz_api_schema(monkeypatch) as schema:
        yield schema


def test_the_api_answers_every_generated_request_as_its_schema_says(api_schema, fuzz_examples):
    run = fuzz(api_schema, examples=fuzz_examples)
    print(f"API fuzz: {run.operations} operations, {run.requests} requests, all checks")
    assert run.operations >= 16 and run.requests >= run.operations
    assert not run.failures, failures_text(run.failures)
