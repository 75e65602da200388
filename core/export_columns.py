"""Columns, and the values the query selects for them, that several apps' downloads define alike:
a row's page, its description, when it was published and last changed, and its licence. Each
download gives the texts that name its own kind of row."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.exports import DATETIME
from core.exports import ISO_MOMENT
from core.exports import STRING
from core.exports import Column
from core.exports import Derived
from core.exports import cleaned_html
from core.exports import formatted
from core.exports import page_url
from core.exports import site_licence_name
from core.exports import site_licence_url


def page_columns(*, slug: str, url: str) -> list[Column]:
    """The row's short name in addresses, and the address of its page on the hub."""
    return [
        Column("slug", STRING, slug),
        Column("url", STRING, url, Derived(page_url, "slug"), format="uri"),
    ]


def html_description() -> str:
    return _("The full description, as HTML limited to text, lists and links.")


def cleaned_description_column() -> Column:
    """The description, cleaned again as on the row's page (see cleaned_html)."""
    return Column("description", STRING, html_description(), Derived(cleaned_html, "description"))


def moment_annotations(published: str = "published_at") -> dict:
    """When the row was published (the field `published`) and last changed, in UTC, as the
    columns of moment_columns read them."""
    return {
        "published_utc": formatted(published, ISO_MOMENT),
        "updated_utc": formatted("updated_at", ISO_MOMENT),
    }


def moment_columns(*, published: str, updated: str) -> list[Column]:
    return [
        Column("published", DATETIME, published, "published_utc"),
        Column("updated", DATETIME, updated, "updated_utc"),
    ]


def licence_columns(description: str, name: Callable, url: Callable, *reads: str) -> list[Column]:
    """The row's licence by its short name, and the address of its text, both worked out from
    what the row holds (`reads`)."""
    return [
        Column("licence", STRING, description, Derived(name, *reads)),
        Column(
            "licence_url",
            STRING,
            _("The address of the licence's text."),
            Derived(url, *reads),
            format="uri",
        ),
    ]


def submitted_tail(*, published: str, updated: str, licence: str) -> list[Column]:
    """The last columns of content submitted to the hub (events, funding, stories): when it was
    published and changed, and the site's licence for contributions, which it is under."""
    return [
        *moment_columns(published=published, updated=updated),
        *licence_columns(licence, site_licence_name, site_licence_url, "id"),
    ]
