import datetime as dt

import factory
from django.utils import timezone

from stories.models import EditorialStatus, Kind, Story


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
            from stories.services import story_reindex

            story_reindex(self)
