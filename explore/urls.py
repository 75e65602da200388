"""The Explore section's pages, under /<lang>/explore/ (each part's own module adds its own)."""

from django.urls import path

from explore import map_views
from explore import network_views
from explore import stats_views

app_name = "explore"
urlpatterns = [
    # Statistics (explore.stats_views)
    path("", stats_views.overview, name="overview"),
    path("countries/<str:code>/", stats_views.country, name="country"),
    # The map (explore/map_views.py) and its clusters.
    path("map/", map_views.map_page, name="map"),
    path("map/clusters.json", map_views.map_clusters, name="map_clusters"),
    # The network (explore/network.py).
    path("network/", network_views.network_page, name="network"),
    path("network/graph.json", network_views.network_graph_json, name="network_graph"),
    path("network.graphml", network_views.network_graphml, name="network_graphml"),
    path("network.json", network_views.network_json, name="network_json"),
]
