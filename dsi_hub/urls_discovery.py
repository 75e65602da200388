"""What crawlers and feed readers look for: sitemap.xml and robots.txt."""

from django.urls import path

from dsi_hub import views_discovery

app_name = "discovery"

urlpatterns = [
    path("robots.txt", views_discovery.robots_txt, name="robots"),
    path("sitemap.xml", views_discovery.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views_discovery.sitemap_section, name="sitemap_section"),
]
