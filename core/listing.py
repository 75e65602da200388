"""What every list page does alike: read the page number, report the query's errors, keep the
valid parameters for links, and link the pages around the current one."""

from django.utils.http import urlencode


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
