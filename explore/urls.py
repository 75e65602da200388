"""The Explore section's pages, under /<lang>/explore/ (each part's own module adds its own)."""

from django.urls import path

from explore import network_views

app_name = "explore"
urlpatterns = []

# The network (explore/network.py).
urlpatterns += [
    path("network/", network_views.network_page, name="network"),
    path("network/graph.json", network_views.network_graph_json, name="network_graph"),
    path("network.graphml", network_views.network_graphml, name="network_graphml"),
    path("network.json", network_views.network_json, name="network_json"),
]
