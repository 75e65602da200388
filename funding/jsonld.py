"""schema.org JSON-LD for funding opportunity pages: a MonetaryGrant (grant funding) or a Grant
(any other kind of support), for search engines and linked data.

Built from what the detail page has loaded (OpportunityQuerySet.with_details): no query of its
own. Only what the page shows publicly goes in. The amount is a MonetaryAmount (minValue,
maxValue, currency), and the dates the opportunity is open go on it as validFrom and
validThrough, where schema.org defines them.
"""

from decimal import Decimal
from html import unescape

from django.utils.html import format_html
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from core.jsonld import SCHEMA_ORG
from core.jsonld import jsonld_script_text
from core.jsonld import organization
from core.models import absolute_url
from funding.models import Opportunity

GRANT_FUNDING = "grant-funding"
DESCRIPTION_CHARS = 300


def _number(value: Decimal | int) -> int | float:
    """JSON has no decimals: whole amounts as integers, others as floats."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _description(opportunity: Opportunity) -> str:
    if opportunity.short_description:
        return opportunity.short_description
    text = " ".join(unescape(strip_tags(opportunity.description)).split())
    return Truncator(text).chars(DESCRIPTION_CHARS)


def funder_url(opportunity: Opportunity) -> str:
    """The funder's page in the directory when it is published there, else its website."""
    funder = opportunity.funder
    if funder is not None and funder.is_published:
        return absolute_url(funder.get_absolute_url())
    return opportunity.funder_website


def _funder(opportunity: Opportunity) -> dict | None:
    name = opportunity.funder_label
    return organization(name, funder_url(opportunity)) if name else None


def _amount(opportunity: Opportunity) -> dict | None:
    if opportunity.amount_min is None and opportunity.amount_max is None:
        return None
    amount = {"@type": "MonetaryAmount", "currency": opportunity.currency}
    if opportunity.amount_min is not None:
        amount["minValue"] = _number(opportunity.amount_min)
    if opportunity.amount_max is not None:
        amount["maxValue"] = _number(opportunity.amount_max)
    if opportunity.opens_on is not None:
        amount["validFrom"] = opportunity.opens_on.isoformat()
    if opportunity.closes_on is not None:
        amount["validThrough"] = opportunity.closes_on.isoformat()
    return amount


def opportunity_jsonld(opportunity: Opportunity) -> dict:
    """A schema.org MonetaryGrant for grant funding, otherwise a Grant."""
    url = opportunity.get_permanent_url()
    is_grant = opportunity.funding_type.slug == GRANT_FUNDING
    data = {
        "@context": SCHEMA_ORG,
        "@type": "MonetaryGrant" if is_grant else "Grant",
        "@id": f"{url}#grant",
        "url": url,
        "name": opportunity.title,
    }
    if description := _description(opportunity):
        data["description"] = description
    if funder := _funder(opportunity):
        data["funder"] = funder
    if amount := _amount(opportunity):
        data["amount"] = amount
    return data


def opportunity_jsonld_script(opportunity: Opportunity) -> SafeString:
    """The whole <script type="application/ld+json"> element for the opportunity's page, safe
    to put in the HTML as it is: <, > and & in values are escaped
    (directory.jsonld.jsonld_script_text), so no value can end the script."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(jsonld_script_text(opportunity_jsonld(opportunity))),
    )
