"""Charts of the statistics pages: server-drawn SVG, each with the data table it is drawn
from, readable without JavaScript and by screen readers, and its CSV.

A chart is a `Table` (a caption, a header for its labels, value columns and rows) and the way
it is drawn: horizontal bars (stacked when there are two kinds), columns by year, a line of
growth, a heat map (rows by columns) or a comparison of shares. The SVG is an image
(`role="img"`, named by its `<title>` and described by its `<desc>`), the table below it is the
same data with a caption and header cells, and "Download this data" gives it as a CSV. Colours
are presentation attributes (the Content-Security-Policy refuses inline styles), each at least
6:1 on white, separated by a white edge where they touch, and never the only sign: values are
written beside bars and in heat map cells, and the second line is dashed. The markup is
written in Python, every part escaped: a page has a dozen charts and thousands of elements.
"""

import csv
import io
from dataclasses import dataclass
from dataclasses import field
from html import escape

from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Series colours (text-safe on white: 8.6:1 and 6.2:1); the heat map's steps, light to dark,
# each with the text colour that reads on it.
SERIES = ("#0b4f8a", "#9c4a00")
DASHES = ("", "6 4")
HEAT_STEPS = (
    ("#f4f6f9", "#1b1b1f"),
    ("#c6dbef", "#1b1b1f"),
    ("#6baed6", "#1b1b1f"),
    ("#2171b5", "#ffffff"),
    ("#08306b", "#ffffff"),
)
TEXT = "#1b1b1f"
MUTED = "#4a4f57"
WIDTH = 520
LABEL_WIDTH = 180
LABEL_CHARS = 24
# Bar charts draw so many rows at most (the biggest); their tables hold every row.
BARS_SHOWN = 30
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass
class Row:
    label: str
    values: tuple
    url: str = ""  # where the label leads
    links: tuple[str, ...] = ()  # where each value leads (the list it counts)


@dataclass
class Table:
    """A chart's data: `name` names it in the page and in its CSV's address."""

    name: str
    title: str
    label_header: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    kind: str = "bars"  # bars, columns, line, heat, compare
    note: str = ""
    percent_columns: tuple[int, ...] = ()  # values written as shares


def _short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _number(value, sep: str) -> str:
    """A count grouped by threes with the language's separator `sep` (as
    number_format(force_grouping=True) writes it in the six languages, without its per-call
    work: a page writes some 400 of them), or a share with one decimal."""
    if isinstance(value, float):
        return number_format(value, 1) + " %"
    return f"{value:,}".replace(",", sep) if value >= 1000 else str(value)


def _svg(table: Table, height: float, body: list[str], *, width: int = WIDTH, sized=False) -> str:
    title_id, desc_id = f"chart-{table.name}-title", f"chart-{table.name}-desc"
    words = _words()
    if table.rows:
        desc = words["described"] % {"kind": words[table.kind], "count": len(table.rows)}
    else:
        desc = words["no data"]
    size = f'width="{width}" height="{height:.0f}" ' if sized else ""
    return (
        f'<svg class="chart-svg chart-{table.kind}" viewBox="0 0 {width} {height:.0f}" {size}'
        f'role="img" aria-labelledby="{title_id} {desc_id}" {FONT} '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(table.title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _bars(table: Table, sep: str) -> str:
    """Horizontal bars, one per row, stacked by column, the total written at the end."""
    row_height, bar, top = 22, 15, 4
    rows = table.rows[:BARS_SHOWN]
    totals = [sum(row.values) for row in rows]
    most = max(totals, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    body = []
    for number, (row, total) in enumerate(zip(rows, totals, strict=True)):
        y = top + number * row_height
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_short(row.label))}</text>"
        )
        x = float(LABEL_WIDTH)
        for column, value in enumerate(row.values):
            length = span * value / most
            if length > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar}" '
                    f'fill="{SERIES[column % 2]}" stroke="#ffffff" stroke-width="1"/>'
                )
            x += length
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 12}" fill="{TEXT}">{_number(total, sep)}</text>'
        )
    return _svg(table, top * 2 + max(1, len(rows)) * row_height, body)


