"""The directory's language-prefixed pages beyond browsing: the data page and the feeds."""

from django.urls import path

from directory.views import data

app_name = "directory_pages"

urlpatterns = [
    path("data/", data.data_page, name="data"),
]
