"""The directory's language-prefixed pages beyond browsing: the data page and the feeds."""

app_name = "directory_pages"

urlpatterns = []