def _axis_years(rows: list[Row], x_of, y: float) -> list[str]:
    """Year labels under a chart by year: at most about eight, evenly spread."""
    step = max(1, -(-len(rows) // 8))
    return [
        f'<text x="{x_of(number):.1f}" y="{y}" text-anchor="middle" fill="{TEXT}">'
        f"{escape(row.label)}</text>"
        for number, row in enumerate(rows)
        if number % step == 0 or number == len(rows) - 1
    ]


def _frame(most: int, left: int, right: int, top: int, bottom: int, sep: str) -> list[str]:
    return [
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{TEXT}">'
        f"{_number(most, sep)}</text>",
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end" fill="{TEXT}">0</text>',
    ]


def _columns(table: Table, sep: str) -> str:
    """Vertical columns by year, stacked by column."""
    left, right, top, bottom = 48, WIDTH - 8, 10, 170
    totals = [sum(row.values) for row in table.rows]
    most = max(totals, default=0) or 1
    count = max(1, len(table.rows))
    slot = (right - left) / count
    width = max(1.0, slot * 0.8)
    body = _frame(most, left, right, top, bottom, sep)
    for number, row in enumerate(table.rows):
        y = float(bottom)
        for column, value in enumerate(row.values):
            length = (bottom - top) * value / most
            if length > 0:
                y -= length
                body.append(
                    f'<rect x="{left + number * slot + (slot - width) / 2:.1f}" y="{y:.1f}" '
                    f'width="{width:.1f}" height="{length:.1f}" fill="{SERIES[column % 2]}" '
                    f'stroke="#ffffff" stroke-width="0.5"/>'
                )
    body += _axis_years(table.rows, lambda n: left + (n + 0.5) * slot, bottom + 16)
    return _svg(table, bottom + 24, body)


def _line(table: Table, sep: str) -> str:
    """One line per column over the rows (years), with a point at each."""
    left, right, top, bottom = 56, WIDTH - 12, 10, 170
    most = max((value for row in table.rows for value in row.values), default=0) or 1
    count = len(table.rows)

    def x_of(number):
        return left + (right - left) * (number / (count - 1) if count > 1 else 0.5)

    body = _frame(most, left, right, top, bottom, sep)
    for column in range(len(table.columns)):
        points = [
            (x_of(number), bottom - (bottom - top) * row.values[column] / most)
            for number, row in enumerate(table.rows)
        ]
        if not points:
            continue
        dash = f' stroke-dasharray="{DASHES[column % 2]}"' if DASHES[column % 2] else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{SERIES[column % 2]}" '
            f'stroke-width="2.5"{dash}/>'
        )
        body += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{SERIES[column % 2]}"/>'
            for x, y in points
        ]
    body += _axis_years(table.rows, x_of, bottom + 16)
    return _svg(table, bottom + 24, body)


def _heat(table: Table, sep: str) -> str:
    """Rows by columns, each cell shaded by its count (in five steps) with the count in it."""
    most = max((value for row in table.rows for value in row.values), default=0) or 1
    # Square cells, wide enough for the largest count (about 6 px a digit at 10 px).
    cell, label_height = max(30, 6 * len(str(most)) + 8), 110
    # Room on the right for the last column's slanted label.
    width = LABEL_WIDTH + cell * max(1, len(table.columns)) + 80
    body = []
    for column, name in enumerate(table.columns):
        x = LABEL_WIDTH + column * cell + cell / 2
        body.append(
            f'<text x="{x:.0f}" y="{label_height - 6}" transform="rotate(-55 {x:.0f} '
            f'{label_height - 6})" fill="{TEXT}">{escape(_short(name, 18))}</text>'
        )
    for number, row in enumerate(table.rows):
        y = label_height + number * cell
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_short(row.label))}</text>'
        )
        for column, value in enumerate(row.values):
            step = 0 if not value else min(4, 1 + int(4 * value / (most + 1)))
            fill, ink = HEAT_STEPS[step]
            x = LABEL_WIDTH + column * cell
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#ffffff"/><text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 4:.0f}" '
                f'text-anchor="middle" font-size="10" fill="{ink}">{value}</text>'
            )
    height = label_height + cell * max(1, len(table.rows)) + 4
    # Drawn at its own size (it grows with the technologies), scrolled sideways when wider.
    return _svg(table, height, body, width=width, sized=True)


def _compare(table: Table, sep: str) -> str:
    """Two shares per row (the first and second percent columns) as a pair of bars."""
    first, second = table.percent_columns[:2]
    row_height, bar = 26, 10
    most = max((max(row.values[first], row.values[second]) for row in table.rows), default=0.0)
    span = WIDTH - LABEL_WIDTH - 60
    body = []
    for number, row in enumerate(table.rows):
        y = 4 + number * row_height
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_short(row.label))}</text>"
        )
        for offset, column in enumerate((first, second)):
            value = row.values[column]
            length = span * value / most if most else 0
            top = y + offset * (bar + 1)
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{bar}" '
                f'fill="{SERIES[offset]}"/><text x="{LABEL_WIDTH + length + 4:.1f}" '
                f'y="{top + 9}" font-size="10" fill="{TEXT}">{_number(value, sep)}</text>'
            )
    return _svg(table, 8 + max(1, len(table.rows)) * row_height, body)


