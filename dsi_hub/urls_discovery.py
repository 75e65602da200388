"""What crawlers and feed readers look for: sitemap.xml and robots.txt."""

urlpatterns = []
