"""What every list page does alike: read the page number, report the query's errors, keep the
valid parameters for links, and link the pages around the current one."""

import math

from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.exports import download_url


def page_number(raw: str | None) -> int | None:
    """The page asked for: 1 when none is, None when what was typed is not a page number."""
    if raw in (None, ""):
        return 1
    raw = raw.strip()
    # isascii: int() refuses digits such as "²" that isdigit() accepts.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        return None
    return int(raw)


def query_errors(filterset) -> list[str]:
    """Every message of a FilterSet's errors, for the page to explain a bad query."""
    return [str(error) for errors in filterset.errors.values() for error in errors]


def valid_query(request, filterset, names) -> list[tuple[str, str]]:
    """The query's valid parameters among `names`, in their order, to build links with."""
    return [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key in names and key not in filterset.errors and value != ""
    ]


def query_link(base: str, query) -> str:
    """`base` with the query string of `query` (pairs), if any."""
    return f"{base}?{urlencode(query)}" if query else base


def download_links(plural: str, query) -> list[tuple[str, str]]:
    """The CSV and JSON downloads of `plural` (core.exports) with a list's `query` (pairs):
    its filters, search and order, not its page, so that "Download these results" gets all of
    what the list shows in pages. (label, url) pairs for partials/download_links.html."""
    kept = [(key, value) for key, value in query if key != "page"]
    return [
        (file_format.upper(), query_link(download_url(plural, file_format), kept))
        for file_format in ("csv", "json")
    ]


def page_links(query, page: int, pages: int) -> dict:
    """Previous, next and numbered links around `page` (the first and last always shown),
    keeping the other parameters of `query`."""
    base = [(key, value) for key, value in query if key != "page"]

    def url(number):
        return "?" + urlencode([*base, ("page", number)] if number > 1 else base)

    window = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    return {
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < pages else None,
        "numbers": [(number, url(number)) for number in window],
    }


class ListPage:
    """One page of a list: the page asked for, the messages a bad query or page number gets
    (with the status the answer takes: 400 for a bad query, 404 for a page past the end), and
    the paging the template shows.

        listing = ListPage(request, query_errors(filterset), page_size=PAGE_SIZE)
        window = listing.window(results.count())  # None past the last page
        rows = list(results[window]) if window else []
        context = {..., **listing.context(query)}
    """

    def __init__(self, request, errors: list[str], *, page_size: int):
        self.errors = list(errors)
        self.status = 400 if self.errors else 200
        self.page_size = page_size
        self.total, self.pages = 0, 1
        page = page_number(request.GET.get("page"))
        if page is None:
            self.errors.append(_("The page number must be a whole number from 1 upwards."))
            self.status, page = 400, 1
        self.page = page

    def window(self, total: int) -> slice | None:
        """The rows of this page among `total`, or None (with a message) past the last one."""
        self.total = total
        self.pages = max(1, math.ceil(total / self.page_size))
        if self.page > self.pages:
            self.errors.append(
                _("There is no page %(page)s: these results have %(pages)s page(s).")
                % {"page": self.page, "pages": self.pages}
            )
            self.status = 404 if self.status == 200 else self.status
            return None
        start = (self.page - 1) * self.page_size
        return slice(start, start + self.page_size)

    def context(self, query) -> dict:
        """What the list templates show of the paging and the query's errors."""
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "page_links": page_links(query, self.page, self.pages),
            "query_errors": self.errors,
        }


class FilteredListPage(ListPage):
    """One page of a FilterSet's results (a core.filters.ListFilterSet): the FilterSet validated
    and applied, this page's window among the results, the query's valid parameters among
    `params` (`query`, for links) and the filters' own among them (`filters`, among
    `filter_params`: what "clear" and the other views of the list keep).

        listing = FilteredListPage(request, filterset, page_size=PAGE_SIZE, params=LIST_PARAMS,
                                   filter_params=FILTER_PARAMS)
        rows = listing.rows(filterset.qs.with_cards())
        context = {**listing.list_context(), ...}
    """

    def __init__(self, request, filterset, *, page_size: int, params, filter_params):
        results = filterset.qs  # validates, filters, orders
        super().__init__(request, query_errors(filterset), page_size=page_size)
        self.filterset = filterset
        self.shown = self.window(results.count())
        self.query = valid_query(request, filterset, params)
        self.filters = [(key, value) for key, value in self.query if key in filter_params]
        self.path = request.path

    def download_links(self, plural: str) -> list[tuple[str, str]]:
        """The downloads of `plural` with this list's valid query (see download_links)."""
        return download_links(plural, self.query)

    def rows(self, results) -> list:
        """This page's rows of `results` (the FilterSet's, with what the cards show)."""
        return list(results[self.shown]) if self.shown else []

    def list_context(self) -> dict:
        """What the list templates show of the filters, the paging and the query's errors."""
        return {
            "filterset": self.filterset,
            "form": self.filterset.form,
            **self.context(self.query),
            "clear_url": self.path,
            "filtered": bool(self.filters),
        }