DRAW = {"bars": _bars, "columns": _columns, "line": _line, "heat": _heat, "compare": _compare}


CHART_KINDS = {
    "bars": gettext_noop("Bar chart"),
    "columns": gettext_noop("Column chart by year"),
    "line": gettext_noop("Line chart"),
    "heat": gettext_noop("Heat map"),
    "compare": gettext_noop("Bar chart comparing shares"),
}


_words_made: dict[str, dict[str, str]] = {}


def _words() -> dict[str, str]:
    """The charts' fixed texts in the active language (a dozen charts ask for each)."""
    language = get_language()
    words = _words_made.get(language)
    if words is None:
        words = {
            "described": _("%(kind)s of %(count)s values; the data table below gives each."),
            "no data": _("No data for these filters."),
            "show": _("Show the data table"),
            "download": _("Download this data"),
            **{kind: _(name) for kind, name in CHART_KINDS.items()},
        }
        _words_made[language] = words
    return words


def _legend(table: Table) -> str:
    if table.kind == "compare":
        names = [table.columns[column] for column in table.percent_columns[:2]]
    elif table.kind == "heat" or len(table.columns) < 2:
        return ""
    else:
        names = list(table.columns)
    shape = "line" if table.kind == "line" else "box"
    items = "".join(
        f'<li><span class="chart-swatch chart-swatch-{shape}-{number}" aria-hidden="true">'
        f"</span>{escape(name)}</li>"
        for number, name in enumerate(names)
    )
    return f'<ul class="chart-legend">{items}</ul>'


def _table(table: Table, sep: str) -> str:
    caption_id = f"table-{table.name}"
    head = "".join(
        f'<th scope="col">{escape(name)}</th>' for name in (table.label_header, *table.columns)
    )
    body = []
    for row in table.rows:
        label = escape(row.label)
        if row.url:
            label = f'<a href="{escape(row.url)}">{label}</a>'
        cells = "".join(
            f'<td><a href="{escape(link)}">{_number(value, sep)}</a></td>'
            if link and value
            else f"<td>{_number(value, sep)}</td>"
            for value, link in zip(row.values, row.links or ("",) * len(row.values), strict=True)
        )
        body.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-labelledby="{caption_id}">'
        f'<table class="chart-table"><caption id="{caption_id}">{escape(table.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def chart_html(table: Table, *, download_url: str, heading_level: int = 2) -> SafeString:
    """The chart's section: its heading, the SVG, its legend, the data table (in a
    disclosure) and the link to its CSV."""
    heading_id = f"section-{table.name}"
    notes = [table.note] if table.note else []
    if table.kind == "bars" and len(table.rows) > BARS_SHOWN:
        notes.append(
            _("The chart shows the %(shown)s largest of %(count)s; the data table has them all.")
            % {"shown": BARS_SHOWN, "count": len(table.rows)}
        )
    note = "".join(f'<p class="chart-note">{escape(text)}</p>' for text in notes)
    if table.rows:
        sep = get_format("THOUSAND_SEPARATOR")
        drawing = DRAW[table.kind](table, sep)
        if table.kind == "heat":
            label = _("Chart: %(title)s") % {"title": table.title}
            drawing = (
                f'<div class="chart-scroll" role="region" tabindex="0" '
                f'aria-label="{escape(label)}">{drawing}</div>'
            )
        words = _words()
        data = (
            f'<details class="chart-data"><summary>{escape(words["show"])}</summary>'
            f"{_table(table, sep)}</details>"
            f'<p class="chart-download"><a href="{escape(download_url)}" download>'
            f"{escape(words['download'])}"
            f'<span class="visually-hidden"> ({escape(table.title)})</span> (CSV)</a></p>'
        )
        figure = (
            f'<figure class="chart chart-figure-{table.kind}">{drawing}{_legend(table)}</figure>'
            f"{note}{data}"
        )
    else:
        figure = f'<p class="chart-empty">{escape(_words()["no data"])}</p>'
    return mark_safe(  # noqa: S308 - every part escaped above
        '<section class="chart-section">'
        f'<h{heading_level} id="{heading_id}">{escape(table.title)}</h{heading_level}>'
        f"{figure}</section>"
    )


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    """The chart's table as a CSV download (UTF-8, a header row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.label_header, *table.columns])
    for row in table.rows:
        writer.writerow(
            [row.label, *(round(v, 2) if isinstance(v, float) else v for v in row.values)]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
