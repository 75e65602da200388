"""Bulk downloads of published funding opportunities: /data/funding.csv and /data/funding.json.

Built with the directory's machinery (directory.exports): each column is defined once, and the
files, the `datapackage.json` schema and the data page are generated from the definitions. One
row per opportunity. The rows are filtered and ordered by the funding list's FilterSet, so a
download takes the list's query string: opportunities open today by default, closing soonest
first (rolling ones last), or those opening later (`status=upcoming`) or closed
(`status=closed`, latest first).

As for the directory, a download is one query read with a server-side cursor, plus three small
lookups made once (the countries' codes, the types of funding and who may apply, in English; the
countries' and social areas' names come from the vocabularies' cache); who may apply, countries
and social areas come from the opportunities' filter keys, dates are written by Postgres. What
is open moves with the calendar (every row's `state` is worked out for the day of the download),
so whole downloads are not kept as files.
"""

import datetime as dt
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.export_columns import cleaned_description_column
from core.export_columns import moment_annotations
from core.export_columns import page_columns
from core.export_columns import submitted_tail
from core.exports import BOOLEAN
from core.exports import DATE
from core.exports import INTEGER
from core.exports import NUMBER
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import Export
from core.exports import Lookups
from core.exports import formatted
from core.search import facet_key
from directory.export_values import country_codes_by_pk
from directory.export_values import country_codes_column
from directory.export_values import english_vocabularies
from directory.export_values import facet_column
from directory.export_values import linked_organisation_columns
from directory.export_values import submitted_lookups
from directory.export_values import term_facets
from directory.export_values import term_names
from funding.api.serializers import CLOSED_NOW
from funding.api.serializers import CLOSING_SOON
from funding.api.serializers import OPEN_NOW
from funding.api.serializers import OPENING_LATER
from funding.filters import OpportunityFilterSet
from funding.filters import funding_terms
from funding.models import CLOSING_SOON_DAYS

# The vocabularies of the directory that opportunities' filter keys name (the directory's "type"
# is organisations': an opportunity's type is read from its own column instead).
SHARED_VOCABULARIES = ("country", "area")
EVERYWHERE = facet_key("country", "any")


@dataclass
class FundingLookups(Lookups):
    """The directory's lookups, with the types of funding, the day the download is made for,
    and the other addresses and the licence opportunities' rows carry."""

    types: dict[int, str] = field(default_factory=dict)
    today: str = ""  # YYYY-MM-DD, in the site's time zone
    soon: str = ""  # the last day a closing date is "closing soon"


def funding_lookups(day: dt.date) -> dict:
    """Lookups' fields for opportunities: the countries and social areas (English names, from
    the vocabularies' cache) and who may apply by their filter keys, the countries' codes and
    the types of funding. Three queries, whatever the number of rows."""
    tables = english_vocabularies()
    with translation.override(settings.LANGUAGE_CODE):
        terms = funding_terms()
    codes = country_codes_by_pk()
    facets = term_facets({name: tables[name] for name in SHARED_VOCABULARIES}, codes)
    facets.update(term_facets({"target": terms["target"]}))
    return {
        "facets": facets,
        "names": term_names(tables),
        "country_codes": codes,
        "tags": {},
        "types": {term.pk: term.name for term in terms["type"]},
        "today": day.isoformat(),
        "soon": (day + dt.timedelta(days=CLOSING_SOON_DAYS)).isoformat(),
    }


# --- Derived values: functions of (what they read, lookups) -------------------------------------


def funding_type(pk, lookups) -> str:
    return lookups.types.get(pk, "")


def open_everywhere(keys, lookups) -> bool:
    return EVERYWHERE in keys


