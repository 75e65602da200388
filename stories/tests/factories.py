"""Test data for stories: the factory, builders (`story()`, `ago()`), and the samples the app's
API and download tests share with core's (core/tests/test_api.py, test_exports.py)."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.models import Status
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.services import story_reindex


class StoryFactory(factory.django.DjangoModelFactory):
    """A published news story, out an hour ago, with its search text."""

    class Meta:
        model = Story
        skip_postgeneration_save = True

    kind = Kind.NEWS
    title = factory.Sequence(lambda n: f"News from the hub {n}")
    slug = factory.Sequence(lambda n: f"news-from-the-hub-{n}")
    summary = "What happened this month in digital social innovation."
    body = "<p>Labs, projects and people building technology for social good.</p>"
    author_name = "Hub editors"
    status = EditorialStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            story_reindex(self)


# --- Builders, and the sample content of the app's tests and of core's shared tests ----


def ago(**delta):
    return timezone.now() - dt.timedelta(**delta)


def story(title, *, categories=(), areas=(), project=None, organisations=(), **fields):
    created = StoryFactory(title=title, project=project, **fields)
    if categories or areas or organisations:
        created.categories.set(categories)
        created.social_areas.set(areas)
        created.organisations.set(organisations)
        story_reindex(created)
    return created


def api_sample() -> dict:
    """Published stories with what the API shows of them, and draft, archived and scheduled ones."""
    events = Category.objects.create(name="Events", slug="events")
    interviews = Category.objects.create(name="Interviews", slug="interviews")
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    clinic = ProjectFactory(name="Open clinic map")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    draft_org = OrganisationFactory(name="Secret draft org", status=Status.DRAFT)
    draft_project = ProjectFactory(name="Secret draft project", status=Status.DRAFT)
    return {
        "news": story(
            "Open data week",
            publish_at=ago(hours=1),
            categories=[events],
            author_name="Ada Lovelace",
        ),
        "blog": story(
            "Why commons matter",
            kind=Kind.BLOG,
            publish_at=ago(days=1),
            areas=[health, democracy],
            author_name="",
            author=UserFactory(name="Grace Hopper"),
        ),
        "case": story(
            "Clinic maps",
            kind=Kind.CASE_STUDY,
            publish_at=ago(days=2),
            categories=[interviews, events],
            areas=[health],
            project=clinic,
            organisations=[fablab, draft_org],
            summary="How a clinic mapped its city.",
        ),
        "hidden_links": story(
            "Repair cafes",
            kind=Kind.CASE_STUDY,
            publish_at=ago(days=3),
            project=draft_project,
            organisations=[draft_org],
        ),
        # news may point at a project too, but only case studies show what they are about
        "news_with_project": story("Funding round", publish_at=ago(days=4), project=clinic),
        "draft": story("Draft story", status=EditorialStatus.DRAFT, publish_at=ago(days=1)),
        "archived": story(
            "Archived story", status=EditorialStatus.ARCHIVED, publish_at=ago(days=1)
        ),
        "scheduled": story("Scheduled story", publish_at=timezone.now() + dt.timedelta(days=1)),
    }


def download_sample() -> dict:
    """Published stories with what the files show of them, and draft, archived and scheduled
    ones."""
    events = Category.objects.create(name="Events", slug="events", order=2)
    interviews = Category.objects.create(name="Interviews", slug="interviews", order=1)
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    clinic = ProjectFactory(name="Open clinic map")
    fablab = OrganisationFactory(name="Fab Lab Barcelona")
    commons = OrganisationFactory(name="Commons lab")
    draft_org = OrganisationFactory(name="Secret draft org", status=Status.DRAFT)
    draft_project = ProjectFactory(name="Secret draft project", status=Status.DRAFT)
    return {
        "news": story(
            "Open data week",
            publish_at=ago(hours=1),
            categories=[events],
            author_name="Ada Lovelace",
            summary="=1+1, a week of open data",
            body='<p>Talks, "demos".</p>\n<p>Second line</p>',
        ),
        "blog": story(
            "Why commons matter",
            kind=Kind.BLOG,
            publish_at=ago(days=1),
            areas=[democracy, health],
            author_name="",
            author=UserFactory(name="Grace Hopper"),
        ),
        "case": story(
            "Clinic maps",
            kind=Kind.CASE_STUDY,
            publish_at=ago(days=2),
            categories=[events, interviews],
            areas=[health],
            project=clinic,
            organisations=[fablab, draft_org, commons],
        ),
        "hidden_links": story(
            "Repair cafes",
            kind=Kind.CASE_STUDY,
            publish_at=ago(days=3),
            project=draft_project,
            organisations=[draft_org],
        ),
        "draft": story("Hidden draft story", status=EditorialStatus.DRAFT, publish_at=ago(days=1)),
        "archived": story(
            "Hidden archived story", status=EditorialStatus.ARCHIVED, publish_at=ago(days=1)
        ),
        "scheduled": story(
            "Hidden scheduled story", publish_at=timezone.now() + dt.timedelta(days=1)
        ),
    }
