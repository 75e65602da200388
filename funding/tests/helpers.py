"""What funding opportunities' forms are sent in tests: the practitioners' form."""

import datetime as dt

from django.utils import timezone

from funding.models import FundingType


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def form_data(**overrides) -> dict:
    data = {
        "title": "Civic  data   fund",
        "short_description": "Grants for open data projects.",
        "description": "<p>Apply with an idea.</p><script>alert(1)</script>",
        "funding_type": FundingType.objects.get(slug="grant-funding").pk,
        "amount_min": "5000",
        "amount_max": "25000",
        "currency": "EUR",
        "opens_on": day(-5),
        "closes_on": day(30),
        "link": "example.org/apply",
        "funder": "",
        "funder_name": "Open Data Foundation",
        "funder_website": "https://example.org",
        "fax_number": "",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}
