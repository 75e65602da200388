"""The data page, language-prefixed (/en/data/): every download explained."""

from django.urls import path

from dsi_hub import views_data

app_name = "directory_pages"

urlpatterns = [
    path("data/", views_data.data_page, name="data"),
]
