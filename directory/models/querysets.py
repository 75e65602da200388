"""The reads of the directory: what the public may see, what cards and pages show, what a person
may manage, and the lookups of the guided forms."""

from allauth.account.models import EmailAddress
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db.models import Case
from django.db.models import Exists
from django.db.models import F
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Value
from django.db.models import When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.db.models.functions import Lower

from core.models import SearchableQuerySet
from core.models import Status
from core.search import fold
from core.search import search_words
from directory.cities import city_canonical
from directory.models.roles import MANAGING_ROLES
from directory.models.roles import Role

# Words too common in names to tell profiles apart (English, French, Spanish, Italian, German,
# Dutch, Portuguese).
COMMON_WORDS = frozenset(
    "the and for of a an at in on to by with de la le les des du el los las del di da do dos "  # noqa: SIM905
    "das der die und den een het van voor e y et il lo gli".split()
)
# Name order: by the folded name (search_title, which directory.search keeps as the name without
# case or accents), so "Aalto" comes before "AIOTI", "Élan" among the Es and "mySociety" among
# the Ms. A stored key rather than an ICU collation: the embedded Postgres of `make run` is built
# without ICU, and the key is what search already keeps in step (indexed, see profile_indexes).
BY_NAME = ("search_title", "pk")
# Invitations and requests to join that wait for an answer (their State.PENDING).
PENDING = "pending"
WITH_COORDINATES = {"latitude__isnull": False, "longitude__isnull": False}

# "Newest": by when a profile first appeared in a directory, undated 2017 profiles last.
NEWEST_FIRST = (models.F("listed_at").desc(nulls_last=True), "-pk")

# Columns that cards never show, left out of list queries (they are most of a row's size).
CARD_DEFERRED = [
    "description",
    "search_title",
    "search_body",
    "search_vector",
    "facet_keys",
    "spam_signals",
    "rejection_reason",
    "links",
]


