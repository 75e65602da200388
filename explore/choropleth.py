"""The map page's server-rendered SVG of Europe by country (readable without JavaScript): the
world-atlas TopoJSON the interactive map draws too, decoded here (arcs are delta-encoded and
quantised by the file's transform), projected equirectangularly onto a box around Europe and
kept per process as one SVG path per country (ISO numeric code -> path)."""

import functools
import json
import math
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.utils.html import escape
from django.utils.safestring import mark_safe

ATLAS = "vendor/world-atlas/countries-110m.json"
# The box drawn: longitudes and latitudes (degrees), and the drawing's width in SVG units.
WEST, EAST, SOUTH, NORTH = -25.0, 45.0, 34.0, 72.0
WIDTH = 600.0
# Equirectangular, longitudes shrunk by the cosine of the box's middle latitude.
_SHRINK = math.cos(math.radians((SOUTH + NORTH) / 2))
_SCALE = WIDTH / ((EAST - WEST) * _SHRINK)
HEIGHT = round((NORTH - SOUTH) * _SCALE, 1)
# Colour classes of the choropleth (site.css: .choropleth-0 .. -5): 0 is none.
CLASSES = 5


def project(longitude: float, latitude: float) -> tuple[float, float]:
    return (longitude - WEST) * _SHRINK * _SCALE, (NORTH - latitude) * _SCALE


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (longitude, latitude) points: positions are quantised and each
    one after the first is the difference from the previous."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    """A ring's points from its arcs' indexes (~i: arc i reversed), each arc's first point
    dropped after the first arc (it is the previous arc's last)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def _in_box(points) -> bool:
    return any(WEST - 5 <= x <= EAST + 5 and SOUTH - 5 <= y <= NORTH + 5 for x, y in points)


def _path(rings) -> str:
    parts = []
    for ring in rings:
        drawn = []
        last = None
        shift, previous = 0.0, None
        for longitude, latitude in ring:
            # A ring across the antimeridian (Russia's) goes on past 180 degrees rather than
            # jumping back across the whole drawing.
            if previous is not None and abs(longitude + shift - previous) > 180:
                shift += 360 if previous > longitude + shift else -360
            previous = longitude + shift
            x, y = project(longitude + shift, latitude)
            point = f"{x:.1f} {y:.1f}"
            if point != last:
                drawn.append(point)
                last = point
        if len(drawn) >= 3:
            parts.append("M" + "L".join(drawn) + "Z")
    return "".join(parts)


@functools.cache
def country_paths() -> dict[str, str]:
    """ISO numeric code -> SVG path of the country's rings that reach the box (per process)."""
    with open(finders.find(ATLAS), encoding="utf-8") as file:
        topology = json.load(file)
    arcs = decode_arcs(topology)
    paths = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not code:
            continue
        rings = [
            points
            for polygon in _polygons(geometry)
            for ring in polygon
            for points in [ring_points(ring, arcs)]
        ]
        if not any(_in_box(ring) for ring in rings):
            continue
        path = _path(rings)
        if path:
            paths[code] = path
    return paths


@dataclass(frozen=True)
class Shade:
    """A country on the choropleth: its ISO numeric code, name, count and list link."""

    numeric: str
    name: str
    count: int
    url: str


def shade_class(count: int, largest: int) -> int:
    """0 for none, else 1..CLASSES on a logarithmic scale up to the largest count."""
    if count <= 0 or largest <= 0:
        return 0
    return 1 + min(CLASSES - 1, int(CLASSES * math.log1p(count) / math.log1p(largest + 1)))


def choropleth_svg(shades: list[Shade], *, title: str, label) -> str:
    """The SVG: every country of the box, those with a count a link to their list, the count
    in the link's <title> (`label(shade)` writes it)."""
    paths = country_paths()
    by_code = {shade.numeric: shade for shade in shades}
    largest = max((shade.count for shade in shades), default=0)
    parts = [
        f'<svg class="choropleth" viewBox="0 0 {WIDTH:.0f} {HEIGHT}" role="img" '
        f'aria-labelledby="choropleth-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="choropleth-title">{escape(title)}</title>'
    ]
    for code, path in paths.items():
        shade = by_code.get(code)
        if shade is None or not shade.count:
            parts.append(f'<path class="choropleth-0" d="{path}" aria-hidden="true"/>')
            continue
        parts.append(
            f'<a href="{escape(shade.url)}"><title>{escape(label(shade))}</title>'
            f'<path class="choropleth-{shade_class(shade.count, largest)}" d="{path}"/></a>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above
