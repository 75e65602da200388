"""Bulk downloads of every registered export (core.exports.EXPORTS), not under a language
prefix: /data/<plural>.csv and .json (and .geojson for
those with a place), and the Data Package describing them.

A bare /data/ finds no page here, so LocaleMiddleware sends the visitor on to the data page in
their language (/en/data/).
"""

from django.urls import path

from core.exports import EXPORTS
from dsi_hub import views_data

app_name = "data"

urlpatterns = [
    path(
        f"{plural}.{file_format}",
        views_data.download,
        {"plural": plural, "file_format": file_format},
        name=f"{plural}_{file_format}",
    )
    for plural, export in EXPORTS.items()
    for file_format in export.file_formats
]
urlpatterns.append(path("datapackage.json", views_data.datapackage, name="datapackage"))
