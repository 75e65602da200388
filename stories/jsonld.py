"""schema.org JSON-LD for story pages: an Article (NewsArticle for news, BlogPosting for blog
posts), for search engines and linked data.

Built from what the detail page has loaded (StoryQuerySet.with_cards plus its project and
organisations): no query of its own. Only what the page shows publicly goes in: an
organisation or project not published is neither named nor linked.
"""

from html import unescape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core.jsonld import SCHEMA_ORG
from core.jsonld import jsonld_script_text
from core.models import absolute_url
from stories.models import Kind
from stories.models import Story

DESCRIPTION_CHARS = 300
SCHEMA_TYPES = {Kind.NEWS: "NewsArticle", Kind.BLOG: "BlogPosting", Kind.CASE_STUDY: "Article"}


def story_permanent_url(story: Story) -> str:
    """The story's page in the site's default language, as an absolute URL on SITE_URL."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("stories:story_detail", kwargs={"slug": story.slug}))


def story_description(story: Story) -> str:
    if story.summary:
        return story.summary
    text = " ".join(unescape(strip_tags(story.body)).split())
    return Truncator(text).chars(DESCRIPTION_CHARS)


def _reference(profile, schema_type: str) -> dict:
    return {
        "@type": schema_type,
        "@id": f"{profile.get_permanent_url()}#{profile.kind}",
        "name": profile.name,
        "url": absolute_url(profile.get_absolute_url()),
    }


def story_jsonld(story: Story, *, organisations=()) -> dict:
    """A schema.org Article of the right kind for a published story. `organisations` are those
    the page shows (already loaded); only published ones go in, as does its project."""
    url = story_permanent_url(story)
    data = {
        "@context": SCHEMA_ORG,
        "@type": SCHEMA_TYPES.get(story.kind, "Article"),
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": url,
        "headline": story.title[:110],
        "datePublished": story.publish_at.isoformat(),
        "dateModified": max(story.updated_at, story.publish_at).isoformat(),
        "inLanguage": translation.get_language() or settings.LANGUAGE_CODE,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute_url(reverse("home")),
        },
    }
    if description := story_description(story):
        data["description"] = description
    if byline := story.byline:
        data["author"] = {"@type": "Person", "name": byline}
    if story.featured_image:
        image = {"@type": "ImageObject", "url": absolute_url(story.featured_image.url)}
        if story.featured_image_alt:
            image["description"] = story.featured_image_alt
        data["image"] = image
    if categories := [category.name for category in story.categories.all()]:
        data["articleSection"] = categories
    if areas := [area.name for area in story.social_areas.all()]:
        data["keywords"] = areas
    about = []
    project = story.project
    if project is not None and project.is_published:
        about.append(_reference(project, "Project"))
    about += [_reference(org, "Organization") for org in organisations if org.is_published]
    if about:
        data["about"] = about
    return data


def story_jsonld_script(story: Story, *, organisations=()) -> SafeString:
    """The whole <script type="application/ld+json"> element, safe as it is: <, > and & in
    values are escaped (directory.jsonld.jsonld_script_text), so no value can end the script."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(jsonld_script_text(story_jsonld(story, organisations=organisations))),
    )