class ProfileQuerySet(SearchableQuerySet):
    relevance_then = BY_NAME
    # The lookup for a profile in one of some countries, by their ids.
    in_countries_lookup = ""

    def published(self):
        """What the public may see: published profiles only, everywhere."""
        return self.filter(status=Status.PUBLISHED)

    def newest(self):
        """Most recently listed first (see Profile.listed_at); those of unknown date last."""
        return self.order_by(*NEWEST_FIRST)

    def for_cards(self):
        """Leave out the long text and search columns a card never shows: lists load fast."""
        return self.defer(*CARD_DEFERRED).annotate(excerpt=Left("description", 400))

    # What a list's card shows (directory.cards), as plain values.
    card_fields = ("pk", "slug", "name", "short_description", "city")

    def card_annotations(self) -> dict:
        return {"excerpt": Left("description", 400)}

    def card_rows(self, ids) -> dict[int, dict]:
        """The values the cards of the rows `ids` show, by id, in one query (no instances: a
        list page builds 20 cards of rows some 30 columns wide)."""
        rows = self.filter(pk__in=ids).values(*self.card_fields, **self.card_annotations())
        return {row["pk"]: row for row in rows}

    def names(self, ids) -> dict[int, tuple[str, str]]:
        """pk -> (name, slug) of the profiles of `ids`, in one query with the ids as one array
        (thousands of them: the network's drawing), not a parameter each."""
        ids = RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
        rows = self.filter(pk__in=ids).order_by()
        return {pk: (name, slug) for pk, name, slug in rows.values_list("pk", "name", "slug")}

    def similar_to(self, *, name: str, city: str):
        """Profiles with the same or a close name, those in the same city first.

        "Close" means every significant word of the name starts a word of the other profile's
        text; short and common words ("the", "de") are left out so "The Open Lab" finds
        "Open Lab"."""
        words = search_words(name)
        significant = [word for word in words if len(word) > 1 and word not in COMMON_WORDS]
        significant = significant or words
        condition = Q(search_title=fold(" ".join(name.split())))
        if significant:
            query = SearchQuery(
                " & ".join(f"{word}:*" for word in significant), search_type="raw", config="simple"
            )
            condition |= Q(search_vector=query)
        city = city_canonical(city)  # as profiles store it: "Milano" is "Milan"
        same_city = (
            Case(
                When(city__iexact=city, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
            if city
            else Value(1, output_field=IntegerField())
        )
        return self.filter(condition).annotate(same_city=same_city).order_by("same_city", *BY_NAME)

    def coordinates_in(self, city: str, country_ids) -> tuple[float, float] | None:
        """Coordinates one of these profiles has for the city in one of the countries, however
        the city is spelt ("Milano" finds "Milan", as profiles store it)."""
        city = city_canonical(city)
        return (
            self.filter(
                city__iexact=city, **{self.in_countries_lookup: country_ids}, **WITH_COORDINATES
            )
            .values_list("latitude", "longitude")
            .first()
        )

    def managed_by(self, user):
        """Profiles the user may edit: those where they are owner or admin."""
        return self.filter(
            memberships__user=user, memberships__role__in=[Role.OWNER, Role.ADMIN]
        ).distinct()


class OrganisationQuerySet(ProfileQuerySet):
    in_countries_lookup = "country_id__in"

    def linkable_by(self, user):
        """Organisations a person may link a project to: published ones and their own."""
        return self.filter(
            Q(status=Status.PUBLISHED) | Q(pk__in=user.memberships.values("organisation_id"))
        )

    def picker_matches(self, text: str, user, *, limit: int) -> list:
        """Organisations for the project form's picker: the person's own (any status) first,
        then published ones; two queries."""
        own = (
            self.filter(memberships__user=user)
            .exclude(status=Status.PUBLISHED)
            .matching(text)
            .select_related("country")
            .order_by(*BY_NAME)[:limit]
        )
        published = (
            self.published().matching(text).select_related("country").order_by(*BY_NAME)[:limit]
        )
        found = {}
        for organisation in [*own, *published]:
            found.setdefault(organisation.pk, organisation)
        return list(found.values())[:limit]

    card_fields = (*ProfileQuerySet.card_fields, "country_id", "organisation_type_id")

    def with_cards(self):
        """What a card shows: the country and type, without a query per card."""
        return self.select_related("country", "organisation_type").for_cards()

    def with_details(self):
        """What the detail page shows, in a bounded number of queries."""
        return self.select_related(
            "country", "organisation_type", "organisation_size"
        ).prefetch_related("tags", "network_tags")


class ProjectQuerySet(ProfileQuerySet):
    in_countries_lookup = "countries__in"
    # Its filter keys name the countries it is listed under: its own, or else its
    # organisations' (directory.search.PROJECT_LINKED_KEYS); `own_countries` tells which.
    card_fields = (*ProfileQuerySet.card_fields, "facet_keys")

    def card_annotations(self) -> dict:
        own = self.model.countries.through.objects.filter(project_id=OuterRef("pk"))
        return {**super().card_annotations(), "own_countries": Exists(own)}

    def with_cards(self):
        """What a card shows: its countries, or those inferred from its organisations (read
        from its filter keys, as `filter_keys`: directory.search.countries_inferred)."""
        return (
            self.prefetch_related("countries")
            .for_cards()
            .defer("social_impact")
            .annotate(filter_keys=F("facet_keys"))
        )

    def with_details(self):
        return self.prefetch_related(
            "countries",
            "social_areas",
            "technologies",
            "focus",
            "who_we_help",
            "network_tags",
            "tags",
        )


# How many partner organisations a profile's neighbourhood shows at most (the most shared first).
NEIGHBOURHOOD_LIMIT = 60


class ProjectOrganisationQuerySet(models.QuerySet):
    def published(self):
        """Links the public sees: both the organisation and the project published."""
        return self.filter(organisation__status=Status.PUBLISHED, project__status=Status.PUBLISHED)

    def pairs(self):
        """Every published link as (organisation id, project id), one query (the network)."""
        return self.published().values_list("organisation_id", "project_id")

    def partners_of(self, organisation_id: int):
        """The organisation's neighbourhood: the published organisations sharing a published
        project with it, each link as plain values (partner, project), one query; the view
        groups them by partner."""
        shared = self.published().filter(organisation_id=organisation_id).values("project_id")
        return (
            self.published()
            .filter(project_id__in=shared)
            .exclude(organisation_id=organisation_id)
            .values_list(
                "organisation_id",
                "organisation__name",
                "organisation__slug",
                "project_id",
                "project__name",
                "project__slug",
            )
            .order_by("organisation__search_title", "organisation_id", "project__search_title")
        )


class InvitationQuerySet(models.QuerySet):
    def pending_for(self, user):
        """Invitations waiting for any of the person's verified addresses, newest first."""
        emails = EmailAddress.objects.filter(user=user, verified=True).values(lower=Lower("email"))
        return (
            self.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails, state=PENDING)
            .select_related("organisation", "project", "invited_by")
            .order_by("-created_at")
        )


class JoinRequestQuerySet(models.QuerySet):
    def of_requester(self, user):
        """The person's own requests to join, newest first, with their profiles."""
        return (
            self.filter(user=user)
            .select_related("organisation", "project")
            .order_by("-created_at", "-pk")
        )

    def pending_for_managers(self, user):
        """Requests to join the profiles the person owns or runs, oldest first."""
        managed = user.memberships.filter(role__in=MANAGING_ROLES)
        return (
            self.filter(state=PENDING)
            .filter(
                Q(
                    organisation_id__in=managed.filter(organisation__isnull=False).values(
                        "organisation"
                    )
                )
                | Q(project_id__in=managed.filter(project__isnull=False).values("project"))
            )
            .select_related("user", "organisation", "project")
            .order_by("created_at")
        )
