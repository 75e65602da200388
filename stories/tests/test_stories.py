"""Stories, clusters and resources: scheduled publishing, the taxonomy's clusters, and the
editorial admin (clean text, re-encoded images, history)."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import EDITORIAL_ADMINS
from accounts.tests.factories import UserFactory
from directory.models import SocialArea
from stories.models import Category
from stories.models import Cluster
from stories.models import EditorialStatus
from stories.models import Kind
from stories.models import Story
from stories.services import stories_version


def story(**fields):
    defaults = {"title": "A story", "slug": f"story-{Story.objects.count()}", "kind": Kind.NEWS}
    return Story.objects.create(**{**defaults, **fields})


def test_publishing_can_be_scheduled_and_drafts_stay_hidden(db):
    now = timezone.now()
    out = story(status=EditorialStatus.PUBLISHED, publish_at=now - dt.timedelta(hours=1))
    later = story(status=EditorialStatus.PUBLISHED, publish_at=now + dt.timedelta(days=2))
    story(status=EditorialStatus.DRAFT)
    story(status=EditorialStatus.ARCHIVED, publish_at=now - dt.timedelta(days=9))
    assert list(Story.objects.published(now)) == [out]
    assert list(Story.objects.scheduled(now)) == [later]
    # no job has to run: the moment comes and it is public
    assert set(Story.objects.published(now + dt.timedelta(days=3))) == {out, later}


def test_the_six_clusters_and_their_lead_partners_are_there(db):
    clusters = list(Cluster.objects.select_related("social_area"))
    assert [cluster.social_area.slug for cluster in clusters] == [
        "health-and-care",
        "skills-and-learning",
        "digital-democracy",
        "food-environment-and-climate-change",
        "migration-and-integration",
        "cities-and-urban-development",
    ]
    assert clusters[0].lead_partner_name == "WeMake (Milan)"
    assert Category.objects.get(slug="news").name_de == "Neuigkeiten"


@pytest.fixture
def editor(db, client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORIAL_ADMINS))
    client.force_login(user)
    return user


def image_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 1500), "teal").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_an_editor_writes_a_case_study_with_clean_text_and_a_re_encoded_image(
    client, editor, django_capture_on_commit_callbacks
):
    health = SocialArea.objects.get(slug="health-and-care")
    before = stories_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/admin/stories/story/add/",
            {
                "kind": Kind.CASE_STUDY,
                "title": "Sensors for care homes",
                "slug": "sensors-for-care-homes",
                "summary": "How a lab made air quality visible.",
                "body": '<p onclick="x()">Open <script>alert(1)</script>hardware</p>',
                "featured_image": image_upload(),
                "featured_image_alt": "A sensor on a windowsill",
                "social_areas": [health.pk],
                "status": EditorialStatus.PUBLISHED,
                "publish_at_0": timezone.localdate().isoformat(),
                "publish_at_1": "08:00:00",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Story.objects.get(slug="sensors-for-care-homes")
    assert saved.body == "<p>Open hardware</p>"
    assert saved.featured_image.name.endswith(".webp")
    with Image.open(saved.featured_image) as image:
        assert image.size[0] <= 2000
    assert "sensors" in saved.search_title and "health" in saved.search_body
    assert stories_version() != before
    assert client.get(f"/en/admin/stories/story/{saved.pk}/history/").status_code == 200


def test_a_replaced_or_deleted_story_image_leaves_storage(
    client, editor, django_capture_on_commit_callbacks
):
    saved = story(featured_image="stories/old.webp", featured_image_alt="Old")
    default_storage.save("stories/old.webp", ContentFile(b"old"))
    form = client.get(f"/en/admin/stories/story/{saved.pk}/change/").context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("featured_image", "categories", "social_areas")
    }
    data.update(
        {
            "featured_image": image_upload(),
            "publish_at_0": timezone.localdate().isoformat(),
            "publish_at_1": "08:00:00",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/admin/stories/story/{saved.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved.refresh_from_db()
    assert saved.featured_image.name.endswith(".webp")
    assert not default_storage.exists("stories/old.webp")
    assert default_storage.exists(saved.featured_image.name)

    with django_capture_on_commit_callbacks(execute=True):
        saved.delete()
    assert not default_storage.exists(saved.featured_image.name)


def test_an_image_needs_a_description(client, editor):
    response = client.post(
        "/en/admin/stories/story/add/",
        {
            "kind": Kind.NEWS,
            "title": "Pictures",
            "slug": "pictures",
            "featured_image": image_upload(),
            "status": EditorialStatus.DRAFT,
            "publish_at_0": timezone.localdate().isoformat(),
            "publish_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "Please describe the image" in response.content.decode()
    assert not Story.objects.exists()


def test_community_admins_do_not_edit_stories(client, db):
    from accounts.roles import COMMUNITY_ADMINS

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=COMMUNITY_ADMINS))
    client.force_login(user)
    assert client.get("/en/admin/stories/story/add/").status_code == 403
