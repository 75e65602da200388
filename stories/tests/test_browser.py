"""In headless Chromium, as a visitor: the stories list filtered by category and by social area
with the keyboard, a featured case study and the project it is about, the cluster of that
social area, and the Atom feed the list points to. Drafts and scheduled stories never show."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connections
from django.utils import timezone

from core.tests.browser import new_page
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from stories.models import Category
from stories.models import EditorialStatus
from stories.models import Kind
from stories.services import story_reindex
from stories.tests.factories import StoryFactory

pytestmark = pytest.mark.browser
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
CASE_STUDY = "How Clinic Maps reached every village"
NEWS = "Open health data week in Milan"
BLOG = "Why participatory budgets need open code"
DRAFT = "Draft: health hackathon recap"
SCHEDULED = "Coming soon: the care robots report"
PROJECT = "Clinic Maps"
ORGANISATION = "Salut Oberta"
HIDDEN = (DRAFT, SCHEDULED)


def _story(title, *, categories=(), areas=(), organisations=(), **fields):
    story = StoryFactory(title=title, **fields)
    story.categories.set(categories)
    story.social_areas.set(areas)
    story.organisations.set(organisations)
    story_reindex(story)
    return story


def _landmarks_and_labels(page, expect, form=None):
    """One <main>, one h1, and (in `form`) an accessible name on every control."""
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if form is None:
        return
    controls = form.locator("input:not([type=hidden]), select, textarea, button")
    assert controls.count() > 0
    for index in range(controls.count()):
        expect(controls.nth(index)).to_have_accessible_name(re.compile(r"\S"))


def test_a_visitor_filters_stories_and_follows_a_case_study_to_its_project_and_cluster(
    browser,
    live_server,
):
    try:
        _journey(browser, live_server)
    finally:
        connections.close_all()  # the greenlet's own connection, so the database can be dropped


def _journey(browser, live_server):
    from playwright.sync_api import expect

    now = timezone.now()
    health = SocialArea.objects.get(slug="health-and-care")
    democracy = SocialArea.objects.get(slug="digital-democracy")
    news, blog, interview = (
        Category.objects.get(slug=slug) for slug in ("news", "blog", "interview")
    )
    organisation = OrganisationFactory(name=ORGANISATION)
    project = ProjectFactory(name=PROJECT, vocabularies__social_areas=[health])
    ProjectOrganisation.objects.create(
        project=project, organisation=organisation, role=ProjectOrganisation.Role.LEAD
    )
    _story(
        CASE_STUDY,
        kind=Kind.CASE_STUDY,
        is_featured=True,
        project=project,
        organisations=[organisation],
        categories=[interview],
        areas=[health],
        publish_at=now - dt.timedelta(days=10),
    )
    _story(NEWS, categories=[news], areas=[health], publish_at=now - dt.timedelta(days=1))
    _story(
        BLOG,
        kind=Kind.BLOG,
        categories=[blog],
        areas=[democracy],
        publish_at=now - dt.timedelta(days=2),
    )
    _story(
        DRAFT,
        status=EditorialStatus.DRAFT,
        categories=[news],
        areas=[health],
        publish_at=now - dt.timedelta(hours=3),
    )
    _story(
        SCHEDULED,
        categories=[news],
        areas=[health],
        publish_at=now + dt.timedelta(days=2),
    )

    page = new_page(browser)
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories")
    results = page.get_by_role("region", name=re.compile(r"\d+ stor(y|ies)$"))
    form = page.get_by_role("search", name="Find stories")
    _landmarks_and_labels(page, expect, form)
    # Unfiltered: the featured case study first, then the newest; nothing unpublished.
    expect(results.get_by_role("heading", level=2)).to_have_text("3 stories")
    expect(results.get_by_role("heading", level=3)).to_have_text([CASE_STUDY, NEWS, BLOG])
    expect(results.get_by_role("listitem").first).to_contain_text("Featured case study")
    _none_of(results, HIDDEN, expect)

    # By category, sent with Enter from the search box.
    form.get_by_label("Category").select_option(label="News")
    form.get_by_label("Search", exact=True).press("Enter")
    page.wait_for_url(re.compile(r"[?&]category=news"))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 story")
    expect(results.get_by_role("link", name=NEWS)).to_be_visible()
    _none_of(results, (CASE_STUDY, BLOG, *HIDDEN), expect)
    expect(form.get_by_label("Category")).to_have_value("news")

    # By social area instead: tab from the last filter to the button, and press Enter on it.
    form.get_by_label("Category").select_option(label="Any category")
    area = form.get_by_label("Social area")
    area.select_option(label=health.name)
    area.focus()
    page.keyboard.press("Tab")
    expect(form.get_by_role("button", name="Show stories")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"[?&]area=health-and-care"))
    expect(results.get_by_role("heading", level=2)).to_have_text("2 stories")
    # Filtered lists are newest first: no pinning.
    expect(results.get_by_role("heading", level=3)).to_have_text([NEWS, CASE_STUDY])
    _none_of(results, (BLOG, *HIDDEN), expect)
    _landmarks_and_labels(page, expect, form)

    # The case study, and the project it is about.
    results.get_by_role("link", name=CASE_STUDY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CASE_STUDY)
    _landmarks_and_labels(page, expect)
    about = page.get_by_role("complementary", name="About this story")
    expect(about.get_by_role("link", name=ORGANISATION)).to_be_visible()
    expect(about.get_by_role("link", name="Interview")).to_be_visible()
    about.get_by_role("link", name=PROJECT).click()
    page.wait_for_url(re.compile(rf"{re.escape(project.get_absolute_url())}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)

    # The clusters, and the one of that social area: the story and the project are on it.
    page.goto(f"{live_server.url}/en/stories/clusters/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clusters")
    _landmarks_and_labels(page, expect)
    page.get_by_role("link", name=health.name, exact=True).click()
    page.wait_for_url(re.compile(r"/en/stories/clusters/health-and-care/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(health.name)
    _landmarks_and_labels(page, expect)
    stories = page.get_by_role("region", name=re.compile(r"^\d+ stor(y|ies)$"))
    expect(stories.get_by_role("heading", level=2)).to_have_text("2 stories")
    expect(stories.get_by_role("link", name=CASE_STUDY)).to_be_visible()
    expect(stories.get_by_role("link", name=NEWS)).to_be_visible()
    _none_of(stories, (BLOG, *HIDDEN), expect)
    projects = page.get_by_role("region", name=re.compile(r"^\d+ projects?$"))
    expect(projects.get_by_role("link", name=PROJECT)).to_be_visible()
    organisations = page.get_by_role("region", name=re.compile(r"organisations? behind"))
    expect(organisations.get_by_role("link", name=ORGANISATION)).to_be_visible()
    stories.get_by_role("link", name=f"All stories in {health.name}").click()
    page.wait_for_url(re.compile(r"/en/stories/\?area=health-and-care$"))
    expect(
        page.get_by_role("search", name="Find stories").get_by_label("Social area")
    ).to_have_value("health-and-care")
    expect(results.get_by_role("heading", level=2)).to_have_text("2 stories")

    # The list names its own Atom feed in the page head; the feed is XML with the stories.
    feed_link = page.locator(
        'head link[rel="alternate"][type="application/atom+xml"][title="Stories"]'
    )
    expect(feed_link).to_have_count(1)
    href = feed_link.get_attribute("href")
    assert href == "/en/stories/feed.atom"
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    titles = [
        entry.findtext("atom:title", namespaces=ATOM) for entry in feed.findall("atom:entry", ATOM)
    ]
    assert titles == [NEWS, BLOG, CASE_STUDY]
    page.context.close()


def _none_of(region, titles, expect):
    for title in titles:
        expect(region.get_by_role("link", name=title)).to_have_count(0)
