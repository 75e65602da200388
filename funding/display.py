"""How an opportunity's amounts and dates read on cards, its page and the feed, in the reader's
language: "€5,000 to €50,000" / "5.000 € bis 50.000 €", "Open until 3 March 2027", "Rolling",
"Closes in 3 days". Whether it is open is worked out against the day given (the page's
"today"), never stored.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from funding.models import Opportunity

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"

# Currencies people read as a symbol; any other ISO 4217 code is shown as it is.
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}
# Languages that put the symbol first ("€5,000"); the others after, with a space ("5.000 €").
SYMBOL_FIRST = {"en"}
NO_BREAK_SPACE = "\u00a0"


def money(amount: Decimal | int | None, currency: str, language: str | None = None) -> str:
    """An amount with its currency, grouped and placed as the language writes it."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    language = (language or get_language() or "en").split("-")[0]
    if symbol and language in SYMBOL_FIRST:
        return f"{symbol}{number}"
    return f"{number}{NO_BREAK_SPACE}{symbol or code}"


def amount_text(opportunity: Opportunity) -> str:
    """The amount range ("€5,000 to €50,000", "Up to €10,000", "From €1,000"), or ""."""
    low, high = opportunity.amount_min, opportunity.amount_max
    currency = opportunity.currency
    if low is not None and high is not None:
        if low == high:
            return money(low, currency)
        return _("%(min)s to %(max)s") % {
            "min": money(low, currency),
            "max": money(high, currency),
        }
    if high is not None:
        return _("Up to %(max)s") % {"max": money(high, currency)}
    if low is not None:
        return _("From %(min)s") % {"min": money(low, currency)}
    return ""


def long_date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


@dataclass(frozen=True)
class Timing:
    """An opportunity's state on a given day, and how to say it."""

    state: str  # OPEN, UPCOMING or CLOSED
    text: str  # "Open until 3 March 2027", "Rolling", "Opens on 1 June 2027", "Closed on ..."
    days_left: int | None  # open with a closing date: days until it closes (0: today)
    closing_soon: bool
    badge: str  # "Closes in 3 days" while closing soon, else ""

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def _days_left_text(days: int) -> str:
    if days == 0:
        return _("Closes today")
    if days == 1:
        return _("Closes tomorrow")
    return ngettext("Closes in %(days)s day", "Closes in %(days)s days", days) % {"days": days}


def timing(opportunity: Opportunity, day: dt.date) -> Timing:
    """Whether the opportunity is open, opening later or closed on `day`, in words."""
    closes, opens = opportunity.closes_on, opportunity.opens_on
    if closes is not None and closes < day:
        text = _("Closed on %(date)s") % {"date": long_date(closes)}
        return Timing(CLOSED, text, None, False, "")
    if opens is not None and opens > day:
        if closes is None:
            text = _("Opens on %(date)s, rolling") % {"date": long_date(opens)}
        else:
            text = _("Opens on %(opens)s, until %(closes)s") % {
                "opens": long_date(opens),
                "closes": long_date(closes),
            }
        return Timing(UPCOMING, text, None, False, "")
    if closes is None:
        return Timing(OPEN, _("Rolling: apply any time"), None, False, "")
    days_left = (closes - day).days
    soon = opportunity.is_closing_soon(day)
    text = _("Open until %(date)s") % {"date": long_date(closes)}
    return Timing(OPEN, text, days_left, soon, _days_left_text(days_left) if soon else "")


def present(opportunity: Opportunity, day: dt.date) -> Opportunity:
    """The opportunity with its `timing` and `amount_text` for the templates."""
    opportunity.timing = timing(opportunity, day)
    opportunity.amount_text = amount_text(opportunity)
    return opportunity
