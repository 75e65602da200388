"""Writes around stories: keeping their search text in step, and the version their cached
pages follow. Stories are written by editorial admins in the Django admin (stories.admin),
which calls these after every save."""

import math

from django.utils import timezone

from core.html import sanitize_html
from core.personal_data import dated
from core.search import folded_text
from core.search import store_search_fields
from core.versions import ContentVersion
from directory.versions import DIRECTORY
from stories.models import Resource
from stories.models import Story

# Stories show the directory's projects, organisations (only while published) and social areas:
# what is cached of them follows the directory's version too.
STORIES = ContentVersion("stories:version", follows=(DIRECTORY,))
stories_version = STORIES.current
stories_cached = STORIES.cached
stories_cache = STORIES.cache
stories_changed = STORIES.changed


def story_search_fields(story: Story, *, names) -> dict:
    return {
        "search_title": folded_text(story.title),
        "search_body": folded_text(story.summary, story.byline, *names, story.body),
    }


def story_reindex(story: Story) -> None:
    """Refresh a story's search text from it and its categories and social areas."""
    names = [row.name for row in [*story.categories.all(), *story.social_areas.all()]]
    fields = story_search_fields(story, names=names)
    store_search_fields(story, fields)


def story_clean_body(body: str) -> str:
    """The story's text as it may be stored and shown: the hub's sanitised HTML."""
    return sanitize_html(body)


def stories_author_changed(user) -> None:
    """A person's name is the byline of the stories they wrote without one of their own: when
    the name changes, or the account goes, what was cached of those stories is stale."""
    if Story.objects.filter(author=user, author_name="").exists():
        stories_changed()


def stories_author_data(user) -> dict:
    """The stories a person is the author of, for their download. They stay when the account
    goes: they are the editors' work, and lose only their link to the person."""
    stories = Story.objects.filter(author=user).order_by("publish_at", "pk")
    public = set(stories.published().values_list("pk", flat=True))
    return {
        "stories": [
            {
                "title": story.title,
                "kind": story.kind,
                "status": story.status,
                "address": story.get_permanent_url() if story.pk in public else None,
                "byline": story.author_name or None,
                "created": dated(story.created_at),
                "updated": dated(story.updated_at),
                "publication": dated(story.publish_at),
            }
            for story in stories
        ]
    }


def resource_search_fields(resource: Resource, *, areas) -> dict:
    """A resource's search text: its title, then its publisher, social areas and description.
    `areas` are its social areas, passed in so that a caller holding them (the admin's form,
    the CSV import) asks nothing more of the database."""
    return {
        "search_title": folded_text(resource.title),
        "search_body": folded_text(
            resource.publisher, *(area.name for area in areas), resource.description
        ),
    }


def resource_set_search_fields(resource: Resource, *, areas) -> None:
    """Put the search text on a resource about to be saved (nothing is written)."""
    for name, value in resource_search_fields(resource, areas=areas).items():
        setattr(resource, name, value)


def resource_reindex(resource: Resource) -> None:
    """Refresh a saved resource's search text from it and its social areas (two queries)."""
    fields = resource_search_fields(resource, areas=resource.social_areas.all())
    store_search_fields(resource, fields)


def seconds_until(moment, longest: int) -> int:
    """How long something may be kept: `longest` seconds, or less if `moment` (the next
    scheduled story's, or None) comes before then; 0 if it has come. Counted from now, the time
    of storing, not of rendering: a story out in between is not kept late."""
    if moment is None:
        return longest
    return max(0, min(longest, math.floor((moment - timezone.now()).total_seconds())))