def amount(value: Decimal | None, lookups) -> int | float | None:
    """A number in both files: whole amounts without decimals (5000, not 5000.00)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rolling(closes, lookups) -> bool:
    return closes is None


def state(read, lookups) -> str:
    """As funding.api.serializers.state, on the day of the download (ISO dates compare as text)."""
    opens, closes = read
    today = lookups.today
    if closes is not None and closes < today:
        return CLOSED_NOW
    if opens is not None and opens > today:
        return OPENING_LATER
    if closes is not None and closes <= lookups.soon:
        return CLOSING_SOON
    return OPEN_NOW


def _annotations() -> dict:
    return {
        "opens_text": formatted("opens_on", "YYYY-MM-DD", utc=False),
        "closes_text": formatted("closes_on", "YYYY-MM-DD", utc=False),
        **moment_annotations(),
    }


@dataclass(frozen=True)
class FundingExport(Export):
    kept: bool = False

    def lookups(self, queryset) -> FundingLookups:
        """The vocabularies, countries and types, and the addresses rows are made of. No
        profile is hidden: a funder that is not published is named, not linked (see
        organisation_id)."""
        return FundingLookups(
            **funding_lookups(timezone.localdate()),
            **submitted_lookups("funding:opportunity_detail"),
        )


# Who offers the opportunity; the funder's website comes between its name and its id.
FUNDER, FUNDER_ID, FUNDER_URL = linked_organisation_columns(
    "funder",
    name=_("Who offers it: an organisation of the directory, or a name."),
    organisation=_(
        "The funder's id in the directory (organisation_id in the organisations files), "
        "when it is a published organisation; empty otherwise."
    ),
    url=_("The address of the funder's page on the hub, when it has one."),
)

FUNDING = FundingExport(
    order=50,
    plural="funding",
    title=_("Funding opportunities"),
    description=_(
        "The published funding opportunities of the hub, for practitioners of digital social "
        "innovation: one row each. Those open on the day of the download by default; those "
        "opening later with status=upcoming, closed ones with status=closed."
    ),
    filterset_class=OpportunityFilterSet,
    annotations=_annotations,
    columns=(
        Column(
            "opportunity_id",
            INTEGER,
            _("The funding opportunity's id on the hub; it never changes."),
            "id",
        ),
        Column("title", STRING, _("The funding opportunity's title.")),
        *page_columns(
            slug=_(
                "The opportunity's short name in addresses, unique among funding opportunities."
            ),
            url=_("The address of the opportunity's page on the hub (in English)."),
        ),
        Column("short_description", STRING, _("What the opportunity offers, in one sentence.")),
        cleaned_description_column(),
        FUNDER,
        Column("funder_website", STRING, _("The funder's website, when given."), format="uri"),
        FUNDER_ID,
        FUNDER_URL,
        Column(
            "type",
            STRING,
            _("The type of funding (a grant, investment, an incubator...), by English name."),
            Derived(funding_type, "funding_type_id"),
        ),
        facet_column("targets", "target", _("Who may apply, by English name; empty: anyone.")),
        facet_column(
            "countries",
            "country",
            _("The countries where it is open, by English name; empty: everywhere."),
        ),
        country_codes_column(),
        Column(
            "open_everywhere",
            BOOLEAN,
            _("Whether it is open in every country (true) or only in those named (false)."),
            Derived(open_everywhere, "facet_keys"),
        ),
        facet_column(
            "social_areas", "area", _("The areas of social impact it is for, by English name.")
        ),
        Column(
            "amount_min",
            NUMBER,
            _("The smallest amount it gives, in its currency; empty if not said."),
            Derived(amount, "amount_min"),
        ),
        Column(
            "amount_max",
            NUMBER,
            _("The largest amount it gives, in its currency; empty if not said."),
            Derived(amount, "amount_max"),
        ),
        Column(
            "currency", STRING, _("The currency of the amounts, as an ISO 4217 code, e.g. EUR.")
        ),
        Column(
            "opens_on",
            DATE,
            _("When applications open (YYYY-MM-DD); empty if they already are."),
            "opens_text",
        ),
        Column(
            "closes_on",
            DATE,
            _("The last day to apply (YYYY-MM-DD); empty for rolling applications."),
            "closes_text",
        ),
        Column(
            "rolling",
            BOOLEAN,
            _("Whether it takes applications with no closing date (true) or not (false)."),
            Derived(rolling, "closes_text"),
        ),
        Column(
            "state",
            STRING,
            _(
                "On the day of the download, in the site's time zone: open, closing_soon (open "
                "and closing within 14 days), opening_later or closed."
            ),
            Derived(state, "opens_text", "closes_text"),
        ),
        Column("link", STRING, _("Where to read more and apply."), format="uri"),
        *submitted_tail(
            published=_(
                "When the opportunity was published on the hub, in UTC (YYYY-MM-DDThh:mm:ssZ)."
            ),
            updated=_("When the opportunity last changed, in UTC (YYYY-MM-DDThh:mm:ssZ)."),
            licence=_(
                "The licence of the opportunity's text, by its short name: the site's licence "
                "for contributions (CC BY 4.0 unless the site says otherwise)."
            ),
        ),
    ),
)
