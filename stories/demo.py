"""Demonstration stories and resources, written from what the directory holds.

Case studies are about real published projects of the directory (their organisations and
social areas included); news and blog posts carry the categories and social areas of the hub;
one story is scheduled a few days ahead, so the demo shows scheduling; each social area gets a
report, a toolkit and an open data set. Written once, in one transaction; refuses nothing and
changes nothing that is already there.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from core.submissions import unique_slug
from directory.models import Project
from directory.models import SocialArea
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Resource
from stories.models import ResourceKind
from stories.models import Story
from stories.services import resource_reindex
from stories.services import stories_changed
from stories.services import story_clean_body
from stories.services import story_reindex

NEWS = [
    (
        "The hub opens its directory again",
        "After years closed to spam, practitioners can add their organisations and projects.",
    ),
    (
        "New open data on digital social innovation in Europe",
        "The whole directory is now downloadable as CSV and JSON, under an open licence.",
    ),
    (
        "Six clusters, one community",
        "Health, skills, democracy, migration, cities and climate: meet the lead partners.",
    ),
    (
        "Funding calendar: what closes this season",
        "Grants and programmes for tech for good, gathered in one place.",
    ),
]
BLOGS = [
    (
        "Why civic tech needs maintenance, not only launches",
        "Most tools stop at the prototype. What keeps the rest alive?",
    ),
    (
        "Five lessons from running a repair café with open hardware",
        "Volunteers, spare parts and a lot of documentation.",
    ),
    (
        "Mapping who builds technology for social good",
        "What the 2017 crowdmap told us, and what it missed.",
    ),
]
CASE_STUDY_SUMMARY = "How {name} uses open, collaborative technology for {area}."
CASE_STUDY_BODY = (
    "<h2>The challenge</h2><p>{name} started from a question many people in {area} share: "
    "how can technology be used <strong>with</strong> communities rather than for them?</p>"
    "<h2>What they built</h2><p>{description}</p>"
    "<h2>What others can learn</h2><ul><li><p>Start with the people affected.</p></li>"
    "<li><p>Publish the code and data openly.</p></li>"
    "<li><p>Plan for maintenance from the first day.</p></li></ul>"
)
POST_BODY = (
    "<p>{summary}</p><h2>What happened</h2><p>Practitioners across Europe shared how they "
    'work on {area}. Read more in the <a href="https://digitalsocial.eu/">original '
    "DSI4EU site</a>.</p><blockquote><p>Technology is only as good as the community that "
    "keeps it.</p></blockquote>"
)
RESOURCES = [
    (ResourceKind.REPORT, "State of digital social innovation in {area}", "DSI4EU"),
    (ResourceKind.TOOLKIT, "A practical toolkit for {area} projects", "Nesta"),
    (ResourceKind.DATASET, "Open data on {area} initiatives", "DSI Hub"),
]


def stories_seed_demo(*, case_studies: int = 6, seed: int = 2017) -> dict:
    """Demo stories and resources; returns how many of each were written."""
    rng = random.Random(seed)
    now = timezone.now()
    areas = list(SocialArea.objects.order_by("pk"))
    categories = {category.slug: category for category in Category.objects.all()}
    projects = list(
        Project.objects.published()
        .filter(social_areas__isnull=False)
        .distinct()
        .order_by("pk")
        .prefetch_related("social_areas", "organisations")[: case_studies * 4]
    )
    rng.shuffle(projects)
    written = {"stories": 0, "resources": 0}
    with transaction.atomic():
        for number, project in enumerate(projects[:case_studies]):
            project_areas = list(project.social_areas.all())
            area = project_areas[0].name.lower()
            story = _story(
                kind=Kind.CASE_STUDY,
                title=f"{project.name}: a case study",
                summary=CASE_STUDY_SUMMARY.format(name=project.name, area=area),
                body=format_html(
                    CASE_STUDY_BODY,
                    name=project.name,
                    area=area,
                    description=project.short_description or project.name,
                ),
                publish_at=now - dt.timedelta(days=3 + 9 * number),
                is_featured=number < 2,
                project=project,
            )
            story.social_areas.set(project_areas)
            story.organisations.set(
                [
                    organisation
                    for organisation in project.organisations.all()
                    if organisation.is_published
                ]
            )
            story_reindex(story)
            written["stories"] += 1
        posts = [(Kind.NEWS, "news", *post) for post in NEWS] + [
            (Kind.BLOG, "blog", *post) for post in BLOGS
        ]
        for number, (kind, category, title, summary) in enumerate(posts):
            area = areas[number % len(areas)] if areas else None
            story = _story(
                kind=kind,
                title=title,
                summary=summary,
                body=format_html(
                    POST_BODY,
                    summary=summary,
                    area=area.name.lower() if area else "social innovation",
                ),
                publish_at=now - dt.timedelta(days=1 + 5 * number, hours=rng.randrange(24)),
            )
            if category in categories:
                story.categories.set([categories[category]])
            if area:
                story.social_areas.set([area])
            story_reindex(story)
            written["stories"] += 1
        scheduled = _story(
            kind=Kind.NEWS,
            title="Coming soon: the hub's first community call",
            summary="Scheduled to appear in three days: the demo of scheduled publishing.",
            body="<p>Join practitioners from across Europe.</p>",
            publish_at=now + dt.timedelta(days=3),
        )
        story_reindex(scheduled)
        written["stories"] += 1
        for area in areas:
            for kind, title, publisher in RESOURCES:
                name = title.format(area=area.name.lower())
                resource, created = Resource.objects.get_or_create(
                    url=f"https://example.org/resources/{slugify(name)}",
                    defaults={
                        "title": name,
                        "kind": kind,
                        "publisher": publisher,
                        "description": f"<p>{name}, for practitioners and researchers.</p>",
                        "published_on": (now - dt.timedelta(days=rng.randrange(30, 900))).date(),
                    },
                )
                if created:
                    resource.social_areas.set([area])
                    resource_reindex(resource)
                    written["resources"] += 1
        stories_changed()
    return written


def _story(*, body: str, **fields) -> Story:
    return Story.objects.create(
        body=story_clean_body(body),  # as the admin stores it
        slug=unique_slug(Story, fields["title"], fallback="story"),
        author_name="DSI Hub editors",
        status=EditorialStatus.PUBLISHED,
        **fields,
    )
