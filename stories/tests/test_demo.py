from django.core.management import call_command

from core.html import sanitize_html
from directory.demo import directory_seed_demo
from directory.models import Project
from directory.models import SocialArea
from stories.demo import stories_seed_demo
from stories.models import Kind
from stories.models import Resource
from stories.models import Story


def test_demo_stories_are_written_from_the_directory(db):
    directory_seed_demo(organisations=12, projects=18, seed=2017)
    written = stories_seed_demo(case_studies=4, seed=2017)
    areas = SocialArea.objects.count()
    assert written == {"stories": 4 + 7 + 1, "resources": 3 * areas}

    case_studies = list(Story.objects.published().case_studies())
    assert len(case_studies) == 4
    assert sum(story.is_featured for story in case_studies) == 2
    for story in case_studies:
        project = story.project
        assert project.is_published
        assert set(story.social_areas.all()) == set(project.social_areas.all())
        assert {each.pk for each in story.organisations.all()} == {
            each.pk for each in project.organisations.all() if each.is_published
        }
        assert story.search_title  # indexed for search
    for story in Story.objects.all():
        assert sanitize_html(story.body) == story.body  # what the editor would keep
    assert Story.objects.published().filter(kind=Kind.NEWS, categories__slug="news").count() == 4
    assert Story.objects.published().filter(kind=Kind.BLOG, categories__slug="blog").count() == 3
    assert Story.objects.scheduled().count() == 1
    assert Resource.objects.filter(social_areas__isnull=False).count() == 3 * areas


def test_project_names_are_escaped_in_the_demo_text(db):
    directory_seed_demo(organisations=4, projects=4, seed=2017)
    Project.objects.update(name="Tools & <b>Things</b>")
    stories_seed_demo(case_studies=1, seed=2017)
    story = Story.objects.get(kind=Kind.CASE_STUDY)
    assert "Tools &amp; &lt;b&gt;Things&lt;/b&gt;" in story.body


def test_demo_stories_are_part_of_the_demo_content(db, settings, tmp_path):
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    call_command("setup_demo")
    assert Story.objects.published().case_studies().filter(is_featured=True).exists()
    count = Story.objects.count()
    call_command("setup_demo")  # once only
    assert Story.objects.count() == count
