"""GeoJSON (RFC 7946) of a download: one Point feature per row that has coordinates.

A download that has a place (organisations, projects, events) names, in `Export.geo`, the few
columns its features carry as properties; its GeoJSON file is then the same query, filtered and
ordered as the CSV and JSON files are, with only those columns and the coordinates (see
`geo_view`), written by the same engine (core.exports: a server-side cursor, rows read ahead,
pieces of about 64 KiB), so memory stays flat whatever the number of rows.

Rows without coordinates are left out as they come, and counted: the FeatureCollection ends
with a `properties` member (a foreign member, which RFC 7946 allows) giving how many features
it holds and how many results were left out for want of coordinates. The count is made in the
same pass, from the same snapshot as the features, so both always add up to the filtered
results (it cannot be a header: headers go out before the rows are read).
"""

import json
from collections.abc import Iterator
from dataclasses import replace

MEDIA_TYPE = "application/geo+json"
HEAD = '{"type":"FeatureCollection","features":['
# The coordinate columns a geo view ends with, in this order.
LATITUDE, LONGITUDE = "latitude", "longitude"


def geo_view(export):
    """The export as its GeoJSON file reads it: the id column, the columns `export.geo`
    names (as (property, column) pairs) under their property names, then latitude and
    longitude; and only the annotations those columns read."""
    columns = {column.name: column for column in export.columns}
    chosen = (
        columns[export.header[0]],
        *(replace(columns[column], name=name) for name, column in export.geo),
        columns[LATITUDE],
        columns[LONGITUDE],
    )
    annotate = export.annotations

    def annotations():
        wanted = set(replace(export, columns=chosen).fields({}))
        return {name: value for name, value in annotate().items() if name in wanted}

    return replace(export, columns=chosen, annotations=annotations)


def feature(kind: str, names: list[str], row: list) -> dict:
    """A row of a geo view as a Feature: [longitude, latitude], as RFC 7946 orders them."""
    return {
        "type": "Feature",
        "id": row[0],
        "geometry": {"type": "Point", "coordinates": [row[-1], row[-2]]},
        "properties": {"kind": kind, **dict(zip(names, row[1:-2], strict=True))},
    }


def has_coordinates(latitude, longitude) -> bool:
    return latitude is not None and longitude is not None


def collection_properties(*, kind: str, features: int, without_coordinates: int) -> dict:
    """What a FeatureCollection of the hub says of itself (its `properties` member)."""
    return {"kind": kind, "features": features, "without_coordinates": without_coordinates}


def geojson_head(export) -> str:
    return HEAD


def geojson_body(export, rows: Iterator[list]) -> Iterator[str]:
    """The features, one per line, then the end of the array and the collection's properties."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    kind, names = export.kind, export.header[1:-2]
    separator, features, left_out = "\n", 0, 0
    for row in rows:
        if not has_coordinates(row[-2], row[-1]):
            left_out += 1
            continue
        yield separator + encode(feature(kind, names, row))
        separator = ",\n"
        features += 1
    properties = collection_properties(kind=kind, features=features, without_coordinates=left_out)
    yield f'\n],"properties":{encode(properties)}}}\n'
