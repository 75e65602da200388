"""Test data for the directory. Profiles are published unless a test says otherwise.

Factories write rows directly (as fixtures, not as the behaviour under test) and then bring the
search text and filter keys up to date, as the services do.
"""

import factory
from django.utils import timezone
from django.utils.text import slugify

from core.models import Status
from directory.models import Country
from directory.models import Membership
from directory.models import Organisation
from directory.models import OrganisationType
from directory.models import Project
from directory.models import Role
from directory.models import SocialArea
from directory.models import Technology
from directory.search import profile_reindex


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    short_description = factory.Faker("sentence", nb_words=8)
    # Long enough whatever the sentence: a short description is a spam signal of its own, which
    # would make a test of the other signals fail now and then.
    description = factory.LazyAttribute(
        lambda o: f"<p>{o.short_description} More about it, and about the people it works with.</p>"
    )
    city = "Barcelona"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def owner(obj, create, extracted, **kwargs):
        """owner=user makes that person the owner (a membership)."""
        if create and extracted is not None:
            Membership.objects.create(user=extracted, role=Role.OWNER, **{obj.kind: obj})

    @factory.post_generation
    def reindex(obj, create, extracted, **kwargs):
        if create:
            profile_reindex(obj)


class OrganisationFactory(ProfileFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="ES"))
    organisation_type = factory.LazyFunction(lambda: OrganisationType.objects.first())


class ProjectFactory(ProfileFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")

    @factory.post_generation
    def vocabularies(obj, create, extracted, **kwargs):
        """Every project needs a social area and a technology: the first of each unless given."""
        if not create:
            return
        obj.social_areas.set(kwargs.get("social_areas") or [SocialArea.objects.first()])
        obj.technologies.set(kwargs.get("technologies") or [Technology.objects.first()])
        obj.countries.set(kwargs.get("countries") or [Country.objects.get(code="ES")])

    @factory.post_generation
    def reindex(obj, create, extracted, **kwargs):
        if create:
            profile_reindex(obj)
