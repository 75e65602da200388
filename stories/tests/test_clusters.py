import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Status
from directory.models import ProjectOrganisation
from directory.models import SocialArea
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory
from events.services import event_reindex
from events.tests.factories import EventFactory
from funding.services import opportunity_reindex
from funding.tests.factories import OpportunityFactory
from stories.models import Cluster
from stories.models import EditorialStatus
from stories.models import Resource
from stories.models import ResourceKind
from stories.services import stories_changed
from stories.tests.factories import StoryFactory

pytestmark = pytest.mark.django_db

HEALTH = "health-and-care"
# One for the cluster, then a count and the newest rows for each of the six blocks.
DETAIL_QUERIES = 13
# The social areas checked and shown by the form (2), the count, the page, its social areas.
LIST_QUERIES = 5


@pytest.fixture
def cluster():
    return Cluster.objects.select_related("social_area").get(slug=HEALTH)


@pytest.fixture
def other_area(cluster):
    return SocialArea.objects.exclude(pk=cluster.social_area_id).first()


def _project(area, **kwargs):
    return ProjectFactory(vocabularies__social_areas=[area], **kwargs)


def _event(area, **kwargs):
    event = EventFactory(**kwargs)
    event.social_areas.set([area])
    event_reindex(event)
    return event


def _opportunity(area, **kwargs):
    opportunity = OpportunityFactory(**kwargs)
    opportunity.social_areas.set([area])
    opportunity_reindex(opportunity)
    return opportunity


def _story(area, **kwargs):
    story = StoryFactory(**kwargs)
    story.social_areas.set([area])
    return story


def _resource(area, **kwargs):
    n = Resource.objects.count()
    kwargs.setdefault("url", f"https://example.org/resource-{n}")
    kwargs.setdefault("title", f"Resource {n}")
    resource = Resource.objects.create(**kwargs)
    resource.social_areas.set([area])
    return resource


def _everything(area):
    project = _project(area)
    organisation = OrganisationFactory()
    ProjectOrganisation.objects.create(project=project, organisation=organisation)
    _event(area)
    _opportunity(area)
    _story(area)
    _resource(area)
    return project, organisation


