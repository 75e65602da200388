"""What the API shows of a published funding opportunity: what a visitor sees on its page, no more.

No one's e-mail, no moderation state or notes, not who submitted it. Every item carries its
public page (`url`), its own API address (`api_url`) and the licence of its text. Its `state`
(open, closing soon, opening later, closed) is worked out from its dates against the day the
answer is made for, given by the view in the serializer's context as `today`.
"""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import SUBMISSION_FIELDS
from core.api.serializers import SanitisedHtmlField
from core.api.serializers import SiteContentSerializer
from core.api.serializers import VocabularySerializer
from core.api.serializers import WebAddressField
from core.api.serializers import directory_links
from core.fields import web_address
from directory.api.serializers import CountrySerializer
from directory.api.serializers import named_organisation
from funding.display import CLOSED
from funding.display import OPEN
from funding.display import UPCOMING
from funding.display import timing
from funding.models import CLOSING_SOON_DAYS
from funding.models import Opportunity

# The API's names for an opportunity's state on a day (funding.display.timing).
OPEN_NOW, CLOSING_SOON = "open", "closing_soon"
OPENING_LATER, CLOSED_NOW = "opening_later", "closed"
STATES = [OPEN_NOW, CLOSING_SOON, OPENING_LATER, CLOSED_NOW]
STATE_NAMES = {OPEN: OPEN_NOW, UPCOMING: OPENING_LATER, CLOSED: CLOSED_NOW}


def state(opportunity: Opportunity, day: dt.date) -> str:
    """open, closing_soon (open and closing within CLOSING_SOON_DAYS), opening_later or closed,
    on `day`: as the funding pages say it that day."""
    found = timing(opportunity, day)
    return CLOSING_SOON if found.closing_soon else STATE_NAMES[found.state]


def amount_field(help_text: str) -> serializers.DecimalField:
    """An amount as a JSON number, as the model stores it (14 digits, 2 after the point)."""
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=help_text,
    )


class FunderSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    website = WebAddressField(allow_null=True, help_text="The funder's website, when given.")
    url, api_url = directory_links()


class OpportunitySerializer(SiteContentSerializer):
    url = serializers.SerializerMethodField(help_text="The opportunity's public page.")
    description = SanitisedHtmlField()
    funder = serializers.SerializerMethodField()
    type = VocabularySerializer(source="funding_type", read_only=True)
    targets = VocabularySerializer(
        many=True, read_only=True, help_text="Who may apply; empty: anyone."
    )
    countries = CountrySerializer(
        many=True, read_only=True, help_text="Where it is open; empty: everywhere."
    )
    open_everywhere = serializers.SerializerMethodField(
        help_text="Whether it is open in every country (it names none)."
    )
    social_areas = VocabularySerializer(many=True, read_only=True)
    amount_min = amount_field("The smallest amount given, in `currency`; null: not said.")
    amount_max = amount_field("The largest amount given, in `currency`; null: not said.")
    currency = serializers.CharField(read_only=True, help_text="ISO 4217 code, e.g. EUR.")
    opens_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="When applications open; null: already."
    )
    closes_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day to apply; null: rolling."
    )
    rolling = serializers.SerializerMethodField(
        help_text="Whether it takes applications with no closing date."
    )
    state = serializers.SerializerMethodField(
        help_text=(
            "On the day of the answer (in the site's time zone): open, closing_soon (open and "
            f"closing within {CLOSING_SOON_DAYS} days), opening_later or closed."
        )
    )
    link = WebAddressField(help_text="Where to read more and apply.")

    class Meta:
        model = Opportunity
        fields = [
            *SUBMISSION_FIELDS,
            "funder",
            "type",
            "targets",
            "countries",
            "open_everywhere",
            "social_areas",
            "amount_min",
            "amount_max",
            "currency",
            "opens_on",
            "closes_on",
            "rolling",
            "state",
            "link",
            "licence",
            "published",
            "updated",
        ]
        read_only_fields = fields

    @extend_schema_field(FunderSerializer(allow_null=True))
    def get_funder(self, opportunity) -> dict | None:
        return named_organisation(
            opportunity.funder,
            opportunity.funder_name,
            website=web_address(opportunity.funder_website) or None,
        )

    def get_open_everywhere(self, opportunity) -> bool:
        return not opportunity.countries.all()

    def get_rolling(self, opportunity) -> bool:
        return opportunity.closes_on is None

    @extend_schema_field({"type": "string", "enum": STATES})
    def get_state(self, opportunity) -> str:
        return state(opportunity, self.context.get("today") or timezone.localdate())
