"""The cards of the directory's lists (directory.cards): what each shows, in the order asked,
escaped, in one query for a page of either kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.cards import cards_html
from directory.cards import profile_cards
from directory.models import Country
from directory.models import Organisation
from directory.models import OrganisationType
from directory.models import Project
from directory.models import ProjectOrganisation
from directory.search import profile_reindex
from directory.tests.factories import OrganisationFactory
from directory.tests.factories import ProjectFactory


@pytest.mark.django_db
def test_an_organisation_s_card_shows_its_place_and_type():
    kind = OrganisationType.objects.first()
    lab = OrganisationFactory(name="Lab & Co", city="Gent", country=Country.objects.get(code="BE"))
    nowhere = OrganisationFactory(name="Nowhere", city="", country=None, organisation_type=kind)
    profile_cards(Organisation, [lab.pk])  # the vocabularies cached, as on a running site

    with CaptureQueriesContext(connection) as queries:
        cards = profile_cards(Organisation, [nowhere.pk, 0, lab.pk])
    assert len(queries) == 1
    assert [card.slug for card in cards] == [nowhere.slug, lab.slug]  # as asked, 0 left out
    assert cards[1].url == f"/en/organisations/{lab.slug}/"
    assert cards[1].facts == ("Gent, Belgium", kind.name)
    assert cards[0].facts == (kind.name,)  # no place: no empty part, no separator
    assert cards[1].summary == lab.short_description


@pytest.mark.django_db
def test_a_project_s_card_says_which_countries_come_from_its_organisations():
    spain, france = Country.objects.get(code="ES"), Country.objects.get(code="FR")
    own = ProjectFactory(name="Own", city="", vocabularies__countries=[spain, france])
    inferred = ProjectFactory(name="Inferred", city="Lyon")
    inferred.countries.clear()
    ProjectOrganisation.objects.create(
        project=inferred, organisation=OrganisationFactory(country=france)
    )
    profile_reindex(inferred)
    profile_cards(Project, [own.pk])  # the vocabularies cached

    with CaptureQueriesContext(connection) as queries:
        cards = {card.name: card for card in profile_cards(Project, [own.pk, inferred.pk])}
    assert len(queries) == 1  # their own countries or not, in the same query
    assert cards["Own"].facts == ("France, Spain",)  # in the vocabulary's order
    assert cards["Inferred"].facts == ("France (from its organisations)", "Lyon")


@pytest.mark.django_db
def test_without_a_short_description_a_card_shows_the_start_of_the_description():
    words = " ".join(f"word{number}" for number in range(40))
    project = ProjectFactory(
        short_description="", description=f"<p><strong>Fish</strong> &amp; chips {words}</p>"
    )
    (card,) = profile_cards(Project, [project.pk])
    assert card.summary.startswith("Fish & chips word0 ")
    assert card.summary.endswith("word26…") and len(card.summary.split()) == 30


@pytest.mark.django_db
def test_the_cards_are_escaped():
    lab = OrganisationFactory(
        name="<script>alert(1)</script>", short_description='"Quotes" & <b>tags</b>', city="<i>"
    )
    html = cards_html(profile_cards(Organisation, [lab.pk]))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;Quotes&quot; &amp; &lt;b&gt;tags&lt;/b&gt;" in html
    assert html.count('<li class="card">') == 1
