"""The Explore section's pages, under /<lang>/explore/ (each part's own module adds its own)."""

app_name = "explore"
urlpatterns = []