def test_the_clusters_are_listed_with_their_lead_partners(client, cluster):
    partner = OrganisationFactory(name="WeMake")
    cluster.lead_partner = partner
    cluster.introduction = "<p>Care <script>alert(1)</script>together.</p>"
    cluster.save()
    hidden = Cluster.objects.exclude(pk=cluster.pk).first()
    hidden.lead_partner = OrganisationFactory(status=Status.DRAFT)
    hidden.save()
    response = client.get(reverse("stories:cluster_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert len(response.context["clusters"]) == Cluster.objects.count() == 6
    assert cluster.social_area.name in content
    assert f'href="{partner.get_absolute_url()}"' in content
    assert hidden.lead_partner.get_absolute_url() not in content
    assert "alert(1)" not in content
    assert reverse("stories:cluster_detail", kwargs={"slug": HEALTH}) in content


def test_an_unknown_cluster_is_not_found(client):
    assert client.get(reverse("stories:cluster_detail", kwargs={"slug": "nope"})).status_code == 404


def test_a_cluster_gathers_what_is_tagged_with_its_area(client, cluster, other_area):
    area = cluster.social_area
    project, organisation = _everything(area)
    cluster.introduction = '<p>Hello</p><img src=x onerror="alert(1)">'
    cluster.save()
    # Not shown: another area, unpublished, past, closed, scheduled, unlisted.
    _project(other_area, name="Elsewhere project")
    _project(area, name="Draft project", status=Status.DRAFT)
    _event(area, title="Past meetup", starts_at=timezone.now() - dt.timedelta(days=9))
    _opportunity(area, title="Closed fund", closes_on=timezone.localdate() - dt.timedelta(days=1))
    _story(area, title="Draft story", status=EditorialStatus.DRAFT)
    _story(area, title="Tomorrow's story", publish_at=timezone.now() + dt.timedelta(days=1))
    _resource(area, title="Unlisted resource", is_listed=False)

    response = client.get(reverse("stories:cluster_detail", kwargs={"slug": HEALTH}))
    assert response.status_code == 200
    blocks = response.context["blocks"]
    assert {name: block["count"] for name, block in blocks.items()} == {
        "projects": 1,
        "organisations": 1,
        "events": 1,
        "funding": 1,
        "stories": 1,
        "resources": 1,
    }
    assert blocks["projects"]["items"] == [project]
    assert blocks["organisations"]["items"] == [organisation]
    content = response.content.decode()
    for hidden in ("Elsewhere project", "Draft project", "Past meetup", "Closed fund"):
        assert hidden not in content
    for hidden in ("Draft story", "Tomorrow&#x27;s story", "Unlisted resource", "onerror"):
        assert hidden not in content
    assert f"/projects/?area={HEALTH}" in content
    assert f"/events/?area={HEALTH}" in content
    assert f"/funding/?area={HEALTH}" in content
    assert f"/stories/resources/?area={HEALTH}" in content


def test_blocks_show_the_five_newest(client, cluster):
    area = cluster.social_area
    for n in range(7):
        _resource(area, published_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    response = client.get(reverse("stories:cluster_detail", kwargs={"slug": HEALTH}))
    block = response.context["blocks"]["resources"]
    assert block["count"] == 7
    assert [r.published_on.day for r in block["items"]] == [7, 6, 5, 4, 3]


def test_a_cluster_page_costs_the_same_queries_however_much_it_holds(
    client, cluster, django_assert_num_queries
):
    # A query parameter the cache does not keep: the page is rendered each time.
    url = reverse("stories:cluster_detail", kwargs={"slug": HEALTH}) + "?fresh=1"
    _everything(cluster.social_area)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for _n in range(3):
        _everything(cluster.social_area)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200


def test_the_cluster_list_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("stories:cluster_list") + "?fresh=1").status_code == 200


def test_visitors_get_the_cached_page_until_stories_change(
    client, cluster, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("stories:cluster_detail", kwargs={"slug": HEALTH})
    client.get(url)
    _resource(cluster.social_area, title="A new toolkit")
    with django_assert_num_queries(0):
        assert "A new toolkit" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        stories_changed()
    assert "A new toolkit" in client.get(url).content.decode()


def test_resources_are_listed_newest_first_and_filtered(client, cluster, other_area):
    area = cluster.social_area
    old = _resource(area, title="Old report", published_on=dt.date(2019, 5, 1))
    new = _resource(
        area, title="New toolkit", kind=ResourceKind.TOOLKIT, published_on=dt.date(2024, 1, 1)
    )
    elsewhere = _resource(other_area, title="Elsewhere data", kind=ResourceKind.DATASET)
    _resource(area, title="Unlisted", is_listed=False)
    url = reverse("stories:resource_list")

    response = client.get(url)
    assert response.status_code == 200
    assert response.context["resources"] == [new, old, elsewhere]
    assert response.context["total"] == 3

    response = client.get(url, {"area": HEALTH})
    assert response.context["resources"] == [new, old]
    response = client.get(url, {"kind": "toolkit", "area": HEALTH})
    assert response.context["resources"] == [new]


@pytest.mark.parametrize(
    "query,status",
    [
        ({"kind": "poem"}, 400),
        ({"area": "nowhere"}, 400),
        ({"page": "x"}, 400),
        ({"page": "9"}, 404),
    ],
)
def test_bad_resource_queries_are_explained(client, query, status):
    response = client.get(reverse("stories:resource_list"), query)
    assert response.status_code == status
    assert response.context["query_errors"]


def test_resources_come_in_pages_at_a_fixed_cost(client, cluster, django_assert_num_queries):
    for n in range(25):
        _resource(cluster.social_area, published_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    url = reverse("stories:resource_list")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url, {"page": "2", "area": HEALTH})
    assert response.status_code == 200
    assert len(response.context["resources"]) == 5
    assert response.context["pages"] == 2


def test_a_series_begun_long_ago_shows_its_next_date(client, db):
    import datetime as dt

    from django.utils import timezone

    from core.models import Status
    from directory.models import SocialArea
    from events.models import EventOccurrence
    from events.services import LIFECYCLE

    health = SocialArea.objects.get(slug="health-and-care")
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=200)
    series = LIFECYCLE.create(
        user=None,
        title="Fortnightly care hack",
        fields={"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}
        | {"recurrence": "FREQ=WEEKLY;INTERVAL=2"},
        relations={"social_areas": [health]},
        status=Status.PUBLISHED,
    )
    following = (
        EventOccurrence.objects.filter(event=series, ends_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    html = client.get("/en/stories/clusters/health-and-care/").content.decode()
    shown = timezone.localtime(following.starts_at).isoformat()
    assert f'datetime="{shown}"' in html
    assert f'datetime="{timezone.localtime(start).isoformat()}"' not in html
