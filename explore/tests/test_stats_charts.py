"""The charts (explore.stats_charts): every kind drawn as a labelled SVG image with its table,
labels escaped, no inline styles, the second series told apart by more than colour, and the
CSV of the table."""

import csv
import io
import re

import pytest

from explore.stats_charts import BARS_SHOWN
from explore.stats_charts import Row
from explore.stats_charts import Table
from explore.stats_charts import chart_html
from explore.stats_charts import csv_response

HOSTILE = '<script>alert("x")</script> & "quotes"'


def _table(kind: str) -> Table:
    rows = [
        Row(
            HOSTILE,
            (3, 1.5 if kind == "compare" else 2, 2.5 if kind == "compare" else 0),
            url="/en/explore/countries/es/",
            links=("/en/organisations/?a=1&b=2", "", ""),
        ),
        Row("2021", (1, 0.5 if kind == "compare" else 0, 0.0 if kind == "compare" else 4)),
    ]
    return Table(
        "test",
        "A <b>title</b>",
        "Label",
        ("One", "Two", "Three"),
        rows,
        kind=kind,
        percent_columns=(1, 2) if kind == "compare" else (),
    )


@pytest.mark.parametrize("kind", ["bars", "columns", "line", "heat", "compare"])
def test_each_kind_is_a_labelled_image_with_its_table(kind):
    html = str(chart_html(_table(kind), download_url="?format=csv&chart=test"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "A &lt;b&gt;title&lt;/b&gt;" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img" aria-labelledby="chart-test-title chart-test-desc"' in svg
    assert '<title id="chart-test-title">' in svg and '<desc id="chart-test-desc">' in svg
    assert "style=" not in html and "<style" not in html
    assert '<caption id="table-test">A &lt;b&gt;title&lt;/b&gt;</caption>' in html
    assert html.count('scope="col"') == 4 and html.count('scope="row"') == 2
    assert '<a href="/en/explore/countries/es/">&lt;script&gt;' in html
    assert '<a href="/en/organisations/?a=1&amp;b=2">3</a>' in html
    assert 'href="?format=csv&amp;chart=test" download' in html


def test_a_second_line_is_dashed_and_a_second_bar_has_a_white_edge():
    line = str(chart_html(_table("line"), download_url="?"))
    assert line.count("stroke-dasharray") == 1
    assert "chart-swatch-line-1" in line
    bars = str(chart_html(_table("bars"), download_url="?"))
    assert 'fill="#9c4a00" stroke="#ffffff"' in bars


def test_an_empty_chart_says_so():
    table = Table("empty", "Nothing", "Label", ("One",), [])
    html = str(chart_html(table, download_url="?"))
    assert "<svg" not in html and "No data for these filters." in html


def test_the_csv_is_the_table():
    response = csv_response(_table("compare"), filename="dsi-hub-test.csv")
    assert response["Content-Disposition"] == 'attachment; filename="dsi-hub-test.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Label", "One", "Two", "Three"],
        [HOSTILE, "3", "1.5", "2.5"],
        ["2021", "1", "0.5", "0.0"],
    ]


def test_a_long_bar_chart_draws_the_largest_and_tables_them_all():
    rows = [Row(f"Place {number}", (100 - number,)) for number in range(BARS_SHOWN + 5)]
    html = str(chart_html(Table("many", "Many", "Place", ("Count",), rows), download_url="?"))
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count("<rect") == BARS_SHOWN
    assert html.count('scope="row"') == BARS_SHOWN + 5
    assert f"shows the {BARS_SHOWN} largest of {BARS_SHOWN + 5}" in html


def test_heat_map_cells_widen_for_large_counts_and_the_figure_may_be_wide():
    def cell_width(values) -> int:
        table = Table("heatmap", "Heat", "Area", ("A", "B"), [Row("x", values)], kind="heat")
        html = str(chart_html(table, download_url="?format=csv"))
        assert 'class="chart chart-figure-heat"' in html
        return int(re.search(r'<rect x="\d+" y="\d+" width="(\d+)"', html)[1])

    assert cell_width((3, 40)) == 30
    wide = cell_width((16496, 2))
    assert wide >= 6 * 5 + 8  # five digits fit


def test_counts_are_grouped_in_the_language_of_the_page():
    from django.utils import translation

    table = Table("t", "Title", "Label", ("N",), [Row("x", (12345,)), Row("y", (999,))])
    with translation.override("de"):
        html = str(chart_html(table, download_url="?format=csv"))
    assert "12.345" in html and "<td>999</td>" in html
